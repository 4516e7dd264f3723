// The Winograd F(4x4, 3x3) kernels against a direct convolution summed in double: all three
// passes, odd output sizes (tiles hanging over the edge), padding, images smaller than a tile,
// and chunks that split one image into runs of rows of tiles or hold several images.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "backend/cpu/winograd.hpp"
#include "conv_reference.hpp"
#include "myelin/myelin.hpp"

namespace myelin {
namespace {

using backend::Conv2dGeometry;
using testing_conv::expect_close;
using testing_conv::uniform;

struct Case {
  int64_t batch, in_channels, out_channels, in_h, in_w, pad_h, pad_w, chunk_tiles;
};

Conv2dGeometry geometry(const Case& c) {
  Conv2dGeometry g;
  g.batch = c.batch, g.in_channels = c.in_channels, g.out_channels = c.out_channels;
  g.in_h = c.in_h, g.in_w = c.in_w, g.kernel_h = 3, g.kernel_w = 3;
  g.pad_h = c.pad_h, g.pad_w = c.pad_w;
  g.out_h = c.in_h + 2 * c.pad_h - 2, g.out_w = c.in_w + 2 * c.pad_w - 2;
  return g;
}

class Winograd : public ::testing::TestWithParam<Case> {};

TEST_P(Winograd, MatchesDirectConvolutionInAllThreePasses) {
  const Case c = GetParam();
  const Conv2dGeometry g = geometry(c);
  const size_t xn = static_cast<size_t>(g.batch * g.in_channels * g.in_h * g.in_w);
  const size_t wn = static_cast<size_t>(g.out_channels * g.in_channels * 9);
  const size_t yn = static_cast<size_t>(g.batch * g.out_channels * g.out_h * g.out_w);
  const std::vector<float> x = uniform(xn, 1), w = uniform(wn, 2), gy = uniform(yn, 3),
                           bias = uniform(static_cast<size_t>(g.out_channels), 4);
  const testing_conv::Reference want = testing_conv::reference(g, x, w, bias, gy);

  // Filled with NaN first: every element must be written (overwritten, not accumulated).
  const size_t bn = static_cast<size_t>(g.out_channels);
  std::vector<float> got_y(yn, NAN), got_gx(xn, NAN), got_gw(wn, NAN), got_gb(bn, NAN);
  backend::winograd::conv2d(x.data(), w.data(), bias.data(), got_y.data(), g, c.chunk_tiles);
  expect_close(got_y, want.y, want.y_mag, "y");
  // The gradients one at a time, then all in one call.
  backend::winograd::conv2d_backward(nullptr, gy.data(), w.data(), got_gx.data(), nullptr, nullptr, g,
                                     c.chunk_tiles);
  backend::winograd::conv2d_backward(x.data(), gy.data(), nullptr, nullptr, got_gw.data(), nullptr, g,
                                     c.chunk_tiles);
  backend::winograd::conv2d_backward(nullptr, gy.data(), w.data(), std::vector<float>(xn).data(), nullptr,
                                     got_gb.data(), g, c.chunk_tiles);
  expect_close(got_gx, want.gx, want.gx_mag, "gx alone");
  expect_close(got_gw, want.gw, want.gw_mag, "gw alone");
  expect_close(got_gb, want.gb, want.gb_mag, "gb beside gx");
  std::fill(got_gx.begin(), got_gx.end(), NAN);
  std::fill(got_gw.begin(), got_gw.end(), NAN);
  std::fill(got_gb.begin(), got_gb.end(), NAN);
  backend::winograd::conv2d_backward(x.data(), gy.data(), w.data(), got_gx.data(), got_gw.data(),
                                     got_gb.data(), g, c.chunk_tiles);
  expect_close(got_gx, want.gx, want.gx_mag, "gx");
  expect_close(got_gw, want.gw, want.gw_mag, "gw");
  expect_close(got_gb, want.gb, want.gb_mag, "gb");
  // The forward pass saving its transformed input, which the backward pass then reads instead
  // of x (given as null).
  std::vector<float> saved(static_cast<size_t>(backend::winograd::saved_input_floats(g)), NAN);
  std::fill(got_y.begin(), got_y.end(), NAN);
  std::fill(got_gw.begin(), got_gw.end(), NAN);
  std::fill(got_gb.begin(), got_gb.end(), NAN);
  backend::winograd::conv2d(x.data(), w.data(), bias.data(), got_y.data(), g, c.chunk_tiles, saved.data());
  backend::winograd::conv2d_backward(nullptr, gy.data(), nullptr, nullptr, got_gw.data(), got_gb.data(), g,
                                     c.chunk_tiles, saved.data());
  expect_close(got_y, want.y, want.y_mag, "y, saving");
  expect_close(got_gw, want.gw, want.gw_mag, "gw from the saved input");
  expect_close(got_gb, want.gb, want.gb_mag, "gb beside gw from the saved input");
}

INSTANTIATE_TEST_SUITE_P(
    Geometries, Winograd,
    ::testing::Values(Case{3, 8, 9, 7, 9, 0, 0, 256},     // odd output 5x7: tiles overhang
                      Case{2, 9, 8, 6, 5, 1, 1, 4},       // "same": 3x3 tiles, a row per chunk
                      Case{2, 8, 10, 9, 9, 1, 1, 10},     // 5x5 tiles, rows of two at a time
                      Case{5, 8, 8, 3, 3, 2, 1, 16},      // padding wider than one: 5x3 output
                      Case{33, 16, 8, 13, 13, 0, 0, 96},  // several images per chunk
                      Case{3, 8, 8, 1, 2, 1, 1, 256},     // an image smaller than one tile
                      Case{7, 12, 8, 4, 4, 0, 0, 1}));    // a tile per chunk, odd batch

TEST(Winograd, HandlesOnlyWhatItIsMeasuredFasterOn) {
  Conv2dGeometry g = geometry(Case{16, 8, 8, 6, 6, 1, 1, 0});
  EXPECT_TRUE(backend::winograd::applies(g));
  Conv2dGeometry other = g;
  other.batch = 1;  // one image: im2col, with BLAS's threads
  EXPECT_FALSE(backend::winograd::applies(other));
  other = g, other.in_channels = 4;
  EXPECT_FALSE(backend::winograd::applies(other));
  other = g, other.stride_w = 2;
  EXPECT_FALSE(backend::winograd::applies(other));
  other = g, other.dilation_h = 2;
  EXPECT_FALSE(backend::winograd::applies(other));
  other = g, other.groups = 2;
  EXPECT_FALSE(backend::winograd::applies(other));
  other = g, other.kernel_h = 5, other.kernel_w = 5;
  EXPECT_FALSE(backend::winograd::applies(other));
}

// Winograd rounds differently from im2col: within a few float ulps of the larger results.
void expect_near_all(const std::vector<float>& got, const std::vector<float>& want, const char* what) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-4 * std::max(1.f, std::abs(want[i]))) << what << " at " << i;
}

