// A direct convolution (stride 1, no dilation, one group) summed in double, for checking the
// backend's convolution kernels: its outputs and both gradients, with the sum of the terms'
// magnitudes beside each, which bounds the rounding error a float kernel may have.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "backend/backend.hpp"

namespace myelin::testing_conv {

struct Reference {
  std::vector<double> y, gx, gw, gb, y_mag, gx_mag, gw_mag, gb_mag;
};

inline std::vector<float> uniform(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  std::vector<float> v(n);
  for (float& f : v) f = u(rng);
  return v;
}

// y = conv(x, w) + bias, and the gradients of sum(gy * y) in x, w and the bias.
inline Reference reference(const backend::Conv2dGeometry& g, const std::vector<float>& x,
                           const std::vector<float>& w, const std::vector<float>& bias,
                           const std::vector<float>& gy) {
  Reference r;
  r.y.assign(gy.size(), 0.0), r.y_mag.assign(gy.size(), 0.0);
  r.gx.assign(x.size(), 0.0), r.gx_mag.assign(x.size(), 0.0);
  r.gw.assign(w.size(), 0.0), r.gw_mag.assign(w.size(), 0.0);
  r.gb.assign(bias.size(), 0.0), r.gb_mag.assign(bias.size(), 0.0);
  const int64_t kh = g.kernel_h, kw = g.kernel_w;
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t o = 0; o < g.out_channels; ++o)
      for (int64_t i = 0; i < g.out_h; ++i)
        for (int64_t j = 0; j < g.out_w; ++j) {
          const size_t yi = static_cast<size_t>(((n * g.out_channels + o) * g.out_h + i) * g.out_w + j);
          r.y[yi] = bias[static_cast<size_t>(o)], r.y_mag[yi] = std::abs(bias[static_cast<size_t>(o)]);
          r.gb[static_cast<size_t>(o)] += gy[yi], r.gb_mag[static_cast<size_t>(o)] += std::abs(gy[yi]);
          for (int64_t c = 0; c < g.in_channels; ++c)
            for (int64_t a = 0; a < kh; ++a)
              for (int64_t b = 0; b < kw; ++b) {
                const int64_t row = i - g.pad_h + a, col = j - g.pad_w + b;
                if (row < 0 || row >= g.in_h || col < 0 || col >= g.in_w) continue;
                const size_t xi = static_cast<size_t>(((n * g.in_channels + c) * g.in_h + row) * g.in_w + col);
                const size_t wi = static_cast<size_t>(((o * g.in_channels + c) * kh + a) * kw + b);
                const double xw = double(x[xi]) * w[wi], gw = double(gy[yi]) * w[wi], gx = double(gy[yi]) * x[xi];
                r.y[yi] += xw, r.y_mag[yi] += std::abs(xw);
                r.gx[xi] += gw, r.gx_mag[xi] += std::abs(gw);
                r.gw[wi] += gx, r.gw_mag[wi] += std::abs(gx);
              }
        }
  return r;
}

// Each result within a small multiple of float's rounding of the sum of its terms' magnitudes.
inline void expect_close(const std::vector<float>& got, const std::vector<double>& want,
                         const std::vector<double>& magnitude, const char* what) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-5 * magnitude[i] + 1e-6) << what << " at " << i;
}

}  // namespace myelin::testing_conv
