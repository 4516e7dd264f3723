// Optimizers, LR schedules and gradient clipping against PyTorch 1.13
// (tests/fixtures/optim.txt, made by scripts/fixtures/make_optim_fixtures.py).
#include "fixture.hpp"
#include "optim_cases.hpp"

namespace myelin::testing {
namespace {

constexpr float kRtol = 1e-5f, kAtol = 1e-6f;
constexpr int kSteps = 5;

const Fixture& fixture() {
  static const Fixture f("optim.txt");
  return f;
}

class OptimReference : public ::testing::TestWithParam<OptimCase> {};

// Five steps from the fixture's parameters with its gradients (p1 has none at step 3).
TEST_P(OptimReference, FiveStepsMatchPyTorch) {
  const Fixture& f = fixture();
  const std::string name = GetParam().name;
  std::vector<Tensor> params;
  for (int j = 0; j < 2; ++j) params.push_back(f["init.p" + std::to_string(j)].clone().requires_grad_());
  auto opt = GetParam().make(params);
  for (int k = 1; k <= kSteps; ++k) {
    opt->zero_grad();
    for (int j = 0; j < 2; ++j) {
      const std::string key = "grad." + std::to_string(k) + ".p" + std::to_string(j);
      if (f.has(key)) params[j].set_grad(f[key].clone());
    }
    opt->step();
    for (int j = 0; j < 2; ++j) {
      const std::string key = name + "." + std::to_string(k) + ".p" + std::to_string(j);
      expect_close(params[j], f[key], kRtol, kAtol, key);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Optimizers, OptimReference, ::testing::ValuesIn(optim_cases()),
                         optim_case_name);

struct ScheduleCase {
  std::string name;
  std::function<std::unique_ptr<optim::Schedule>(optim::Optimizer&)> make;
};

std::vector<ScheduleCase> schedule_cases() {
  using namespace optim;
  return {
      {"steplr", [](Optimizer& o) { return std::make_unique<StepLR>(o, 3, 0.5); }},
      {"exponential", [](Optimizer& o) { return std::make_unique<ExponentialLR>(o, 0.9); }},
      {"cosine_warmup", [](Optimizer& o) { return std::make_unique<CosineWithWarmup>(o, 3, 10, 0.01); }},
      {"cosine_plain", [](Optimizer& o) { return std::make_unique<CosineWithWarmup>(o, 0, 8); }},
      {"plateau_min",
       [](Optimizer& o) {
         return std::make_unique<ReduceLROnPlateau>(
             o, PlateauOptions{.mode = PlateauMode::Min, .factor = 0.5, .patience = 2,
                               .threshold = 0.01, .cooldown = 1, .min_lr = 0.06});
       }},
      {"plateau_max",
       [](Optimizer& o) {
         return std::make_unique<ReduceLROnPlateau>(
             o, PlateauOptions{.mode = PlateauMode::Max, .factor = 0.3, .patience = 1,
                               .threshold = 0.0, .min_lr = 0.005});
       }},
  };
}

class ScheduleReference : public ::testing::TestWithParam<ScheduleCase> {};

// The lr of epochs 0..12, starting from lr 0.1.
TEST_P(ScheduleReference, LearningRatesMatchPyTorch) {
  const Fixture& f = fixture();
  const std::string key = "sched." + GetParam().name;
  optim::SGD opt({Tensor::zeros({1}).requires_grad_()}, {.lr = 0.1});
  auto schedule = GetParam().make(opt);
  const std::vector<float> expected = f[key].to_vector();
  const std::vector<float> metrics =
      f.has(key + ".metrics") ? f[key + ".metrics"].to_vector() : std::vector<float>{};
  ASSERT_EQ(schedule->needs_metric(), !metrics.empty());
  std::vector<float> lrs{static_cast<float>(schedule->lr())};
  for (size_t e = 0; e + 1 < expected.size(); ++e) {
    if (metrics.empty()) schedule->step();
    else schedule->step(metrics.at(e));
    lrs.push_back(static_cast<float>(opt.lr()));
  }
  expect_close(Tensor::from_vector(lrs, {static_cast<int64_t>(lrs.size())}), f[key], kRtol, kAtol, key);
  EXPECT_EQ(schedule->epoch(), static_cast<int64_t>(expected.size()) - 1);
}

INSTANTIATE_TEST_SUITE_P(Schedules, ScheduleReference, ::testing::ValuesIn(schedule_cases()),
                         [](const auto& info) { return info.param.name; });

TEST(ClipReference, NormAndScaledGradsMatchPyTorch) {
  const Fixture& f = fixture();
  for (const auto& [name, max_norm] : {std::pair{"max1", 1.0}, std::pair{"max100", 100.0}}) {
    std::vector<Tensor> params;
    for (int j = 0; j < 2; ++j) {
      Tensor p = Tensor::zeros(f["clip.g" + std::to_string(j)].shape()).requires_grad_();
      p.set_grad(f["clip.g" + std::to_string(j)].clone());
      params.push_back(p);
    }
    params.push_back(Tensor::zeros({2}).requires_grad_());  // no gradient: skipped
    const std::string prefix = std::string("clip.") + name;
    const double norm = optim::clip_grad_norm_(params, max_norm);
    EXPECT_NEAR(norm, f[prefix + ".norm"].item(), 1e-5 * norm) << prefix;
    for (int j = 0; j < 2; ++j)
      expect_close(params[j].grad(), f[prefix + ".g" + std::to_string(j)], kRtol, kAtol,
                   prefix + ".g" + std::to_string(j));
    EXPECT_FALSE(params[2].grad().defined());
  }
}

}  // namespace
}  // namespace myelin::testing