// The conv2d op reaches the Winograd kernels for such a geometry (the forward pass keeping its
// transformed input for the weight's gradient) and agrees, in its output and all three
// gradients, with the im2col path, which it takes for the same data at batch 1, image by image.
TEST(Winograd, Conv2dOpAgreesWithImageByImageIm2col) {
  manual_seed(5);
  const int64_t batch = 18;
  Tensor x = Tensor::normal({batch, 8, 10, 7}, 0.f, 1.f), w = Tensor::normal({16, 8, 3, 3}, 0.f, 1.f),
         b = Tensor::normal({16}, 0.f, 1.f);
  const Tensor r = Tensor::normal({batch, 16, 10, 7}, 0.f, 1.f);  // d loss / d y
  x.requires_grad_(), w.requires_grad_(), b.requires_grad_();
  const Tensor y = conv2d(x, w, b, {.padding = {1, 1}});
  sum(mul(y, r)).backward();
  std::vector<float> gw(static_cast<size_t>(w.numel()), 0.f), gb(16, 0.f);
  for (int64_t n = 0; n < batch; ++n) {
    Tensor xn = x.detach().slice(0, n, n + 1).contiguous(), wn = w.detach().clone(), bn = b.detach().clone();
    xn.requires_grad_(), wn.requires_grad_(), bn.requires_grad_();
    const Tensor yn = conv2d(xn, wn, bn, {.padding = {1, 1}});
    sum(mul(yn, r.slice(0, n, n + 1))).backward();
    expect_near_all(y.detach().slice(0, n, n + 1).contiguous().to_vector(), yn.to_vector(), "y");
    expect_near_all(x.grad().slice(0, n, n + 1).contiguous().to_vector(), xn.grad().to_vector(), "x's gradient");
    const std::vector<float> gwn = wn.grad().to_vector(), gbn = bn.grad().to_vector();
    for (size_t i = 0; i < gw.size(); ++i) gw[i] += gwn[i];
    for (size_t i = 0; i < gb.size(); ++i) gb[i] += gbn[i];
  }
  expect_near_all(w.grad().to_vector(), gw, "w's gradient");
  expect_near_all(b.grad().to_vector(), gb, "b's gradient");
}

}  // namespace
}  // namespace myelin
