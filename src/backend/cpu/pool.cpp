// Max and average pooling over windows given per axis, threaded over planes (N * C).
#ifdef __AVX512F__
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstdint>
#include <vector>

#include <omp.h>

#include "backend/backend.hpp"
#include "backend/cpu/pool_planes.hpp"
#include "backend/cpu/strided.hpp"

namespace myelin::backend {
namespace {

// Forks only when the whole job is worth it.
bool worth_threads(int64_t planes, int64_t per_plane) {
  return planes > 1 && planes * per_plane > cpu::kParallelGrain;
}

// Calls body(first, count) on ranges of planes that cover [0, planes): one per thread when the
// job is worth forking, else one.
template <class Body>
void over_planes(int64_t planes, int64_t per_plane, Body body) {
  if (!worth_threads(planes, per_plane)) return body(int64_t{0}, planes);
#pragma omp parallel
  {
    const int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t first = planes * t / threads;
    body(first, planes * (t + 1) / threads - first);
  }
}

// True when the windows are [2i, 2i + 2): a 2x2, stride-2 pool without padding on this axis.
bool pairs(const PoolWindows& w) {
  for (int64_t i = 0; i < w.size(); ++i)
    if (w.start[i] != 2 * i || w.end[i] != 2 * i + 2) return false;
  return true;
}

#ifdef __AVX512F__
// The mask of a vector's first n lanes (all 16 from n = 16 on).
inline __mmask16 first_lanes(int64_t n) { return static_cast<__mmask16>(n >= 16 ? 0xFFFF : (1u << n) - 1); }

// Stores the lanes of v that `lanes` selects: a plain store when it selects all, since masked
// stores are slow on AMD's cores even with a full mask.
inline void store_lanes(float* p, __mmask16 lanes, __m512 v) {
  if (lanes == 0xFFFF) _mm512_storeu_ps(p, v);
  else _mm512_mask_storeu_ps(p, lanes, v);
}
#endif

// max_pool2d for 2x2 windows at stride 2, the common case. The general loop's comparisons are
// branches with random outcomes (and ReLU outputs often tie at zero), and each
// misprediction also stalls on the next cache miss: about 20 ns per output in W2. Both versions
// below are branch-free, with the general loop's result: the first maximum in row-major order,
// or the first NaN.
#ifdef __AVX512F__
// With AVX-512, row by row: up to 16 outputs from two vectors of each input row, split into even
// and odd columns by permutes, with masked loads for a row's end. (The table version below
// compiles to gathers, which are slow on AMD's cores: its share of W2's time was 6.4%, this
// one's 4.4%.)
void max_pool2x2(const float* x, float* y, float* index, int64_t planes, int64_t in_h,
                 int64_t in_w, int64_t oh, int64_t ow, bool relu) {
  const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  const __m512i one = _mm512_set1_epi32(1), w = _mm512_set1_epi32(static_cast<int32_t>(in_w)),
                w1 = _mm512_set1_epi32(static_cast<int32_t>(in_w + 1)), zero = _mm512_setzero_si512();
  for (int64_t p = 0; p < planes; ++p) {
    const float* xp = x + p * in_h * in_w;
    float* yp = y + p * oh * ow;
    float* ip = index + p * oh * ow;
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j0 = 0; j0 < ow; j0 += 16) {
        const int64_t count = std::min<int64_t>(16, ow - j0), inputs = 2 * count;
        const __mmask16 lo = first_lanes(inputs), hi = first_lanes(std::max<int64_t>(0, inputs - 16));
        const float* top = xp + 2 * i * in_w + 2 * j0;
        const float* bottom = top + in_w;
        const __m512 t0 = _mm512_maskz_loadu_ps(lo, top), t1 = _mm512_maskz_loadu_ps(hi, top + 16);
        const __m512 b0 = _mm512_maskz_loadu_ps(lo, bottom), b1 = _mm512_maskz_loadu_ps(hi, bottom + 16);
        const __m512 v0 = _mm512_permutex2var_ps(t0, even, t1), v1 = _mm512_permutex2var_ps(t0, odd, t1);
        const __m512 v2 = _mm512_permutex2var_ps(b0, even, b1), v3 = _mm512_permutex2var_ps(b0, odd, b1);
        // As the scalar loop: the first value equal to the maximum, unless there is a NaN: then
        // the first NaN (applied from last to first).
        __m512 best = _mm512_max_ps(_mm512_max_ps(v0, v1), _mm512_max_ps(v2, v3));
        __m512i at = _mm512_mask_blend_epi32(_mm512_cmp_ps_mask(v2, best, _CMP_EQ_OQ), w1, w);
        at = _mm512_mask_blend_epi32(_mm512_cmp_ps_mask(v1, best, _CMP_EQ_OQ), at, one);
        at = _mm512_mask_blend_epi32(_mm512_cmp_ps_mask(v0, best, _CMP_EQ_OQ), at, zero);
        if (_mm512_cmp_ps_mask(v0, v1, _CMP_UNORD_Q) | _mm512_cmp_ps_mask(v2, v3, _CMP_UNORD_Q)) {
          const __m512 vs[4] = {v0, v1, v2, v3};
          const __m512i offsets[4] = {zero, one, w, w1};
          for (int k = 3; k >= 0; --k) {
            const __mmask16 nan = _mm512_cmp_ps_mask(vs[k], vs[k], _CMP_UNORD_Q);
            at = _mm512_mask_blend_epi32(nan, at, offsets[k]);
            best = _mm512_mask_blend_ps(nan, best, vs[k]);
          }
        }
        // relu(best): zero below zero; a NaN stays (x < 0 is false for it).
        const __m512 zero_ps = _mm512_setzero_ps();
        if (relu) best = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(best, zero_ps, _CMP_LT_OQ), best, zero_ps);
        const __m512i origin =
            _mm512_add_epi32(_mm512_set1_epi32(static_cast<int32_t>(2 * i * in_w + 2 * j0)), even);
        const __m512 where = _mm512_cvtepi32_ps(_mm512_add_epi32(origin, at));
        // A whole vector where the plane's outputs go on past it (the next row overwrites the
        // extra lanes later); only the plane's last outputs are stored exactly.
        float* yo = yp + i * ow + j0;
        float* io = ip + i * ow + j0;
        const __mmask16 stored = i * ow + j0 + 16 <= oh * ow ? __mmask16{0xFFFF} : first_lanes(count);
        store_lanes(yo, stored, best);
        store_lanes(io, stored, where);
      }
  }
}
#else
// Vectorised over a whole plane, reading each window through a table of offsets (a row of 5 or
// 13 outputs is too short for vectors): 1.5 to 2 ns per output.
void max_pool2x2(const float* x, float* y, float* index, int64_t planes, int64_t in_h,
                 int64_t in_w, int64_t oh, int64_t ow, bool relu) {
  // offset[e]: the top-left input of output e = i * ow + j within a plane (< 2^24: the op checks).
  thread_local std::vector<int32_t> table;
  const int64_t n = oh * ow;
  table.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < oh; ++i)
    for (int64_t j = 0; j < ow; ++j) table[i * ow + j] = static_cast<int32_t>(2 * i * in_w + 2 * j);
  const int32_t* offset = table.data();
  const int32_t w = static_cast<int32_t>(in_w);
  for (int64_t p = 0; p < planes; ++p) {
    const float* xp = x + p * in_h * in_w;
    float* yp = y + p * n;
    float* ip = index + p * n;
#pragma omp simd
    for (int64_t e = 0; e < n; ++e) {
      const int32_t o = offset[e];
      const float v0 = xp[o], v1 = xp[o + 1], v2 = xp[o + w], v3 = xp[o + w + 1];
      // at: the winner's offset from o, the first value equal to the maximum, unless there is
      // a NaN: then the first NaN (checked from last to first).
      float best = std::max(std::max(v0, v1), std::max(v2, v3));
      int32_t at = v2 == best ? w : w + 1;
      at = v1 == best ? 1 : at;
      at = v0 == best ? 0 : at;
      at = v3 != v3 ? w + 1 : at, best = v3 != v3 ? v3 : best;
      at = v2 != v2 ? w : at, best = v2 != v2 ? v2 : best;
      at = v1 != v1 ? 1 : at, best = v1 != v1 ? v1 : best;
      at = v0 != v0 ? 0 : at, best = v0 != v0 ? v0 : best;
      yp[e] = relu && best < 0.f ? 0.f : best;
      ip[e] = static_cast<float>(o + at);
    }
  }
}
#endif

