// Initialisers: statistics on large tensors, fans as PyTorch computes them, seeds, in-place writes.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "myelin/myelin.hpp"

namespace myelin::nn {
namespace {

using init::FanMode;
using init::Nonlinearity;

struct Stats {
  double mean = 0, stddev = 0, min = 0, max = 0;
};

Stats stats(const Tensor& t) {
  const std::vector<float> v = t.to_vector();
  Stats s{0, 0, v[0], v[0]};
  for (float x : v) {
    s.mean += x;
    s.min = std::min<double>(s.min, x);
    s.max = std::max<double>(s.max, x);
  }
  s.mean /= v.size();
  for (float x : v) s.stddev += (x - s.mean) * (x - s.mean);
  s.stddev = std::sqrt(s.stddev / v.size());
  return s;
}

// A (256, 128, 3, 3) weight: 294,912 elements, fan_in 1152, fan_out 2304.
const Shape kConvShape = {256, 128, 3, 3};
constexpr double kFanIn = 1152, kFanOut = 2304;
constexpr double kNoBound = std::numeric_limits<double>::infinity();

struct InitCase {
  const char* name;
  std::function<void(Tensor&, Generator*)> fill;
  double mean;
  double stddev;
  double bound;  // all values in [-bound, bound] around the mean (kNoBound: unbounded)
};

const InitCase kCases[] = {
    {"uniform", [](Tensor& t, Generator* g) { init::uniform_(t, -2.0, 3.0, g); }, 0.5, 5.0 / std::sqrt(12.0), 2.5},
    {"normal", [](Tensor& t, Generator* g) { init::normal_(t, 1.5, 0.2, g); }, 1.5, 0.2, kNoBound},
    {"xavier_uniform", [](Tensor& t, Generator* g) { init::xavier_uniform_(t, 2.0, g); }, 0.0,
     2.0 * std::sqrt(2.0 / (kFanIn + kFanOut)), 2.0 * std::sqrt(6.0 / (kFanIn + kFanOut))},
    {"xavier_normal", [](Tensor& t, Generator* g) { init::xavier_normal_(t, 1.0, g); }, 0.0,
     std::sqrt(2.0 / (kFanIn + kFanOut)), kNoBound},
    {"kaiming_uniform_default", [](Tensor& t, Generator* g) { init::kaiming_uniform_(t, 0.0, FanMode::FanIn, Nonlinearity::LeakyReLU, g); },
     0.0, std::sqrt(2.0 / kFanIn), std::sqrt(6.0 / kFanIn)},
    {"kaiming_uniform_fan_out_tanh", [](Tensor& t, Generator* g) { init::kaiming_uniform_(t, 0.0, FanMode::FanOut, Nonlinearity::Tanh, g); },
     0.0, 5.0 / 3.0 / std::sqrt(kFanOut), 5.0 / 3.0 * std::sqrt(3.0 / kFanOut)},
    {"kaiming_uniform_sqrt5", [](Tensor& t, Generator* g) { init::kaiming_uniform_(t, std::sqrt(5.0), FanMode::FanIn, Nonlinearity::LeakyReLU, g); },
     0.0, 1.0 / std::sqrt(3.0 * kFanIn), 1.0 / std::sqrt(kFanIn)},
    {"kaiming_normal_relu_fan_out", [](Tensor& t, Generator* g) { init::kaiming_normal_(t, 0.0, FanMode::FanOut, Nonlinearity::ReLU, g); },
     0.0, std::sqrt(2.0 / kFanOut), kNoBound},
};

class InitStats : public ::testing::TestWithParam<InitCase> {};

TEST_P(InitStats, MeanStdAndBounds) {
  const InitCase& c = GetParam();
  Generator gen(42);
  Tensor t = Tensor::zeros(kConvShape);
  c.fill(t, &gen);
  const Stats s = stats(t);
  // 294,912 samples: the mean is within ~0.01 std with overwhelming probability.
  EXPECT_NEAR(s.mean, c.mean, 0.01 * c.stddev);
  EXPECT_NEAR(s.stddev, c.stddev, 0.01 * c.stddev);
  if (c.bound != kNoBound) {
    const double slack = 1e-6 * (std::fabs(c.mean) + c.bound);  // the bound rounded to float
    EXPECT_GE(s.min, c.mean - c.bound - slack);
    EXPECT_LE(s.max, c.mean + c.bound + slack);
    EXPECT_GT(s.max, c.mean + 0.99 * c.bound);  // fills the whole range
  }
}

TEST_P(InitStats, SameSeedSameValuesAndDefaultGenerator) {
  const InitCase& c = GetParam();
  Tensor a = Tensor::zeros({64, 32}), b = Tensor::zeros({64, 32}), d = Tensor::zeros({64, 32});
  Generator g1(7), g2(7), g3(8);
  c.fill(a, &g1);
  c.fill(b, &g2);
  c.fill(d, &g3);
  EXPECT_EQ(a.to_vector(), b.to_vector());
  EXPECT_NE(a.to_vector(), d.to_vector());
  manual_seed(7);  // null draws from the default generator
  Tensor e = Tensor::zeros({64, 32});
  c.fill(e, nullptr);
  EXPECT_EQ(a.to_vector(), e.to_vector());
}

INSTANTIATE_TEST_SUITE_P(NnInit, InitStats, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<InitCase>& info) { return std::string(info.param.name); });

TEST(NnInit, FansIncludeTheReceptiveField) {
  const init::Fans conv = init::calculate_fans({16, 8, 3, 3});
  EXPECT_EQ(conv.fan_in, 8 * 9);
  EXPECT_EQ(conv.fan_out, 16 * 9);
  const init::Fans dense = init::calculate_fans({5, 4});
  EXPECT_EQ(dense.fan_in, 4);
  EXPECT_EQ(dense.fan_out, 5);
  EXPECT_THROW(init::calculate_fans({7}), Error);
  Tensor bias = Tensor::zeros({7});
  EXPECT_THROW(init::xavier_uniform_(bias), Error);
  EXPECT_THROW(init::kaiming_normal_(bias), Error);
}

TEST(NnInit, GainsMatchTorch) {
  EXPECT_DOUBLE_EQ(init::calculate_gain(Nonlinearity::Linear), 1.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain(Nonlinearity::Sigmoid), 1.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain(Nonlinearity::Tanh), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain(Nonlinearity::ReLU), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(init::calculate_gain(Nonlinearity::LeakyReLU, 0.2), std::sqrt(2.0 / 1.04));
  EXPECT_DOUBLE_EQ(init::calculate_gain(Nonlinearity::SELU), 0.75);
}

TEST(NnInit, ConstantsFillEveryElement) {
  Tensor t = Tensor::empty({3, 5});
  for (auto [fill, value] : {std::pair<std::function<void(Tensor&)>, float>{[](Tensor& x) { init::zeros_(x); }, 0.f},
                             {[](Tensor& x) { init::ones_(x); }, 1.f},
                             {[](Tensor& x) { init::constant_(x, -2.5); }, -2.5f}}) {
    fill(t);
    for (float v : t.to_vector()) EXPECT_EQ(v, value);
  }
}

TEST(NnInit, WritesInPlaceOutsideAutograd) {
  Tensor w = Tensor::zeros({6, 4});
  w.requires_grad_();
  const float* before = w.data();
  init::kaiming_uniform_(w);
  EXPECT_EQ(w.data(), before);
  EXPECT_TRUE(w.is_leaf());
  EXPECT_TRUE(w.requires_grad());
  EXPECT_NE(stats(w).stddev, 0.0);

  // A strided view is filled where it looks, and nowhere else.
  Tensor big = Tensor::zeros({4, 6});
  Tensor view = big.slice(1, 1, 6, 2);  // columns 1, 3, 5
  init::normal_(view, 5.0, 1.0);
  for (int64_t r = 0; r < 4; ++r)
    for (int64_t c = 0; c < 6; ++c) {
      if (c % 2 == 0) EXPECT_EQ(big.at({r, c}), 0.f);
      else EXPECT_NE(big.at({r, c}), 0.f);
    }
}

TEST(NnInit, BadArgumentsThrow) {
  Tensor undefined;
  EXPECT_THROW(init::uniform_(undefined), Error);
  EXPECT_THROW(init::zeros_(undefined), Error);
  Tensor t = Tensor::zeros({2, 2});
  EXPECT_THROW(init::uniform_(t, 1.0, -1.0), Error);
  EXPECT_THROW(init::normal_(t, 0.0, -1.0), Error);
}

}  // namespace
}  // namespace myelin::nn
