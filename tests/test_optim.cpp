// Optimizer behaviour: checkpoint resume, skipped parameters, state errors, settings checks,
// thread-count independence, and convergence on a small regression.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "expect_error.hpp"
#include "optim_cases.hpp"

namespace myelin::testing {
namespace {

using myelin::testing::expect_error;

using StateMap = std::map<std::string, Tensor>;

std::vector<Tensor> make_params(uint64_t seed) {
  Generator gen(seed);
  return {Tensor::normal({3, 4}, 0.f, 1.f, &gen).requires_grad_(),
          Tensor::normal({5}, 0.f, 1.f, &gen).requires_grad_()};
}

// Gives each parameter a gradient that depends only on the step number.
void set_grads(std::vector<Tensor>& params, int step) {
  Generator gen(1000 + step);
  for (Tensor& p : params) p.set_grad(Tensor::normal(p.shape(), 0.f, 1.f, &gen));
}

StateMap snapshot(const std::vector<std::pair<std::string, Tensor>>& state) {
  StateMap out;
  for (const auto& [name, t] : state) out[name] = t.clone();
  return out;
}

void expect_bit_identical(const Tensor& a, const Tensor& b, const std::string& what) {
  const std::vector<float> x = a.to_vector(), y = b.to_vector();
  ASSERT_EQ(x.size(), y.size()) << what;
  EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size() * sizeof(float)), 0) << what;
}

class OptimBehaviour : public ::testing::TestWithParam<OptimCase> {};

// Saving after 3 steps and resuming in a fresh optimizer (and schedule) continues exactly as an
// uninterrupted run.
TEST_P(OptimBehaviour, ResumeFromStateIsBitIdentical) {
  constexpr int kBefore = 3, kAfter = 3;
  std::vector<Tensor> straight = make_params(1);
  auto opt = GetParam().make(straight);
  optim::ExponentialLR schedule(*opt, 0.9);
  for (int s = 1; s <= kBefore + kAfter; ++s) {
    set_grads(straight, s);
    opt->step();
    schedule.step();
  }

  std::vector<Tensor> first = make_params(1);
  auto opt1 = GetParam().make(first);
  optim::ExponentialLR schedule1(*opt1, 0.9);
  for (int s = 1; s <= kBefore; ++s) {
    set_grads(first, s);
    opt1->step();
    schedule1.step();
  }
  const StateMap saved = snapshot(opt1->state());
  const StateMap saved_schedule = snapshot(schedule1.state());

  std::vector<Tensor> resumed = make_params(2);  // other values, overwritten below
  for (size_t i = 0; i < resumed.size(); ++i) resumed[i].copy_(first[i]);
  auto opt2 = GetParam().make(resumed);
  optim::ExponentialLR schedule2(*opt2, 0.9);
  opt2->load_state(saved);
  schedule2.load_state(saved_schedule);
  EXPECT_EQ(opt2->lr(), opt1->lr());
  EXPECT_EQ(schedule2.epoch(), kBefore);
  for (int s = kBefore + 1; s <= kBefore + kAfter; ++s) {
    set_grads(resumed, s);
    opt2->step();
    schedule2.step();
  }
  for (size_t i = 0; i < straight.size(); ++i)
    expect_bit_identical(resumed[i], straight[i], "parameter " + std::to_string(i));
  const StateMap after = snapshot(opt2->state());
  for (const auto& [name, t] : opt->state()) expect_bit_identical(after.at(name), t, "state " + name);
}

// A parameter without a gradient keeps its value and its state.
TEST_P(OptimBehaviour, SkipsParametersWithoutGradient) {
  std::vector<Tensor> params = make_params(3);
  const Tensor before = params[1].clone();
  auto opt = GetParam().make(params);
  const StateMap initial = snapshot(opt->state());
  for (int s = 1; s <= 2; ++s) {
    set_grads(params, s);
    params[1].set_grad(Tensor());
    opt->step();
  }
  expect_bit_identical(params[1], before, "skipped parameter");
  const StateMap after = snapshot(opt->state());
  for (const auto& [name, t] : after)
    if (name.rfind("1.", 0) == 0) expect_bit_identical(t, initial.at(name), "state " + name);
  EXPECT_EQ(after.at("0.step").item(), 2.f);
  EXPECT_EQ(after.at("1.step").item(), 0.f);
}

// With elements above the parallel grain, the result does not depend on the thread count.
TEST_P(OptimBehaviour, SameResultWithOneOrTwoThreads) {
  const int threads = num_threads();
  std::vector<Tensor> runs[2];
  for (int r = 0; r < 2; ++r) {
    set_num_threads(r + 1);
    Generator gen(5);
    runs[r] = {Tensor::normal({70000}, 0.f, 1.f, &gen).requires_grad_()};
    auto opt = GetParam().make(runs[r]);
    for (int s = 1; s <= 2; ++s) {
      set_grads(runs[r], s);
      opt->step();
    }
  }
  set_num_threads(threads);
  expect_bit_identical(runs[0][0], runs[1][0], "parameter");
}

