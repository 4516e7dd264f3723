// max_pool2d picks the first maximum of a window in row-major order, or its first NaN, on every
// path (2x2 at stride 2 has a kernel of its own); the gradient goes to that one element. Ties
// are the common case after a ReLU (windows of zeros), where a gradient check cannot look.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "myelin/myelin.hpp"

namespace myelin {
namespace {

// The flat index into x: (planes, h, w) of each window's winner, by the definition above.
std::vector<int64_t> reference_winners(const std::vector<float>& x, int64_t planes, int64_t h,
                                       int64_t w, int64_t k, int64_t s) {
  std::vector<int64_t> out;
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t i = 0; i + k <= h; i += s)
      for (int64_t j = 0; j + k <= w; j += s) {
        int64_t at = -1;
        for (int64_t a = i; a < i + k; ++a)
          for (int64_t b = j; b < j + k; ++b) {
            const int64_t q = (p * h + a) * w + b;
            const bool held_nan = at >= 0 && std::isnan(x[at]);
            if (!held_nan && (at < 0 || x[q] > x[at] || std::isnan(x[q]))) at = q;
          }
        out.push_back(at);
      }
  return out;
}

void expect_first_winners(int64_t k, int64_t s, int64_t h = 7, int64_t w = 9) {
  const int64_t n = 2, c = 3;
  std::vector<float> v(n * c * h * w);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((i * 7) % 3);  // many ties
  for (size_t i : {5u, 6u, 40u, 41u, 100u, 250u}) v[i] = std::nanf("");
  Tensor x = Tensor::from_vector(v, {n, c, h, w});
  x.requires_grad_();
  const Tensor y = max_pool2d(x, {.kernel = {k, k}, .stride = {s, s}});
  const std::vector<int64_t> winners = reference_winners(v, n * c, h, w, k, s);
  ASSERT_EQ(y.numel(), static_cast<int64_t>(winners.size()));
  // Each output gets a distinct weight; the gradient at a winner is the sum of its outputs'.
  std::vector<float> weights(winners.size()), expected(v.size(), 0.f);
  for (size_t o = 0; o < winners.size(); ++o) {
    weights[o] = static_cast<float>(o + 1);
    expected[winners[o]] += weights[o];
  }
  y.backward(Tensor::from_vector(weights, y.shape()));
  const std::vector<float> got = y.to_vector(), grad = x.grad().to_vector();
  for (size_t o = 0; o < winners.size(); ++o) {
    const float want = v[winners[o]];
    EXPECT_TRUE(std::isnan(want) ? std::isnan(got[o]) : got[o] == want) << "output " << o;
  }
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(grad[i], expected[i]) << "input " << i;
}

TEST(MaxPool, TwoByTwoKernelTakesFirstMaximumAndFirstNaN) { expect_first_winners(2, 2); }
TEST(MaxPool, GeneralKernelTakesFirstMaximumAndFirstNaN) { expect_first_winners(3, 2); }
// Rows of 18 outputs (more than one vector of 16) from an odd width, whose last column no
// window reads.
TEST(MaxPool, TwoByTwoKernelOnRowsLongerThanAVector) { expect_first_winners(2, 2, 6, 37); }

// relu_max_pool2d against max_pool2d(relu(x)), value for value and gradient for gradient (==,
// not near): windows of negatives, of ties at zero and of ties at a positive maximum, NaN.
void expect_same_as_relu_then_pool(const Pool2dOptions& o, int64_t h, int64_t w) {
  const int64_t n = 2, c = 3;
  std::vector<float> v(static_cast<size_t>(n * c * h * w));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(static_cast<int64_t>(i * 7 % 5) - 3);
  for (size_t i : {5u, 41u, 100u}) v[i] = std::nanf("");
  Tensor a = Tensor::from_vector(v, {n, c, h, w}), b = Tensor::from_vector(v, {n, c, h, w});
  a.requires_grad_(), b.requires_grad_();
  const Tensor fused = relu_max_pool2d(a, o), apart = max_pool2d(relu(b), o);
  ASSERT_EQ(fused.shape(), apart.shape());
  std::vector<float> weights(static_cast<size_t>(fused.numel()));
  for (size_t k = 0; k < weights.size(); ++k) weights[k] = static_cast<float>(k % 11) - 4.5f;
  fused.backward(Tensor::from_vector(weights, fused.shape()));
  apart.backward(Tensor::from_vector(weights, apart.shape()));
  const std::vector<float> got = fused.to_vector(), want = apart.to_vector();
  for (size_t k = 0; k < got.size(); ++k)
    EXPECT_TRUE(std::isnan(want[k]) ? std::isnan(got[k]) : got[k] == want[k]) << "output " << k;
  EXPECT_EQ(a.grad().to_vector(), b.grad().to_vector());
}

TEST(ReluMaxPool, TwoByTwoKernelEqualsReluThenPool) { expect_same_as_relu_then_pool({}, 6, 37); }
TEST(ReluMaxPool, OverlappingPaddedWindowsEqualReluThenPool) {
  expect_same_as_relu_then_pool({.kernel = {3, 3}, .stride = {2, 1}, .padding = {1, 1}}, 7, 9);
}

}  // namespace
}  // namespace myelin
