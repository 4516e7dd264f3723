// Max and average pooling over windows given per axis, threaded over planes (N * C).
#include <algorithm>

#include "backend/backend.hpp"
#include "backend/cpu/strided.hpp"

namespace myelin::backend {
namespace {

// Forks only when the whole job is worth it.
bool worth_threads(int64_t planes, int64_t per_plane) {
  return planes > 1 && planes * per_plane > cpu::kParallelGrain;
}

}  // namespace

void max_pool2d(const float* x, float* y, float* index, int64_t planes, int64_t in_h,
                int64_t in_w, const PoolWindows& rows, const PoolWindows& cols) {
  const int64_t oh = rows.size(), ow = cols.size();
#pragma omp parallel for schedule(static) if (worth_threads(planes, in_h * in_w))
  for (int64_t p = 0; p < planes; ++p) {
    const float* xp = x + p * in_h * in_w;
    float* yp = y + p * oh * ow;
    float* ip = index + p * oh * ow;
    for (int64_t i = 0; i < oh; ++i) {
      const int64_t h0 = rows.start[i], h1 = rows.end[i];
      for (int64_t j = 0; j < ow; ++j) {
        const int64_t w0 = cols.start[j], w1 = cols.end[j];
        int64_t at = h0 * in_w + w0;
        float best = xp[at];
        for (int64_t h = h0; h < h1 && best == best; ++h)  // a NaN wins and ends the search
          for (int64_t w = (h == h0 ? w0 + 1 : w0); w < w1; ++w) {
            const float v = xp[h * in_w + w];
            if (v > best || v != v) {
              best = v;
              at = h * in_w + w;
              if (v != v) break;
            }
          }
        yp[i * ow + j] = best;
        ip[i * ow + j] = static_cast<float>(at);
      }
    }
  }
}

void max_pool2d_backward(const float* gy, const float* index, float* gx, int64_t planes,
                         int64_t in_hw, int64_t out_hw) {
#pragma omp parallel for schedule(static) if (worth_threads(planes, in_hw))
  for (int64_t p = 0; p < planes; ++p) {
    float* gxp = gx + p * in_hw;
    std::fill_n(gxp, in_hw, 0.f);
    const float* gyp = gy + p * out_hw;
    const float* ip = index + p * out_hw;
    for (int64_t k = 0; k < out_hw; ++k) gxp[static_cast<int64_t>(ip[k])] += gyp[k];
  }
}

void avg_pool2d(const float* x, float* y, int64_t planes, int64_t in_h, int64_t in_w,
                const PoolWindows& rows, const PoolWindows& cols) {
  const int64_t oh = rows.size(), ow = cols.size();
#pragma omp parallel for schedule(static) if (worth_threads(planes, in_h * in_w))
  for (int64_t p = 0; p < planes; ++p) {
    const float* xp = x + p * in_h * in_w;
    float* yp = y + p * oh * ow;
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        float s = 0.f;
        for (int64_t h = rows.start[i]; h < rows.end[i]; ++h)
          for (int64_t w = cols.start[j]; w < cols.end[j]; ++w) s += xp[h * in_w + w];
        yp[i * ow + j] = s / (rows.divisor[i] * cols.divisor[j]);
      }
  }
}

void avg_pool2d_backward(const float* gy, float* gx, int64_t planes, int64_t in_h, int64_t in_w,
                         const PoolWindows& rows, const PoolWindows& cols) {
  const int64_t oh = rows.size(), ow = cols.size();
#pragma omp parallel for schedule(static) if (worth_threads(planes, in_h * in_w))
  for (int64_t p = 0; p < planes; ++p) {
    float* gxp = gx + p * in_h * in_w;
    std::fill_n(gxp, in_h * in_w, 0.f);
    const float* gyp = gy + p * oh * ow;
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        const float share = gyp[i * ow + j] / (rows.divisor[i] * cols.divisor[j]);
        for (int64_t h = rows.start[i]; h < rows.end[i]; ++h)
          for (int64_t w = cols.start[j]; w < cols.end[j]; ++w) gxp[h * in_w + w] += share;
      }
  }
}

}  // namespace myelin::backend