TEST_P(OptimBehaviour, ZeroGradLeavesGradientsUndefined) {
  std::vector<Tensor> params = make_params(4);
  auto opt = GetParam().make(params);
  set_grads(params, 1);
  opt->zero_grad();
  for (const Tensor& p : params) EXPECT_FALSE(p.grad().defined());
  EXPECT_FALSE(opt->type_name().empty());
  EXPECT_NE(opt->describe().find("lr="), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Optimizers, OptimBehaviour, ::testing::ValuesIn(optim_cases()),
                         optim_case_name);

TEST(OptimState, NamesAndLoadErrors) {
  std::vector<Tensor> params = make_params(6);
  optim::Adam opt(params, {.amsgrad = true});
  std::vector<std::string> names;
  for (const auto& [name, t] : opt.state()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"lr", "0.step", "0.exp_avg", "0.exp_avg_sq",
                                             "0.max_exp_avg_sq", "1.step", "1.exp_avg",
                                             "1.exp_avg_sq", "1.max_exp_avg_sq"}));
  set_grads(params, 1);
  opt.step();
  const StateMap good = snapshot(opt.state());

  StateMap missing = good;
  missing.erase("1.exp_avg_sq");
  expect_error([&] { opt.load_state(missing); }, "'1.exp_avg_sq'");
  StateMap misshaped = good;
  misshaped["0.exp_avg"] = Tensor::zeros({4, 3});
  misshaped["0.step"] = Tensor::scalar(7.f);
  expect_error([&] { opt.load_state(misshaped); }, "'0.exp_avg'");
  EXPECT_EQ(opt.state()[1].second.item(), 1.f) << "a failed load must not change the step";
  StateMap extra = good;
  extra["0.momentum_buffer"] = Tensor::zeros({3, 4});
  expect_error([&] { opt.load_state(extra); }, "'0.momentum_buffer'");
  StateMap fractional = good;
  fractional["1.step"] = Tensor::scalar(1.5f);
  expect_error([&] { opt.load_state(fractional); }, "'1.step'");

  optim::SGD sgd(make_params(6), {.momentum = 0.9});
  expect_error([&] { sgd.load_state(good); }, "'0.momentum_buffer'");
}

TEST(OptimSettings, InvalidSettingsAndParametersAreRejected) {
  using namespace optim;
  expect_error([] { SGD(make_params(1), {.momentum = 0, .nesterov = true}); }, "momentum");
  expect_error([] { SGD(make_params(1), {.lr = -1}); }, "lr");
  expect_error([] { Adam(make_params(1), {.beta1 = 1.0}); }, "beta1");
  expect_error([] { AdamW(make_params(1), {.weight_decay = -0.1}); }, "weight_decay");
  expect_error([] { RMSprop(make_params(1), {.alpha = -0.5}); }, "alpha");
  expect_error([] { Adagrad(make_params(1), {.lr_decay = -1}); }, "lr_decay");
  expect_error([] { SGD(std::vector<Tensor>{}); }, "empty");
  expect_error([] { SGD({Tensor::zeros({2})}); }, "requires grad");
  Tensor p = Tensor::zeros({2}).requires_grad_();
  expect_error([&] { SGD({p, p}); }, "listed twice");
  expect_error([] { SGD({Tensor::zeros({2, 3}).transpose(0, 1).requires_grad_()}); },
                      "not contiguous");
  SGD sgd({p});
  p.set_grad(Tensor::zeros({3}));
  expect_error([&] { sgd.step(); }, "gradient of parameter 0");
  EXPECT_EQ(AdamW(make_params(1)).weight_decay(), 1e-2);
  EXPECT_EQ(Adam(make_params(1)).weight_decay(), 0.0);
}

// The step sees the gradient's values even when it is a non-contiguous view.
TEST(OptimStep, NonContiguousGradient) {
  Tensor p = Tensor::zeros({2, 3}).requires_grad_();
  optim::SGD sgd({p}, {.lr = 1.0});
  p.set_grad(Tensor::from_vector({1, 2, 3, 4, 5, 6}, {3, 2}).transpose(0, 1));
  sgd.step();
  EXPECT_EQ(p.to_vector(), (std::vector<float>{-1, -3, -5, -2, -4, -6}));
}

// Fits y = 3x + 1 with w, b and a mean squared error composed from ops.
class OptimRegression : public ::testing::TestWithParam<OptimCase> {};

TEST_P(OptimRegression, FitsALine) {
  Generator gen(9);
  const Tensor x = Tensor::uniform({32}, -1.f, 1.f, &gen);
  const Tensor y = x * 3.f + 1.f;
  Tensor w = Tensor::zeros({1}).requires_grad_();
  Tensor b = Tensor::zeros({1}).requires_grad_();
  auto opt = GetParam().make({w, b});
  float loss = 0;
  for (int s = 0; s < 400; ++s) {
    opt->zero_grad();
    const Tensor diff = x * w + b - y;
    const Tensor l = mean(diff * diff);
    l.backward();
    opt->step();
    loss = l.item();
  }
  EXPECT_LT(loss, 1e-4f);
  EXPECT_NEAR(w.item(), 3.f, 1e-2f);
  EXPECT_NEAR(b.item(), 1.f, 1e-2f);
}

// Settings that suit this problem (the fixture's settings are tuned for five steps).
std::vector<OptimCase> regression_cases() {
  using namespace optim;
  return {
      optim_case<SGD>("SGD", SGDOptions{.lr = 0.3}),
      optim_case<SGD>("SGD_nesterov", SGDOptions{.lr = 0.05, .momentum = 0.9, .nesterov = true}),
      optim_case<Adam>("Adam", AdamOptions{.lr = 0.05}),
      optim_case<AdamW>("AdamW", AdamOptions{.lr = 0.05, .weight_decay = 1e-4}),
      optim_case<RMSprop>("RMSprop", RMSpropOptions{.lr = 0.01, .momentum = 0.5}),
      optim_case<Adagrad>("Adagrad", AdagradOptions{.lr = 0.5}),
  };
}

INSTANTIATE_TEST_SUITE_P(Optimizers, OptimRegression, ::testing::ValuesIn(regression_cases()),
                         optim_case_name);

}  // namespace
}  // namespace myelin::testing