// max_pool2d_backward of p planes for 2x2 windows at stride 2, dense: each window's four inputs
// written at once (its gradient where the index points, zero elsewhere), the inputs no window
// reads zeroed, instead of zeroing the planes and adding each gradient at its index. Returns
// false where it does not apply (no AVX-512).
bool max_pool2x2_backward(const float* gy, const float* index, float* gx, int64_t planes,
                          int64_t in_h, int64_t in_w, int64_t oh, int64_t ow, const float* relu_y) {
#ifdef __AVX512F__
  // Lane j of a pair of vectors (even, odd) to position 2j + (0 or 1) of two vectors.
  const __m512i low = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
  const __m512i high = _mm512_add_epi32(low, _mm512_set1_epi32(8));
  const __m512i lanes = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  const __m512i one = _mm512_set1_epi32(1), w = _mm512_set1_epi32(static_cast<int32_t>(in_w)),
                w1 = _mm512_set1_epi32(static_cast<int32_t>(in_w + 1));
  const __m512 ones = _mm512_set1_ps(1.f);
  for (int64_t p = 0; p < planes; ++p) {
    float* gxp = gx + p * in_h * in_w;
    const int64_t out = p * oh * ow;
    for (int64_t i = 0; i < oh; ++i) {
      for (int64_t j0 = 0; j0 < ow; j0 += 16) {
        const int64_t count = std::min<int64_t>(16, ow - j0), at = out + i * ow + j0;
        const __mmask16 m = first_lanes(count);
        __m512 g = _mm512_maskz_loadu_ps(m, gy + at);
        if (relu_y)  // gy * relu'(y), the product relu's backward forms
          g = _mm512_mul_ps(g, _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(_mm512_maskz_loadu_ps(m, relu_y + at),
                                                                      _mm512_setzero_ps(), _CMP_GT_OQ), ones));
        const __m512i origin =
            _mm512_add_epi32(_mm512_set1_epi32(static_cast<int32_t>(2 * i * in_w + 2 * j0)), lanes);
        const __m512i local = _mm512_sub_epi32(_mm512_cvttps_epi32(_mm512_maskz_loadu_ps(m, index + at)), origin);
        const __m512 t0 = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(local, _mm512_setzero_si512()), g);
        const __m512 t1 = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(local, one), g);
        const __m512 b0 = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(local, w), g);
        const __m512 b1 = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(local, w1), g);
        const int64_t inputs = 2 * count;
        const __mmask16 lo = first_lanes(inputs), hi = first_lanes(std::max<int64_t>(0, inputs - 16));
        float* top = gxp + 2 * i * in_w + 2 * j0;
        store_lanes(top, lo, _mm512_permutex2var_ps(t0, low, t1));
        store_lanes(top + 16, hi, _mm512_permutex2var_ps(t0, high, t1));
        store_lanes(top + in_w, lo, _mm512_permutex2var_ps(b0, low, b1));
        store_lanes(top + in_w + 16, hi, _mm512_permutex2var_ps(b0, high, b1));
      }
      for (int64_t c = 2 * ow; c < in_w; ++c) gxp[2 * i * in_w + c] = gxp[(2 * i + 1) * in_w + c] = 0.f;
    }
    // A loop, not std::fill: the rest is a row or two, and memset's call costs more.
    for (int64_t e = 2 * oh * in_w; e < in_h * in_w; ++e) gxp[e] = 0.f;
  }
  return true;
