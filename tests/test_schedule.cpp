// LR schedule behaviour (resume, errors, settings) and gradient clipping beyond the PyTorch
// reference numbers.
#include <gtest/gtest.h>

#include <cstring>

#include "myelin/myelin.hpp"

namespace myelin::testing {
namespace {

using namespace optim;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

Tensor parameter() { return Tensor::zeros({1}).requires_grad_(); }

const float kMetrics[] = {1.0f, 0.9f, 0.95f, 0.97f, 0.99f, 0.89f, 0.9f, 0.91f, 0.92f, 0.93f};

// A ReduceLROnPlateau saved mid-way and restored into a fresh optimizer and schedule gives the
// same learning rates as an uninterrupted run.
TEST(Schedule, PlateauResumesExactly) {
  const PlateauOptions options{.factor = 0.5, .patience = 1, .cooldown = 1};
  SGD straight_opt({parameter()}, {.lr = 0.1});
  ReduceLROnPlateau straight(straight_opt, options);
  std::vector<double> expected;
  for (float m : kMetrics) {
    straight.step(m);
    expected.push_back(straight.lr());
  }
  EXPECT_LT(expected.back(), 0.1) << "the metrics must trigger a reduction";

  SGD opt1({parameter()}, {.lr = 0.1});
  ReduceLROnPlateau first(opt1, options);
  for (int e = 0; e < 4; ++e) first.step(kMetrics[e]);
  std::map<std::string, Tensor> opt_state, schedule_state;
  for (const auto& [name, t] : opt1.state()) opt_state[name] = t.clone();
  for (const auto& [name, t] : first.state()) schedule_state[name] = t.clone();

  SGD opt2({parameter()}, {.lr = 0.1});
  ReduceLROnPlateau resumed(opt2, options);
  opt2.load_state(opt_state);
  resumed.load_state(schedule_state);
  EXPECT_EQ(resumed.epoch(), 4);
  EXPECT_EQ(resumed.best(), first.best());
  EXPECT_EQ(resumed.num_bad_epochs(), first.num_bad_epochs());
  for (size_t e = 4; e < std::size(kMetrics); ++e) {
    resumed.step(kMetrics[e]);
    EXPECT_EQ(resumed.lr(), expected[e]) << "epoch " << e + 1;
  }
}

// A closed-form schedule restores its epoch and base lr, and sets the optimizer's lr from them.
TEST(Schedule, ClosedFormRestoresEpochAndBaseLr) {
  SGD opt1({parameter()}, {.lr = 0.2});
  CosineWithWarmup first(opt1, 2, 10, 0.01);
  for (int e = 0; e < 5; ++e) first.step();
  std::map<std::string, Tensor> saved;
  for (const auto& [name, t] : first.state()) saved[name] = t.clone();
  EXPECT_EQ(saved.size(), 2u);

  SGD opt2({parameter()}, {.lr = 0.2});
  CosineWithWarmup resumed(opt2, 2, 10, 0.01);
  resumed.load_state(saved);
  EXPECT_EQ(resumed.epoch(), 5);
  EXPECT_EQ(opt2.lr(), opt1.lr());
  first.step();
  resumed.step();
  EXPECT_EQ(opt2.lr(), opt1.lr());
}

TEST(Schedule, StateErrorsNameTheEntryAndChangeNothing) {
  SGD opt({parameter()}, {.lr = 0.1});
  StepLR schedule(opt, 2);
  schedule.step();
  std::map<std::string, Tensor> state{{"epoch", Tensor::scalar(5.f)}};
  EXPECT_NE(error_of([&] { schedule.load_state(state); }).find("'base_lr'"), std::string::npos);
  state["base_lr"] = Tensor::zeros({2});
  EXPECT_NE(error_of([&] { schedule.load_state(state); }).find("'base_lr'"), std::string::npos);
  state["base_lr"] = Tensor::scalar(0.1f);
  state["best"] = Tensor::scalar(0.f);
  EXPECT_NE(error_of([&] { schedule.load_state(state); }).find("'best'"), std::string::npos);
  state.erase("best");
  state["epoch"] = Tensor::scalar(-1.f);
  EXPECT_NE(error_of([&] { schedule.load_state(state); }).find("'epoch'"), std::string::npos);
  EXPECT_EQ(schedule.epoch(), 1);
}

TEST(Schedule, PlateauNeedsAMetric) {
  SGD opt({parameter()});
  ReduceLROnPlateau schedule(opt);
  EXPECT_NE(error_of([&] { schedule.step(); }).find("step(metric)"), std::string::npos);
  EXPECT_EQ(schedule.epoch(), 0);
  StepLR steps(opt, 1, 0.5);
  steps.step(3.f);  // epoch-driven schedules ignore the metric
  EXPECT_EQ(steps.epoch(), 1);
}

TEST(Schedule, InvalidSettingsAreRejected) {
  SGD opt({parameter()});
  EXPECT_NE(error_of([&] { StepLR(opt, 0); }).find("step_size"), std::string::npos);
  EXPECT_NE(error_of([&] { ExponentialLR(opt, 0.0); }).find("gamma"), std::string::npos);
  EXPECT_NE(error_of([&] { CosineWithWarmup(opt, 5, 5); }).find("total_steps"), std::string::npos);
  EXPECT_NE(error_of([&] { ReduceLROnPlateau(opt, {.factor = 1.0}); }).find("factor"),
            std::string::npos);
  EXPECT_NE(error_of([&] { ReduceLROnPlateau(opt, {.patience = -1}); }).find("patience"),
            std::string::npos);
  EXPECT_EQ(StepLR(opt, 3, 0.5).describe(), "step_size=3, gamma=0.5");
}

// The norm over large gradients is the same with one or two threads, bit for bit.
TEST(ClipGradNorm, IndependentOfThreadCount) {
  const int threads = num_threads();
  double norms[2];
  for (int r = 0; r < 2; ++r) {
    set_num_threads(r + 1);
    Generator gen(4);
    Tensor p = parameter();
    Tensor big = Tensor::zeros({100000}).requires_grad_();
    p.set_grad(Tensor::normal({1}, 0.f, 1.f, &gen));
    big.set_grad(Tensor::normal({100000}, 0.f, 1.f, &gen));
    norms[r] = clip_grad_norm_({p, big}, 1.0);
    EXPECT_NEAR(clip_grad_norm_({p, big}, 1.0), 1.0, 1e-5) << "clipped to max_norm";
  }
  set_num_threads(threads);
  EXPECT_EQ(std::memcmp(&norms[0], &norms[1], sizeof(double)), 0);
  EXPECT_NEAR(norms[0], std::sqrt(100001.0), 2.0);
}

TEST(ClipGradNorm, NoGradientsAndBadMaxNorm) {
  Tensor p = parameter();
  EXPECT_EQ(clip_grad_norm_({p}, 1.0), 0.0);
  p.set_grad(Tensor::full({1}, 3.f));
  EXPECT_NE(error_of([&] { clip_grad_norm_({p}, -1.0); }).find("max_norm"), std::string::npos);
  EXPECT_EQ(p.grad().item(), 3.f);
  EXPECT_DOUBLE_EQ(clip_grad_norm_({p}, 5.0), 3.0);
  EXPECT_EQ(p.grad().item(), 3.f) << "below max_norm: unchanged";
}

}  // namespace
}  // namespace myelin::testing
