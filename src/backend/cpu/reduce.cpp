// Reductions and softmax along one axis of a contiguous (outer, d, inner) block.
#include <algorithm>
#include <cmath>
#include <limits>

#include "backend/backend.hpp"
#include "backend/cpu/strided.hpp"

namespace myelin::backend {

// Each output element is reduced by one thread in a fixed order, so results do not depend on
// the thread count.
void reduce_sum(const float* x, float* out, int64_t outer, int64_t d, int64_t inner) {
  const bool parallel = outer * d * inner > cpu::kParallelGrain;
  if (inner == 1) {
#pragma omp parallel for if (parallel)
    for (int64_t o = 0; o < outer; ++o) {
      const float* row = x + o * d;
      float s = 0.f;
      for (int64_t j = 0; j < d; ++j) s += row[j];
      out[o] = s;
    }
    return;
  }
  // Threads share out blocks of `inner` as well as the outer rows, so that a sum over the
  // leading axis (outer == 1, e.g. a bias gradient) runs in parallel too; every element is summed
  // in the same order whatever the split.
  constexpr int64_t kBlock = 2048;
  const int64_t blocks = (inner + kBlock - 1) / kBlock;
#pragma omp parallel for if (parallel)
  for (int64_t ob = 0; ob < outer * blocks; ++ob) {
    const int64_t o = ob / blocks, i0 = ob % blocks * kBlock, i1 = std::min(inner, i0 + kBlock);
    float* dst = out + o * inner;
    for (int64_t i = i0; i < i1; ++i) dst[i] = 0.f;
    for (int64_t j = 0; j < d; ++j) {
      const float* src = x + (o * d + j) * inner;
      for (int64_t i = i0; i < i1; ++i) dst[i] += src[i];
    }
  }
}

void reduce_max(const float* x, float* out, float* index, int64_t outer, int64_t d,
                int64_t inner) {
#pragma omp parallel for if (outer * d * inner > cpu::kParallelGrain)
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const float* src = x + o * d * inner + i;
      float best = -std::numeric_limits<float>::infinity();
      int64_t at = 0;
      for (int64_t j = 0; j < d; ++j) {
        const float v = src[j * inner];
        if (v > best || std::isnan(v)) {
          best = v;
          at = j;
          if (std::isnan(v)) break;  // NaN propagates, as in PyTorch
        }
      }
      out[o * inner + i] = best;
      if (index) index[o * inner + i] = static_cast<float>(at);
    }
  }
}

void softmax(const float* x, float* y, int64_t outer, int64_t d, int64_t inner, bool log) {
#pragma omp parallel for if (outer * d * inner > cpu::kParallelGrain)
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const float* src = x + o * d * inner + i;
      float* dst = y + o * d * inner + i;
      float m = -std::numeric_limits<float>::infinity();
      for (int64_t j = 0; j < d; ++j) m = std::max(m, src[j * inner]);
      float s = 0.f;
      for (int64_t j = 0; j < d; ++j) {
        const float e = std::exp(src[j * inner] - m);
        dst[j * inner] = e;
        s += e;
      }
      if (log) {
        const float lse = m + std::log(s);
        for (int64_t j = 0; j < d; ++j) dst[j * inner] = src[j * inner] - lse;
      } else {
        const float inv = 1.f / s;
        for (int64_t j = 0; j < d; ++j) dst[j * inner] *= inv;
      }
    }
  }
}

void softmax_backward(const float* y, const float* gy, float* gx, int64_t outer, int64_t d,
                      int64_t inner, bool log) {
#pragma omp parallel for if (outer * d * inner > cpu::kParallelGrain)
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * d * inner + i;
      float s = 0.f;
      if (log) {
        // gx = gy - softmax * sum(gy)
        for (int64_t j = 0; j < d; ++j) s += gy[base + j * inner];
        for (int64_t j = 0; j < d; ++j)
          gx[base + j * inner] = gy[base + j * inner] - std::exp(y[base + j * inner]) * s;
      } else {
        // gx = y * (gy - sum(gy * y))
        for (int64_t j = 0; j < d; ++j) s += gy[base + j * inner] * y[base + j * inner];
        for (int64_t j = 0; j < d; ++j)
          gx[base + j * inner] = y[base + j * inner] * (gy[base + j * inner] - s);
      }
    }
  }
}

}  // namespace myelin::backend
