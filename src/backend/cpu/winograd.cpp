// Winograd F(4x4, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks").
// With d a 6x6 input block, k a 3x3 kernel and the 4x4 output block y:
//   y = A^T [(G k G^T) * (B^T d B)] A          (* elementwise over the 36 points)
// Over channels the elementwise products become, for each point p of 36, one GEMM
//   M_p (O, T) = U_p (O, C) @ V_p (C, T),   U = G k G^T per (o, c),  V = B^T d B per (c, tile)
// The two backward passes are the adjoints of the same chain:
//   gradient of the input:   Z = A gy A^T,  W_p (C, T) = U_p^T @ Z_p,  gx += B W B^T per block
//   gradient of the kernel:  gU_p (O, C) = sum over tiles Z_p @ V_p^T,  gk = G^T gU G
// F(4x4, 3x3) rounds a little more than F(2x2, 3x3) (its transforms scale by up to 8 and
// 1/24); tests/test_backend_winograd.cpp holds every result within 1e-5 of the sum of its
// terms' magnitudes. It measured about 30% faster than F(2x2, 3x3) on W2's second layer.
//
// Work is shared out in chunks: whole images, or runs of rows of tiles of one image. Within a
// chunk, the transforms gather the tiles' blocks point by point into small arrays, kBlock tiles
// at a time, so that the arithmetic vectorises across tiles and each of a chunk matrix's 36
// rows is written (or read) as one contiguous run. A column of the GEMMs is one tile.
#include "backend/cpu/winograd.hpp"

#include <omp.h>

#include <algorithm>
#include <vector>

#include "backend/cpu/plane_sums.hpp"
#include "backend/cpu/scratch.hpp"

