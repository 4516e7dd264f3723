// Inverted dropout: how many elements it keeps, how it scales them, its eval mode, its
// determinism under a seeded Generator, and its gradient.
#include <gtest/gtest.h>

#include <cmath>

#include "myelin/myelin.hpp"

namespace myelin {
namespace {

TEST(Dropout, KeepsAboutOneMinusPAndScalesKeptValues) {
  const float p = 0.3f;
  Generator data_gen(1), mask_gen(2);
  const Tensor x = Tensor::uniform({200, 500}, 0.5f, 2.f, &data_gen);  // no zeros of its own
  const std::vector<float> xv = x.to_vector();
  const std::vector<float> yv = dropout(x, p, true, &mask_gen).to_vector();
  int64_t kept = 0;
  for (size_t i = 0; i < yv.size(); ++i) {
    if (yv[i] == 0.f) continue;
    ++kept;
    ASSERT_FLOAT_EQ(yv[i], xv[i] / (1.f - p)) << "element " << i;
  }
  // 100000 Bernoulli(0.7) draws: the standard deviation of the fraction is about 0.0014.
  EXPECT_NEAR(static_cast<double>(kept) / yv.size(), 1.0 - p, 0.01);
}

TEST(Dropout, EvalModeAndZeroProbabilityAreIdentity) {
  Generator gen(3);
  const Tensor x = Tensor::normal({4, 5}, 0.f, 1.f, &gen);
  EXPECT_EQ(dropout(x, 0.5f, false, &gen).to_vector(), x.to_vector());
  EXPECT_EQ(dropout(x, 0.f, true, &gen).to_vector(), x.to_vector());
}

TEST(Dropout, SameSeedGivesSameMask) {
  const Tensor x = Tensor::ones({1000});
  Generator a(42), b(42), c(43);
  const std::vector<float> ya = dropout(x, 0.5f, true, &a).to_vector();
  EXPECT_EQ(ya, dropout(x, 0.5f, true, &b).to_vector());
  EXPECT_NE(ya, dropout(x, 0.5f, true, &c).to_vector());
}

TEST(Dropout, GradientIsTheMask) {
  const float p = 0.4f;
  Generator gen(7);
  Tensor x = Tensor::uniform({30, 40}, 0.5f, 2.f, &gen).requires_grad_();
  const Tensor y = dropout(x, p, true, &gen);
  const Tensor gout = Tensor::normal({30, 40}, 0.f, 1.f, &gen);
  y.backward(gout);
  const std::vector<float> xv = x.to_vector(), yv = y.to_vector();
  const std::vector<float> gv = gout.to_vector(), grad = x.grad().to_vector();
  for (size_t i = 0; i < xv.size(); ++i) {
    const float mask = yv[i] == 0.f ? 0.f : 1.f / (1.f - p);
    ASSERT_FLOAT_EQ(grad[i], gv[i] * mask) << "element " << i;
  }
}

TEST(Dropout, RejectsProbabilityOutsideZeroToOne) {
  const Tensor x = Tensor::ones({3});
  EXPECT_THROW(dropout(x, 1.f, true), Error);
  EXPECT_THROW(dropout(x, -0.1f, true), Error);
}

}  // namespace
}  // namespace myelin
