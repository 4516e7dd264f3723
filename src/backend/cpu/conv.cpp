// 2-D convolution by im2col + GEMM, with OpenMP threads over the batch. Each thread unfolds one
// image at a time into its own scratch buffer, kept between calls, so the hot path allocates
// nothing. Inside the parallel loop OpenBLAS runs single-threaded; with a batch of one the loop
// is not forked and the GEMMs use BLAS's threads instead. 3x3 kernels at stride 1 go to the
// Winograd kernels (winograd.hpp), which do fewer multiplications.
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "backend/backend.hpp"
#include "backend/cpu/plane_sums.hpp"
#include "backend/cpu/pool_planes.hpp"
#include "backend/cpu/scratch.hpp"
#include "backend/cpu/winograd.hpp"

namespace myelin::backend {
namespace {

using G = Conv2dGeometry;

using cpu::scratch;
using cpu::Scratch;

// The output columns ow whose input column ow * stride + offset lies in [0, width): [lo, hi).
void valid_range(int64_t offset, int64_t stride, int64_t width, int64_t out_w, int64_t& lo,
                 int64_t& hi) {
  lo = 0;
  while (lo < out_w && lo * stride + offset < 0) ++lo;
  hi = out_w;
  while (hi > lo && (hi - 1) * stride + offset >= width) --hi;
}

// col: (C * KH * KW, OH * OW) from x: (C, H, W); zero where a window reads padding.
void im2col(const float* x, int64_t channels, const G& g, float* col) {
  const int64_t L = g.out_h * g.out_w;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t ki = 0; ki < g.kernel_h; ++ki)
      for (int64_t kj = 0; kj < g.kernel_w; ++kj) {
        float* row = col + ((c * g.kernel_h + ki) * g.kernel_w + kj) * L;
        const int64_t col_offset = kj * g.dilation_w - g.pad_w;
        int64_t lo, hi;
        valid_range(col_offset, g.stride_w, g.in_w, g.out_w, lo, hi);
        for (int64_t oh = 0; oh < g.out_h; ++oh) {
          float* r = row + oh * g.out_w;
          const int64_t ih = oh * g.stride_h - g.pad_h + ki * g.dilation_h;
          if (ih < 0 || ih >= g.in_h) {
            std::fill(r, r + g.out_w, 0.f);
            continue;
          }
          const float* xr = x + (c * g.in_h + ih) * g.in_w + col_offset;
          std::fill(r, r + lo, 0.f);
          if (g.stride_w == 1) {
            std::memcpy(r + lo, xr + lo, static_cast<size_t>(hi - lo) * sizeof(float));
          } else {
            for (int64_t ow = lo; ow < hi; ++ow) r[ow] = xr[ow * g.stride_w];
          }
          std::fill(r + hi, r + g.out_w, 0.f);
        }
      }
}

// x: (C, H, W) += the adjoint of im2col applied to col: (C * KH * KW, OH * OW).
void col2im(const float* col, int64_t channels, const G& g, float* x) {
  const int64_t L = g.out_h * g.out_w;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t ki = 0; ki < g.kernel_h; ++ki)
      for (int64_t kj = 0; kj < g.kernel_w; ++kj) {
        const float* row = col + ((c * g.kernel_h + ki) * g.kernel_w + kj) * L;
        const int64_t col_offset = kj * g.dilation_w - g.pad_w;
        int64_t lo, hi;
        valid_range(col_offset, g.stride_w, g.in_w, g.out_w, lo, hi);
        for (int64_t oh = 0; oh < g.out_h; ++oh) {
          const int64_t ih = oh * g.stride_h - g.pad_h + ki * g.dilation_h;
          if (ih < 0 || ih >= g.in_h) continue;
          const float* r = row + oh * g.out_w;
          float* xr = x + (c * g.in_h + ih) * g.in_w + col_offset;
          if (g.stride_w == 1) {  // its own loop, so that this common case vectorises
            for (int64_t ow = lo; ow < hi; ++ow) xr[ow] += r[ow];
          } else {
            for (int64_t ow = lo; ow < hi; ++ow) xr[ow * g.stride_w] += r[ow];
          }
        }
      }
}

// A 1x1 convolution without stride or padding reads the image itself as its column matrix.
bool is_pointwise(const G& g) {
  return g.kernel_h == 1 && g.kernel_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
         g.pad_h == 0 && g.pad_w == 0 && g.in_h == g.out_h && g.in_w == g.out_w;
}

struct Sizes {
  int64_t cg, og, K, L, HW;  // channels and outputs per group, K = cg * KH * KW, L = OH * OW
};
Sizes sizes(const G& g) {
  const int64_t cg = g.in_channels / g.groups;
  return {cg, g.out_channels / g.groups, cg * g.kernel_h * g.kernel_w, g.out_h * g.out_w,
          g.in_h * g.in_w};
}

}  // namespace

int64_t conv2d_workspace_floats(const G& g) {
  return winograd::applies(g) ? winograd::saved_input_floats(g) : 0;
}