namespace myelin::backend::winograd {
namespace {

using G = Conv2dGeometry;
constexpr int kOut = 4;                 // outputs per tile, each way
constexpr int kIn = kOut + 2;           // inputs per tile, each way (3x3 kernels)
constexpr int64_t kPoints = kIn * kIn;  // points of the transformed block

using cpu::scratch;
using cpu::Scratch;

// ---- the transforms: 1-D, applied to rows and then to columns of a block ----
// B^T: 6 -> 6 (input), A^T: 6 -> 4 (output), G: 3 -> 6 (kernel), and their transposes.
inline void apply_bt(const float* v, float* r) {
  r[0] = 4.f * v[0] - 5.f * v[2] + v[4];
  r[1] = -4.f * (v[1] + v[2]) + v[3] + v[4];
  r[2] = 4.f * (v[1] - v[2]) - v[3] + v[4];
  r[3] = 2.f * (v[3] - v[1]) - v[2] + v[4];
  r[4] = 2.f * (v[1] - v[3]) - v[2] + v[4];
  r[5] = 4.f * v[1] - 5.f * v[3] + v[5];
}
inline void apply_b(const float* v, float* r) {
  r[0] = 4.f * v[0];
  r[1] = 4.f * (v[2] - v[1] + v[5]) + 2.f * (v[4] - v[3]);
  r[2] = -5.f * v[0] - 4.f * (v[1] + v[2]) - v[3] - v[4];
  r[3] = v[1] - v[2] + 2.f * (v[3] - v[4]) - 5.f * v[5];
  r[4] = v[0] + v[1] + v[2] + v[3] + v[4];
  r[5] = v[5];
}
inline void apply_at(const float* v, float* r) {
  r[0] = v[0] + v[1] + v[2] + v[3] + v[4];
  r[1] = v[1] - v[2] + 2.f * (v[3] - v[4]);
  r[2] = v[1] + v[2] + 4.f * (v[3] + v[4]);
  r[3] = v[1] - v[2] + 8.f * (v[3] - v[4]) + v[5];
}
inline void apply_a(const float* v, float* r) {
  r[0] = v[0];
  r[1] = v[0] + v[1] + v[2] + v[3];
  r[2] = v[0] - v[1] + v[2] - v[3];
  r[3] = v[0] + 2.f * v[1] + 4.f * v[2] + 8.f * v[3];
  r[4] = v[0] - 2.f * v[1] + 4.f * v[2] - 8.f * v[3];
  r[5] = v[3];
}
inline void apply_g(const float* v, float* r) {
  r[0] = 0.25f * v[0];
  r[1] = (v[0] + v[1] + v[2]) * (-1.f / 6);
  r[2] = (v[0] - v[1] + v[2]) * (-1.f / 6);
  r[3] = v[0] * (1.f / 24) + v[1] * (1.f / 12) + v[2] * (1.f / 6);
  r[4] = v[0] * (1.f / 24) - v[1] * (1.f / 12) + v[2] * (1.f / 6);
  r[5] = v[2];
}
inline void apply_gt(const float* v, float* r) {
  r[0] = 0.25f * v[0] - (v[1] + v[2]) * (1.f / 6) + (v[3] + v[4]) * (1.f / 24);
  r[1] = (v[2] - v[1]) * (1.f / 6) + (v[3] - v[4]) * (1.f / 12);
  r[2] = (v[3] + v[4] - v[1] - v[2]) * (1.f / 6) + v[5];
}

// out (R, S) = T(in) T^T for in (P, Q): row(in row, out row) maps Q values to S, col maps the P
// values of a column to R. The transform applied along both axes of a small block.
template <int P, int Q, int R, int S, class Row, class Col>
inline void transform_2d(const float* in, float* out, Row row, Col col) {
  float rows[P][S];
#pragma GCC unroll 6
  for (int i = 0; i < P; ++i) row(in + i * Q, rows[i]);
#pragma GCC unroll 6
  for (int j = 0; j < S; ++j) {
    float column[P], result[R];
#pragma GCC unroll 6
    for (int i = 0; i < P; ++i) column[i] = rows[i][j];
    col(column, result);
#pragma GCC unroll 6
    for (int i = 0; i < R; ++i) out[i * S + j] = result[i];
  }
}

// Kernels are transformed kKernelBlock at a time through a small array: U's rows lie O * C floats
// apart, often a multiple of 4 KiB, and writing (or reading) all 36 of them kernel by kernel
// makes the cache sets thrash.
constexpr int64_t kKernelBlock = 64;

// U: (36, O, C) = G k G^T for the kernels w: (O, C, 3, 3), or U transposed: (36, C, O). Shared
// out over the threads of an enclosing parallel region, which it leaves at a barrier.
void transform_kernels(const float* w, int64_t out_channels, int64_t channels, bool transposed,
                       float* u) {
  const int64_t oc = out_channels * channels;
#pragma omp for schedule(static)
  for (int64_t first = 0; first < oc; first += kKernelBlock) {
    const int64_t count = std::min(kKernelBlock, oc - first);
    float blocks[kPoints][kKernelBlock];
    for (int64_t b = 0; b < count; ++b) {
      // U's column `at` in order, so that each of its rows is written front to back.
      const int64_t at = first + b;
      const int64_t i = transposed ? at % out_channels * channels + at / out_channels : at;
      float block[kPoints];
      transform_2d<3, 3, kIn, kIn>(w + i * 9, block, apply_g, apply_g);
      for (int64_t p = 0; p < kPoints; ++p) blocks[p][b] = block[p];
    }
    for (int64_t p = 0; p < kPoints; ++p) std::copy_n(blocks[p], count, u + p * oc + first);
  }
}

// gw: (O, C, 3, 3) = G^T gU G for gU: (36, O, C) the sum of the threads' parts, added in thread
// order. Shared out over the threads of an enclosing parallel region.
void untransform_kernels(const std::vector<float*>& parts, int64_t out_channels, int64_t channels,
                         float* gw) {
  const int64_t oc = out_channels * channels;
#pragma omp for schedule(static)
  for (int64_t first = 0; first < oc; first += kKernelBlock) {
    const int64_t count = std::min(kKernelBlock, oc - first);
    float sums[kPoints][kKernelBlock] = {};
    for (const float* part : parts)
      if (part)
        for (int64_t p = 0; p < kPoints; ++p)
          for (int64_t b = 0; b < count; ++b) sums[p][b] += part[p * oc + first + b];
    for (int64_t b = 0; b < count; ++b) {
      float block[kPoints];
      for (int64_t p = 0; p < kPoints; ++p) block[p] = sums[p][b];
      transform_2d<kIn, kIn, 3, 3>(block, gw + (first + b) * 9, apply_gt, apply_gt);
    }
  }
}

// ---- chunks of work ----
// The tiles one worker transforms at once: images [n0, n1), tile rows [ty0, ty1) of each.
struct Chunk {
  int64_t n0, n1, ty0, ty1;
};

struct Tiling {
  int64_t rows, cols;      // tiles per image: ceil(out / 4) each way
  int64_t groups;          // image groups, spread over the threads
  int64_t rows_per_piece;  // tile rows per chunk when one image alone exceeds chunk_tiles
  int64_t max_tiles;       // the most tiles any chunk holds
};

// Tiles along an output axis of the given length.
int64_t tiles_across(int64_t out) { return (out + kOut - 1) / kOut; }

Tiling tiling(const G& g, int64_t chunk_tiles) {
  Tiling t;
  t.rows = tiles_across(g.out_h), t.cols = tiles_across(g.out_w);
  const int64_t per_image = t.rows * t.cols;
  const int64_t images_per_group = std::max<int64_t>(1, chunk_tiles / per_image);
  // Whole images per group, a multiple of 4 groups, so that 1, 2 or 4 threads get equal
  // shares. The split does not depend on the thread count: a forward pass's saved transformed
  // input is laid out by it and read back by the backward pass.
  const int64_t groups = (g.batch + images_per_group - 1) / images_per_group;
  t.groups = std::min(g.batch, (groups + 3) / 4 * 4);
  t.rows_per_piece = std::clamp<int64_t>(chunk_tiles / t.cols, 1, t.rows);
  const int64_t most_images = (g.batch + t.groups - 1) / t.groups;
  t.max_tiles = most_images > 1 ? most_images * per_image : t.rows_per_piece * t.cols;
  return t;
}

// Calls body(chunk) for every chunk, the groups shared out by an enclosing OpenMP parallel
// region. The chunks of one image go to one thread, in row order: neighbouring rows of tiles
// add into the same rows of the input gradient.
template <class Body>
void for_each_chunk(const G& g, const Tiling& t, Body body) {
#pragma omp for schedule(static)
  for (int64_t group = 0; group < t.groups; ++group) {
    const int64_t n0 = group * g.batch / t.groups, n1 = (group + 1) * g.batch / t.groups;
    const int64_t step = n1 - n0 == 1 ? t.rows_per_piece : t.rows;
    for (int64_t ty0 = 0; ty0 < t.rows; ty0 += step)
      body(Chunk{n0, n1, ty0, std::min(t.rows, ty0 + step)});
  }
}

// Where a tile's blocks lie: its 6x6 input block starts at (row, col) of image n's planes (and
// may reach into the padding), its 4x4 output block at (out_row, out_col).
struct TilePlace {
  int64_t n, row, col, out_row, out_col;
  bool input_inside, output_inside;  // the whole block lies inside the plane
};

// The places of the chunk's tiles, in their order as the columns of the chunk's matrices.
void place_tiles(const G& g, const Chunk& k, const Tiling& t, std::vector<TilePlace>& places) {
  places.clear();
  for (int64_t n = k.n0; n < k.n1; ++n)
    for (int64_t ty = k.ty0; ty < k.ty1; ++ty)
      for (int64_t tx = 0; tx < t.cols; ++tx) {
        const int64_t r = kOut * ty - g.pad_h, c = kOut * tx - g.pad_w;
        places.push_back({n, r, c, kOut * ty, kOut * tx,
                          r >= 0 && c >= 0 && r + kIn <= g.in_h && c + kIn <= g.in_w,
                          kOut * (ty + 1) <= g.out_h && kOut * (tx + 1) <= g.out_w});
      }
}

// Calls f(point, offset) for each element of the tile's 6x6 input block that lies inside the
// plane (H, W), offset = row * W + column; blocks wholly inside take the loop without checks.
template <class F>
inline void for_each_input_element(const TilePlace& tp, const G& g, F f) {
  if (tp.input_inside) {
    const int64_t origin = tp.row * g.in_w + tp.col;
#pragma GCC unroll 6
    for (int i = 0; i < kIn; ++i)
#pragma GCC unroll 6
      for (int j = 0; j < kIn; ++j) f(i * kIn + j, origin + i * g.in_w + j);
    return;
  }
  for (int i = 0; i < kIn; ++i)
    for (int j = 0; j < kIn; ++j) {
      const int64_t r = tp.row + i, col = tp.col + j;
      if (r >= 0 && r < g.in_h && col >= 0 && col < g.in_w) f(i * kIn + j, r * g.in_w + col);
    }
}

// The transforms go through the chunk's tiles kBlock at a time, gathering their elements into
// (or scattering them from) an array laid out point by point, d[p][tile].
constexpr int64_t kBlock = 64;

// V: (36, C, tiles) = B^T d B for the chunk's 6x6 input blocks d of x: (N, C, H, W).
void transform_input(const float* x, const G& g, const std::vector<TilePlace>& places,
                     float* __restrict v) {
  const int64_t tiles = static_cast<int64_t>(places.size()), stride = g.in_channels * tiles;
  const int64_t hw = g.in_h * g.in_w;
  alignas(64) float d[kPoints][kBlock];
  for (int64_t c = 0; c < g.in_channels; ++c)
    for (int64_t first = 0; first < tiles; first += kBlock) {
      const int64_t count = std::min(kBlock, tiles - first);
      for (int64_t b = 0; b < count; ++b) {
        const TilePlace& tp = places[static_cast<size_t>(first + b)];
        const float* plane = x + (tp.n * g.in_channels + c) * hw;
        if (!tp.input_inside)  // zero where the block reaches into the padding
          for (int p = 0; p < kPoints; ++p) d[p][b] = 0.f;
        for_each_input_element(tp, g, [&](int p, int64_t at) { d[p][b] = plane[at]; });
      }
      const float* __restrict gathered = &d[0][0];
      float* __restrict out = v + c * tiles + first;
#pragma GCC ivdep  // the 36 rows written are disjoint
      for (int64_t b = 0; b < count; ++b) {
        float block[kPoints], result[kPoints];
#pragma GCC unroll 36
        for (int p = 0; p < kPoints; ++p) block[p] = gathered[p * kBlock + b];
        transform_2d<kIn, kIn, kIn, kIn>(block, result, apply_bt, apply_bt);
#pragma GCC unroll 36
        for (int p = 0; p < kPoints; ++p) out[p * stride + b] = result[p];
      }
    }
}

// Z: (36, O, tiles) = A gy A^T for the chunk's 4x4 blocks of gy: (N, O, OH, OW), zero past the
// output's edge.
void transform_output_gradient(const float* gy, const G& g, const std::vector<TilePlace>& places,
                               float* __restrict z) {
  const int64_t tiles = static_cast<int64_t>(places.size()), stride = g.out_channels * tiles;
  const int64_t hw = g.out_h * g.out_w;
  alignas(64) float m[kOut * kOut][kBlock];
  for (int64_t o = 0; o < g.out_channels; ++o)
    for (int64_t first = 0; first < tiles; first += kBlock) {
      const int64_t count = std::min(kBlock, tiles - first);
      for (int64_t b = 0; b < count; ++b) {
        const TilePlace& tp = places[static_cast<size_t>(first + b)];
        const float* plane = gy + (tp.n * g.out_channels + o) * hw;
        for (int i = 0; i < kOut; ++i)
          for (int j = 0; j < kOut; ++j) {
            const int64_t r = tp.out_row + i, col = tp.out_col + j;
            m[i * kOut + j][b] = tp.output_inside || (r < g.out_h && col < g.out_w) ? plane[r * g.out_w + col] : 0.f;
          }
      }
      const float* __restrict gathered = &m[0][0];
      float* __restrict out = z + o * tiles + first;
#pragma GCC ivdep  // the 36 rows written are disjoint
      for (int64_t b = 0; b < count; ++b) {
        float block[kOut * kOut], result[kPoints];
#pragma GCC unroll 16
        for (int e = 0; e < kOut * kOut; ++e) block[e] = gathered[e * kBlock + b];
        transform_2d<kOut, kOut, kIn, kIn>(block, result, apply_a, apply_a);
#pragma GCC unroll 36
        for (int p = 0; p < kPoints; ++p) out[p * stride + b] = result[p];
      }
    }
}

// y's 4x4 blocks = A^T M A + bias for M: (36, O, tiles), clipped at the output's edge.
void untransform_output(const float* __restrict m, const float* bias, const G& g,
                        const std::vector<TilePlace>& places, float* y) {
  const int64_t tiles = static_cast<int64_t>(places.size()), stride = g.out_channels * tiles;
  const int64_t hw = g.out_h * g.out_w;
  alignas(64) float out[kOut * kOut][kBlock];
  for (int64_t o = 0; o < g.out_channels; ++o)
    for (int64_t first = 0; first < tiles; first += kBlock) {
      const int64_t count = std::min(kBlock, tiles - first);
      const float* in = m + o * tiles + first;
      const float b0 = bias ? bias[o] : 0.f;
      for (int64_t b = 0; b < count; ++b) {
        float block[kPoints], result[kOut * kOut];
#pragma GCC unroll 36
        for (int p = 0; p < kPoints; ++p) block[p] = in[p * stride + b];
        transform_2d<kIn, kIn, kOut, kOut>(block, result, apply_at, apply_at);
#pragma GCC unroll 16
        for (int e = 0; e < kOut * kOut; ++e) out[e][b] = result[e] + b0;
      }
      for (int64_t b = 0; b < count; ++b) {
        const TilePlace& tp = places[static_cast<size_t>(first + b)];
        float* plane = y + (tp.n * g.out_channels + o) * hw;
        for (int i = 0; i < kOut; ++i)
          for (int j = 0; j < kOut; ++j) {
            const int64_t r = tp.out_row + i, col = tp.out_col + j;
            if (tp.output_inside || (r < g.out_h && col < g.out_w)) plane[r * g.out_w + col] = out[i * kOut + j][b];
          }
      }
    }
}

// gx += B W B^T for W: (36, C, tiles), each tile's 6x6 block added at its place in gx:
// (N, C, H, W) (neighbouring blocks overlap by two), the parts on the padding dropped.
void untransform_input_gradient(const float* __restrict wt, const G& g,
                                const std::vector<TilePlace>& places, float* gx) {
  const int64_t tiles = static_cast<int64_t>(places.size()), stride = g.in_channels * tiles;
  const int64_t hw = g.in_h * g.in_w;
  alignas(64) float d[kPoints][kBlock];
  for (int64_t c = 0; c < g.in_channels; ++c)
    for (int64_t first = 0; first < tiles; first += kBlock) {
      const int64_t count = std::min(kBlock, tiles - first);
      const float* in = wt + c * tiles + first;
      for (int64_t b = 0; b < count; ++b) {
        float block[kPoints], result[kPoints];
#pragma GCC unroll 36
        for (int p = 0; p < kPoints; ++p) block[p] = in[p * stride + b];
        transform_2d<kIn, kIn, kIn, kIn>(block, result, apply_b, apply_b);
#pragma GCC unroll 36
        for (int p = 0; p < kPoints; ++p) d[p][b] = result[p];
      }
      for (int64_t b = 0; b < count; ++b) {
        const TilePlace& tp = places[static_cast<size_t>(first + b)];
        float* plane = gx + (tp.n * g.in_channels + c) * hw;
        for_each_input_element(tp, g, [&](int p, int64_t at) { plane[at] += d[p][b]; });
      }
    }
}

// ---- the 36 products of a chunk ----
// out_p (rows, tiles) = kernels_p (rows, inner) @ in_p (inner, tiles) for the 36 points, all
// row-major and dense. (A kernel of our own that reads the operands in place, without a BLAS's
// packing, measured slower than OpenBLAS here.)
void pointwise_products(const float* kernels, const float* in, float* out, int64_t rows,
                        int64_t inner, int64_t tiles) {
  for (int64_t p = 0; p < kPoints; ++p)
    gemm(false, false, rows, tiles, inner, 1.f, kernels + p * rows * inner, inner,
         in + p * inner * tiles, tiles, 0.f, out + p * rows * tiles, tiles);
}

// A chunk's matrices for all 36 points (the larger side).
size_t chunk_floats(const G& g, const Tiling& t) {
  return static_cast<size_t>(kPoints * std::max(g.in_channels, g.out_channels) * t.max_tiles);
}

int64_t tiles_in(const Chunk& k, const Tiling& t) { return (k.n1 - k.n0) * (k.ty1 - k.ty0) * t.cols; }

// A chunk's V in a saved transformed input: chunks are runs of consecutive tiles (image, tile
// row, tile column), each stored as its own (36, C, tiles) block.
template <class Float>
Float* saved_block(Float* saved, const G& g, const Tiling& t, const Chunk& k) {
  return saved + kPoints * g.in_channels * (k.n0 * t.rows + k.ty0) * t.cols;
}

}  // namespace

bool applies(const G& g) {
  return g.groups == 1 && g.kernel_h == 3 && g.kernel_w == 3 && g.stride_h == 1 &&
         g.stride_w == 1 && g.dilation_h == 1 && g.dilation_w == 1 && g.in_channels >= 8 &&
         g.out_channels >= 8 && g.batch > 1;
}

int64_t default_chunk_tiles(const G& g) {
  // V and M of one chunk in about 1.5 MB: (C + O) * 36 points * 4 bytes per tile.
  return std::clamp<int64_t>((3 << 19) / (kPoints * 4 * (g.in_channels + g.out_channels)), 16, 1024);
}

int64_t saved_input_floats(const G& g) {
  return kPoints * g.in_channels * g.batch * tiles_across(g.out_h) * tiles_across(g.out_w);
}

void conv2d(const float* x, const float* w, const float* bias, float* y, const G& g,
            int64_t chunk_tiles, float* saved_input) {
  const Tiling t = tiling(g, chunk_tiles);
  float* u = scratch(static_cast<size_t>(kPoints * g.out_channels * g.in_channels), Scratch::WinogradKernels);
#pragma omp parallel if (t.groups > 1)
  {
    transform_kernels(w, g.out_channels, g.in_channels, false, u);
    float* own_v = saved_input ? nullptr : scratch(chunk_floats(g, t), Scratch::WinogradInputSide);
    float* m = scratch(chunk_floats(g, t), Scratch::WinogradOutputSide);
    thread_local std::vector<TilePlace> places;
    for_each_chunk(g, t, [&](const Chunk& k) {
      float* v = saved_input ? saved_block(saved_input, g, t, k) : own_v;
      place_tiles(g, k, t, places);
      transform_input(x, g, places, v);
      pointwise_products(u, v, m, g.out_channels, g.in_channels, tiles_in(k, t));
      untransform_output(m, bias, g, places, y);
    });
  }
}

void conv2d_backward(const float* x, const float* gy, const float* w, float* gx, float* gw,
                     float* gb, const G& g, int64_t chunk_tiles, const float* saved_input) {
  const Tiling t = tiling(g, chunk_tiles);
  const int64_t usize = kPoints * g.out_channels * g.in_channels, hw = g.in_h * g.in_w;
  // A thread's sums: its transformed kernel gradient gU, then its bias gradient.
  const int64_t gu_size = gw ? usize : 0;
  const int64_t sums = gu_size + (gb ? cpu::plane_sum_floats(g.out_channels) : 0);
  float* u = gx ? scratch(static_cast<size_t>(usize), Scratch::WinogradKernels) : nullptr;
  // Each thread sums its tiles into its own buffer; these are added in thread order afterwards,
  // so the result depends on the thread count only, never on timing.
  std::vector<float*> partial(static_cast<size_t>(std::max(1, omp_get_max_threads())), nullptr);
#pragma omp parallel if (t.groups > 1)
  {
    if (gx) transform_kernels(w, g.out_channels, g.in_channels, true, u);
    float* acc = nullptr;
    if (sums > 0) {
      acc = scratch(static_cast<size_t>(sums), Scratch::WinogradKernelGradients);
      std::fill_n(acc, sums, 0.f);
      partial[static_cast<size_t>(omp_get_thread_num())] = acc;
    }
    float* z = scratch(chunk_floats(g, t), Scratch::WinogradOutputSide);
    float* in_side = scratch(chunk_floats(g, t), Scratch::WinogradInputSide);
    thread_local std::vector<TilePlace> places;
    for_each_chunk(g, t, [&](const Chunk& k) {
      const int64_t tiles = tiles_in(k, t);
      place_tiles(g, k, t, places);
      transform_output_gradient(gy, g, places, z);
      if (gb && k.ty0 == 0)  // once per image: a chunk's images are whole from its first row
        cpu::add_plane_sums(gy, k.n0, k.n1, g.out_channels, g.out_h * g.out_w, acc + gu_size);
      if (gx) {
        if (k.ty0 == 0) std::fill(gx + k.n0 * g.in_channels * hw, gx + k.n1 * g.in_channels * hw, 0.f);
        pointwise_products(u, z, in_side, g.in_channels, g.out_channels, tiles);
        untransform_input_gradient(in_side, g, places, gx);
      }
      if (gw) {
        const float* v = saved_input ? saved_block(saved_input, g, t, k) : in_side;
        if (!saved_input) transform_input(x, g, places, in_side);
        // gU_p (O, C) += Z_p (O, tiles) @ V_p^T (tiles, C)
        for (int64_t p = 0; p < kPoints; ++p)
          gemm(false, true, g.out_channels, g.in_channels, tiles, 1.f, z + p * g.out_channels * tiles,
               tiles, v + p * g.in_channels * tiles, tiles, 1.f,
               acc + p * g.out_channels * g.in_channels, g.in_channels);
      }
    });
    if (gw) untransform_kernels(partial, g.out_channels, g.in_channels, gw);
  }
  if (gb) cpu::plane_sum_totals(partial, gu_size, g.out_channels, gb);
}

}  // namespace myelin::backend::winograd