#else
  (void)gy, (void)index, (void)gx, (void)planes, (void)in_h, (void)in_w, (void)oh, (void)ow, (void)relu_y;
  return false;
#endif
}

}  // namespace

namespace cpu {

void max_pool_planes(const float* x, float* y, float* index, int64_t planes, int64_t in_h,
                     int64_t in_w, const PoolWindows& rows, const PoolWindows& cols, bool relu) {
  const int64_t oh = rows.size(), ow = cols.size();
  if (pairs(rows) && pairs(cols)) return max_pool2x2(x, y, index, planes, in_h, in_w, oh, ow, relu);
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
        yp[i * ow + j] = relu && best < 0.f ? 0.f : best;
        ip[i * ow + j] = static_cast<float>(at);
      }
    }
  }
}

void max_pool_backward_planes(const float* gy, const float* index, float* gx, int64_t planes,
                              int64_t in_h, int64_t in_w, const PoolWindows& rows,
                              const PoolWindows& cols, const float* relu_y) {
  const int64_t in_hw = in_h * in_w, out_hw = rows.size() * cols.size();
  if (pairs(rows) && pairs(cols) &&
      max_pool2x2_backward(gy, index, gx, planes, in_h, in_w, rows.size(), cols.size(), relu_y))
    return;
  for (int64_t p = 0; p < planes; ++p) {
    float* gxp = gx + p * in_hw;
    std::fill_n(gxp, in_hw, 0.f);
    const float* gyp = gy + p * out_hw;
    const float* ip = index + p * out_hw;
    if (relu_y) {
      // gy * relu'(y), the product relu's backward forms (so a NaN gradient stays NaN there).
      const float* yp = relu_y + p * out_hw;
      for (int64_t k = 0; k < out_hw; ++k)
        gxp[static_cast<int64_t>(ip[k])] += gyp[k] * (yp[k] > 0.f ? 1.f : 0.f);
    } else {
      for (int64_t k = 0; k < out_hw; ++k) gxp[static_cast<int64_t>(ip[k])] += gyp[k];
    }
  }
}

}  // namespace cpu

void max_pool2d(const float* x, float* y, float* index, int64_t planes, int64_t in_h,
                int64_t in_w, const PoolWindows& rows, const PoolWindows& cols, bool relu) {
  const int64_t out_hw = rows.size() * cols.size();
  over_planes(planes, in_h * in_w, [&](int64_t first, int64_t count) {
    cpu::max_pool_planes(x + first * in_h * in_w, y + first * out_hw, index + first * out_hw, count,
                         in_h, in_w, rows, cols, relu);
  });
}

void max_pool2d_backward(const float* gy, const float* index, float* gx, int64_t planes,
                         int64_t in_h, int64_t in_w, const PoolWindows& rows,
                         const PoolWindows& cols, const float* relu_y) {
  const int64_t in_hw = in_h * in_w, out_hw = rows.size() * cols.size();
  over_planes(planes, in_hw, [&](int64_t first, int64_t count) {
    cpu::max_pool_backward_planes(gy + first * out_hw, index + first * out_hw, gx + first * in_hw,
                                  count, in_h, in_w, rows, cols,
                                  relu_y ? relu_y + first * out_hw : nullptr);
  });
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