void conv2d(const float* x, const float* w, const float* bias, float* y, const G& g,
            float* workspace, const ConvMaxPool* pool) {
  if (winograd::applies(g))
    return winograd::conv2d(x, w, bias, y, g, winograd::default_chunk_tiles(g), workspace, pool);
  const Sizes s = sizes(g);
  const bool pointwise = is_pointwise(g);
  const int64_t pooled = pool ? pool->rows.size() * pool->cols.size() : 0;
#pragma omp parallel for schedule(static) if (g.batch > 1)
  for (int64_t n = 0; n < g.batch; ++n) {
    float* col = pointwise ? nullptr : scratch(static_cast<size_t>(s.K * s.L), Scratch::Columns);
    // The image's output: in y, or with a pool in this thread's scratch, pooled while in cache.
    float* yn = pool ? scratch(static_cast<size_t>(g.out_channels * s.L), Scratch::ConvOutput)
                     : y + n * g.out_channels * s.L;
    for (int64_t grp = 0; grp < g.groups; ++grp) {
      // x_g: (cg, H, W), w_g: (og, K), y_g: (og, L) = w_g @ col + bias_g
      const float* xg = x + (n * g.in_channels + grp * s.cg) * s.HW;
      float* yg = yn + grp * s.og * s.L;
      if (!pointwise) im2col(xg, s.cg, g, col);
      if (bias)
        for (int64_t o = 0; o < s.og; ++o) std::fill_n(yg + o * s.L, s.L, bias[grp * s.og + o]);
      gemm(false, false, s.og, s.L, s.K, 1.f, w + grp * s.og * s.K, s.K, pointwise ? xg : col,
           s.L, bias ? 1.f : 0.f, yg, s.L);
    }
    if (pool)
      cpu::max_pool_planes(yn, pool->y + n * g.out_channels * pooled,
                           pool->index + n * g.out_channels * pooled, g.out_channels, g.out_h,
                           g.out_w, pool->rows, pool->cols, pool->relu);
  }
}

void conv2d_backward(const float* x, const float* gy, const float* w, float* gx, float* gw,
                     float* gb, const G& g, const float* workspace, const ConvMaxPool* pool) {
  if (winograd::applies(g) && (gx || gw))
    return winograd::conv2d_backward(x, gy, w, gx, gw, gb, g, winograd::default_chunk_tiles(g),
                                     workspace, pool);
  const Sizes s = sizes(g);
  const bool pointwise = is_pointwise(g);
  const int64_t pooled = pool ? pool->rows.size() * pool->cols.size() : 0;
  const int64_t wsize = gw ? g.out_channels * s.K : 0;
  const int64_t sums = wsize + (gb ? cpu::plane_sum_floats(g.out_channels) : 0);
  // Each thread sums its images' kernel and bias gradients into its own buffer; the buffers are
  // added in thread order afterwards, so the result depends on the thread count only.
  std::vector<float*> partial(static_cast<size_t>(std::max(1, omp_get_max_threads())), nullptr);
#pragma omp parallel if (g.batch > 1)
  {
    float* acc = sums > 0 ? scratch(static_cast<size_t>(sums), Scratch::WeightSums) : nullptr;
    std::fill_n(acc, sums, 0.f);
    partial[static_cast<size_t>(omp_get_thread_num())] = acc;
    float* col = pointwise ? nullptr : scratch(static_cast<size_t>(s.K * s.L), Scratch::Columns);
#pragma omp for schedule(static)
    for (int64_t n = 0; n < g.batch; ++n) {
      // gy of the image: gy's, or with a pool expanded from the pooled gradient into scratch.
      const float* gyn = gy + n * g.out_channels * s.L;
      if (pool) {
        float* expanded = scratch(static_cast<size_t>(g.out_channels * s.L), Scratch::ConvOutput);
        const int64_t at = n * g.out_channels * pooled;
        cpu::max_pool_backward_planes(gy + at, pool->index + at, expanded, g.out_channels, g.out_h,
                                      g.out_w, pool->rows, pool->cols, pool->relu ? pool->y + at : nullptr);
        gyn = expanded;
      }
      if (gx) {
        float* gxn = gx + n * g.in_channels * s.HW;
        if (!pointwise) std::fill_n(gxn, g.in_channels * s.HW, 0.f);
        for (int64_t grp = 0; grp < g.groups; ++grp) {
          // col: (K, L) = w_g^T (K, og) @ gy_g (og, L), folded back onto the image.
          float* gxg = gxn + grp * s.cg * s.HW;
          gemm(true, false, s.K, s.L, s.og, 1.f, w + grp * s.og * s.K, s.K, gyn + grp * s.og * s.L,
               s.L, 0.f, pointwise ? gxg : col, s.L);
          if (!pointwise) col2im(col, s.cg, g, gxg);
        }
      }
      for (int64_t grp = 0; grp < g.groups && gw; ++grp) {
        // acc_g (og, K) += gy_g (og, L) @ col^T (L, K)
        const float* xg = x + (n * g.in_channels + grp * s.cg) * s.HW;
        if (!pointwise) im2col(xg, s.cg, g, col);
        gemm(false, true, s.og, s.K, s.L, 1.f, gyn + grp * s.og * s.L, s.L, pointwise ? xg : col,
             s.L, 1.f, acc + grp * s.og * s.K, s.K);
      }
      if (gb) cpu::add_plane_sums(gyn, 0, 1, g.out_channels, s.L, acc + wsize);
    }
  }
  if (gw) cpu::sum_parts(partial, 0, wsize, gw);
  if (gb) cpu::plane_sum_totals(partial, wsize, g.out_channels, gb);
}

void conv2d_backward_input(const float* gy, const float* w, float* gx, const G& g) {
  conv2d_backward(nullptr, gy, w, gx, nullptr, nullptr, g);
}

void conv2d_backward_weight(const float* x, const float* gy, float* gw, const G& g, float* gb) {
  conv2d_backward(x, gy, nullptr, nullptr, gw, gb, g);
}

}  // namespace myelin::backend
