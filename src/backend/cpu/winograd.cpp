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
// chunk, the transforms read and write each plane through a window with the tiles' overhang
// (zero padding, the output's edge) built in, and gather the tiles' blocks point by point into
// small arrays, kBlock tiles at a time, so that the arithmetic vectorises across tiles and each of
// a chunk matrix's 36 rows is written (or read) as one contiguous run. A column of the GEMMs is
// one tile.
#include "backend/cpu/winograd.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "backend/cpu/plane_sums.hpp"
#include "backend/cpu/pool_planes.hpp"
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

// The transforms go through tiles (or kernels) a block at a time: a block's values lie point by
// point, each point's values for the block's members in a row, so that the arithmetic
// vectorises across the members.
constexpr int64_t kBlock = 64;

// out (R x S points) = T(in) T^T for in (P x Q points), point p of member b at
// in[p * in_stride + b] and out[p * out_stride + b]: row maps the Q values of each input row to S
// values, col maps the P values of each column of that to R. Two passes through an array in L1,
// each a loop over the members: the whole transform at once does not fit the vector registers,
// and its spills cost more than the second pass.
template <int P, int Q, int R, int S, class Row, class Col>
inline void transform_block(const float* __restrict in, int64_t in_stride, float* __restrict out,
                            int64_t out_stride, int64_t count, Row row, Col col) {
  alignas(64) float half[P * S][kBlock];
#pragma GCC unroll 6
  for (int i = 0; i < P; ++i) {
    const float* __restrict src = in + i * Q * in_stride;
#pragma GCC ivdep
    for (int64_t b = 0; b < count; ++b) {
      float v[Q], r[S];
#pragma GCC unroll 6
      for (int k = 0; k < Q; ++k) v[k] = src[k * in_stride + b];
      row(v, r);
#pragma GCC unroll 6
      for (int j = 0; j < S; ++j) half[i * S + j][b] = r[j];
    }
  }
#pragma GCC unroll 6
  for (int j = 0; j < S; ++j) {
    float* __restrict dst = out + j * out_stride;
#pragma GCC ivdep
    for (int64_t b = 0; b < count; ++b) {
      float v[P], r[R];
#pragma GCC unroll 6
      for (int k = 0; k < P; ++k) v[k] = half[k * S + j][b];
      col(v, r);
#pragma GCC unroll 6
      for (int i = 0; i < R; ++i) dst[i * S * out_stride + b] = r[i];
    }
  }
}

// U: (36, O, C) = G k G^T for the kernels w: (O, C, 3, 3), or U transposed: (36, C, O). Shared
// out over the threads of an enclosing parallel region, which it leaves at a barrier. U's rows
// lie O * C floats apart, often a multiple of 4 KiB: each row is written a block at a time, not
// kernel by kernel, which made the cache sets thrash.
void transform_kernels(const float* w, int64_t out_channels, int64_t channels, bool transposed,
                       float* u) {
  const int64_t oc = out_channels * channels;
#pragma omp for schedule(static)
  for (int64_t first = 0; first < oc; first += kBlock) {
    const int64_t count = std::min(kBlock, oc - first);
    alignas(64) float k[9][kBlock];
    for (int64_t b = 0; b < count; ++b) {
      // U's column `at` in order, so that each of its rows is written front to back.
      const int64_t at = first + b;
      const int64_t i = transposed ? at % out_channels * channels + at / out_channels : at;
      for (int e = 0; e < 9; ++e) k[e][b] = w[i * 9 + e];
    }
    transform_block<3, 3, kIn, kIn>(&k[0][0], kBlock, u + first, oc, count, apply_g, apply_g);
  }
}

// gw: (O, C, 3, 3) = G^T gU G for gU: (36, O, C) the sum of the threads' parts, added in thread
// order. Shared out over the threads of an enclosing parallel region.
void untransform_kernels(const std::vector<float*>& parts, int64_t out_channels, int64_t channels,
                         float* gw) {
  const int64_t oc = out_channels * channels;
#pragma omp for schedule(static)
  for (int64_t first = 0; first < oc; first += kBlock) {
    const int64_t count = std::min(kBlock, oc - first);
    alignas(64) float sums[kPoints][kBlock] = {};
    for (const float* part : parts)
      if (part)
        for (int64_t p = 0; p < kPoints; ++p)
          for (int64_t b = 0; b < count; ++b) sums[p][b] += part[p * oc + first + b];
    alignas(64) float k[9][kBlock];
    transform_block<kIn, kIn, 3, 3>(&sums[0][0], kBlock, &k[0][0], kBlock, count, apply_gt, apply_gt);
    for (int64_t b = 0; b < count; ++b)
      for (int e = 0; e < 9; ++e) gw[(first + b) * 9 + e] = k[e][b];
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

// ---- a chunk's windows ----
// The transforms read and write a chunk's planes through windows, one per image of the chunk:
// the part of the (padded) input its tiles' 6x6 blocks cover, with zeros where that lies outside
// the plane, and the part of the output their 4x4 blocks cover, past the output's edge where the
// last tiles overhang it. Every tile then lies wholly inside its window, so the gathers and
// scatters need no bounds checks (and the edges' tiles no branches); copying a window in or out
// is a few row copies.
struct Windows {
  int64_t in_rows, in_cols, in_top, in_left;  // the input windows and their top-left in a plane
  int64_t out_rows, out_cols, out_top;        // the output windows (their left is column 0)
  std::vector<int32_t> in_at, out_at;         // per tile: its block's first element in the windows
  int64_t in_size() const { return in_rows * in_cols; }
  int64_t out_size() const { return out_rows * out_cols; }
};

// The windows of chunk k, its tiles in their order as the columns of the chunk's matrices.
void lay_out(const G& g, const Chunk& k, const Tiling& t, Windows& w) {
  const int64_t rows = k.ty1 - k.ty0;
  w.in_rows = kOut * rows + 2, w.in_cols = kOut * t.cols + 2;
  w.in_top = kOut * k.ty0 - g.pad_h, w.in_left = -g.pad_w;
  w.out_rows = kOut * rows, w.out_cols = kOut * t.cols, w.out_top = kOut * k.ty0;
  w.in_at.clear(), w.out_at.clear();
  for (int64_t n = 0; n < k.n1 - k.n0; ++n)
    for (int64_t ty = 0; ty < rows; ++ty)
      for (int64_t tx = 0; tx < t.cols; ++tx) {
        w.in_at.push_back(static_cast<int32_t>(n * w.in_size() + kOut * (ty * w.in_cols + tx)));
        w.out_at.push_back(static_cast<int32_t>(n * w.out_size() + kOut * (ty * w.out_cols + tx)));
      }
}

// dst (rows, cols) = plane (h, w) from (top, left) on, zero outside the plane.
void copy_in(const float* plane, int64_t h, int64_t w, int64_t top, int64_t left, int64_t rows,
             int64_t cols, float* dst) {
  const int64_t c0 = std::clamp<int64_t>(-left, 0, cols), c1 = std::clamp<int64_t>(w - left, c0, cols);
  for (int64_t r = 0; r < rows; ++r, dst += cols) {
    const int64_t pr = top + r;
    if (pr < 0 || pr >= h) {
      std::fill_n(dst, cols, 0.f);
      continue;
    }
    // Loops, not copy and fill: these rows are short, and library calls cost more.
    const float* src = plane + pr * w + left;
    for (int64_t c = 0; c < c0; ++c) dst[c] = 0.f;
#pragma omp simd
    for (int64_t c = c0; c < c1; ++c) dst[c] = src[c];
    for (int64_t c = c1; c < cols; ++c) dst[c] = 0.f;
  }
}

// The part of src (rows, cols) that lies in plane (h, w) from (top, left) on, written there; its
// first `added_rows` rows are added instead (the rows a chunk's input window shares with the
// previous chunk's of the same image).
void copy_out(const float* src, int64_t rows, int64_t cols, int64_t top, int64_t left,
              int64_t added_rows, float* plane, int64_t h, int64_t w) {
  const int64_t c0 = std::clamp<int64_t>(-left, 0, cols), c1 = std::clamp<int64_t>(w - left, c0, cols);
  for (int64_t r = 0; r < rows; ++r, src += cols) {
    const int64_t pr = top + r;
    if (pr < 0 || pr >= h) continue;
    float* row = plane + pr * w + left;
    if (r < added_rows)
      for (int64_t c = c0; c < c1; ++c) row[c] += src[c];
    else
#pragma omp simd
      for (int64_t c = c0; c < c1; ++c) row[c] = src[c];
  }
}

// d (size x size points, kBlock tiles) = the size x size blocks of tiles [first, first + count)
// of the windows, tile t's at window[at[t]], rows `row_stride` floats apart.
template <int size>
void gather_blocks(const float* window, const std::vector<int32_t>& at, int64_t row_stride,
                   int64_t first, int64_t count, float (*d)[kBlock]) {
  for (int64_t b = 0; b < count; ++b) {
    const float* block = window + at[static_cast<size_t>(first + b)];
#pragma GCC unroll 6
    for (int i = 0; i < size; ++i)
#pragma GCC unroll 6
      for (int j = 0; j < size; ++j) d[i * size + j][b] = block[i * row_stride + j];
  }
}

// V: (36, C, tiles) = B^T d B for the chunk's 6x6 input blocks d of x: (N, C, H, W).
void transform_input(const float* x, const G& g, const Chunk& k, const Windows& w, float* window,
                     float* v) {
  const int64_t tiles = static_cast<int64_t>(w.in_at.size()), stride = g.in_channels * tiles;
  alignas(64) float d[kPoints][kBlock];
  for (int64_t c = 0; c < g.in_channels; ++c) {
    for (int64_t n = k.n0; n < k.n1; ++n)
      copy_in(x + (n * g.in_channels + c) * g.in_h * g.in_w, g.in_h, g.in_w, w.in_top, w.in_left,
              w.in_rows, w.in_cols, window + (n - k.n0) * w.in_size());
    for (int64_t first = 0; first < tiles; first += kBlock) {
      const int64_t count = std::min(kBlock, tiles - first);
      gather_blocks<kIn>(window, w.in_at, w.in_cols, first, count, d);
      transform_block<kIn, kIn, kIn, kIn>(&d[0][0], kBlock, v + c * tiles + first, stride, count,
                                          apply_bt, apply_bt);
    }
  }
}

// Z: (36, O, tiles) = A gy A^T for the chunk's 4x4 blocks of gy: (N, O, OH, OW) (its images
// from `first` on), zero past the output's edge.
void transform_output_gradient(const float* gy, int64_t first_image, const G& g, const Chunk& k,
                               const Windows& w, float* window, float* z) {
  const int64_t tiles = static_cast<int64_t>(w.out_at.size()), stride = g.out_channels * tiles;
  alignas(64) float m[kOut * kOut][kBlock];
  for (int64_t o = 0; o < g.out_channels; ++o) {
    for (int64_t n = k.n0; n < k.n1; ++n)
      copy_in(gy + ((n - first_image) * g.out_channels + o) * g.out_h * g.out_w, g.out_h, g.out_w, w.out_top, 0,
              w.out_rows, w.out_cols, window + (n - k.n0) * w.out_size());
    for (int64_t first = 0; first < tiles; first += kBlock) {
      const int64_t count = std::min(kBlock, tiles - first);
      gather_blocks<kOut>(window, w.out_at, w.out_cols, first, count, m);
      transform_block<kOut, kOut, kIn, kIn>(&m[0][0], kBlock, z + o * tiles + first, stride, count,
                                            apply_a, apply_a);
    }
  }
}

// y's 4x4 blocks = A^T M A + bias for M: (36, O, tiles), clipped at the output's edge, into y:
// (N, O, OH, OW) (its images from `first` on).
void untransform_output(const float* m, const float* bias, const G& g, const Chunk& k,
                        const Windows& w, float* window, float* y, int64_t first_image) {
  const int64_t tiles = static_cast<int64_t>(w.out_at.size()), stride = g.out_channels * tiles;
  alignas(64) float out[kOut * kOut][kBlock];
  for (int64_t o = 0; o < g.out_channels; ++o) {
    const float b0 = bias ? bias[o] : 0.f;
    for (int64_t first = 0; first < tiles; first += kBlock) {
      const int64_t count = std::min(kBlock, tiles - first);
      transform_block<kIn, kIn, kOut, kOut>(m + o * tiles + first, stride, &out[0][0], kBlock, count,
                                            apply_at, apply_at);
      for (int64_t b = 0; b < count; ++b) {
        float* at = window + w.out_at[static_cast<size_t>(first + b)];
#pragma GCC unroll 4
        for (int i = 0; i < kOut; ++i)
#pragma GCC unroll 4
          for (int j = 0; j < kOut; ++j) at[i * w.out_cols + j] = out[i * kOut + j][b] + b0;
      }
    }
    for (int64_t n = k.n0; n < k.n1; ++n)
      copy_out(window + (n - k.n0) * w.out_size(), w.out_rows, w.out_cols, w.out_top, 0, 0,
               y + ((n - first_image) * g.out_channels + o) * g.out_h * g.out_w, g.out_h, g.out_w);
  }
}

// gx = B W B^T for W: (36, C, tiles), each tile's 6x6 block added at its place in gx:
// (N, C, H, W) (neighbouring blocks overlap by two), the parts on the padding dropped. A chunk
// that starts an image writes its rows of gx; a later chunk of the same image adds the two rows
// it shares with the previous one and writes the rest.
void untransform_input_gradient(const float* wt, const G& g, const Chunk& k, const Windows& w,
                                float* window, float* gx) {
  const int64_t tiles = static_cast<int64_t>(w.in_at.size()), stride = g.in_channels * tiles;
  alignas(64) float d[kPoints][kBlock];
  for (int64_t c = 0; c < g.in_channels; ++c) {
    std::fill_n(window, (k.n1 - k.n0) * w.in_size(), 0.f);
    for (int64_t first = 0; first < tiles; first += kBlock) {
      const int64_t count = std::min(kBlock, tiles - first);
      transform_block<kIn, kIn, kIn, kIn>(wt + c * tiles + first, stride, &d[0][0], kBlock, count,
                                          apply_b, apply_b);
      for (int64_t b = 0; b < count; ++b) {
        float* at = window + w.in_at[static_cast<size_t>(first + b)];
#pragma GCC unroll 6
        for (int i = 0; i < kIn; ++i)
#pragma GCC unroll 6
          for (int j = 0; j < kIn; ++j) at[i * w.in_cols + j] += d[i * kIn + j][b];
      }
    }
    for (int64_t n = k.n0; n < k.n1; ++n)
      copy_out(window + (n - k.n0) * w.in_size(), w.in_rows, w.in_cols, w.in_top, w.in_left,
               k.ty0 == 0 ? 0 : 2, gx + (n * g.in_channels + c) * g.in_h * g.in_w, g.in_h, g.in_w);
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

// The images of the largest chunk (1 where chunks are runs of rows of one image).
int64_t chunk_images(const Tiling& t) { return std::max<int64_t>(1, t.max_tiles / (t.rows * t.cols)); }

// The output planes of a chunk's images, for a pool beside the convolution.
size_t chunk_output_floats(const G& g, const Tiling& t) {
  return static_cast<size_t>(chunk_images(t) * g.out_channels * g.out_h * g.out_w);
}

// A chunk's windows: those of its images on the larger side.
size_t window_floats(const Tiling& t) {
  const int64_t rows = t.max_tiles / t.cols / chunk_images(t);  // tile rows of each image
  return static_cast<size_t>(chunk_images(t) * (kOut * rows + 2) * (kOut * t.cols + 2));
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
            int64_t chunk_tiles, float* saved_input, const ConvMaxPool* pool) {
  const Tiling t = tiling(g, chunk_tiles);
  float* u = scratch(static_cast<size_t>(kPoints * g.out_channels * g.in_channels), Scratch::WinogradKernels);
#pragma omp parallel if (t.groups > 1)
  {
    transform_kernels(w, g.out_channels, g.in_channels, false, u);
    float* own_v = saved_input ? nullptr : scratch(chunk_floats(g, t), Scratch::WinogradInputSide);
    float* m = scratch(chunk_floats(g, t), Scratch::WinogradOutputSide);
    float* window = scratch(window_floats(t), Scratch::WinogradWindows);
    // With a pool, the chunk's images' output stays in this scratch until they are pooled.
    float* out = pool ? scratch(chunk_output_floats(g, t), Scratch::ConvOutput) : y;
    const int64_t pooled = pool ? pool->rows.size() * pool->cols.size() : 0;
    thread_local Windows w;
    for_each_chunk(g, t, [&](const Chunk& k) {
      float* v = saved_input ? saved_block(saved_input, g, t, k) : own_v;
      lay_out(g, k, t, w);
      transform_input(x, g, k, w, window, v);
      pointwise_products(u, v, m, g.out_channels, g.in_channels, tiles_in(k, t));
      untransform_output(m, bias, g, k, w, window, out, pool ? k.n0 : 0);
      if (pool && k.ty1 == t.rows)  // the chunk completes its images
        for (int64_t n = k.n0; n < k.n1; ++n)
          cpu::max_pool_planes(out + (n - k.n0) * g.out_channels * g.out_h * g.out_w,
                               pool->y + n * g.out_channels * pooled,
                               pool->index + n * g.out_channels * pooled, g.out_channels, g.out_h,
                               g.out_w, pool->rows, pool->cols, pool->relu);
    });
  }
}

void conv2d_backward(const float* x, const float* gy, const float* w, float* gx, float* gw,
                     float* gb, const G& g, int64_t chunk_tiles, const float* saved_input,
                     const ConvMaxPool* pool) {
  const Tiling t = tiling(g, chunk_tiles);
  const int64_t usize = kPoints * g.out_channels * g.in_channels;
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
    float* window = scratch(window_floats(t), Scratch::WinogradWindows);
    // With a pool, the chunk's images' gradient, expanded from the pooled one when a chunk starts
    // them (the chunks of one image follow one another on one thread).
    float* expanded = pool ? scratch(chunk_output_floats(g, t), Scratch::ConvOutput) : nullptr;
    const int64_t pooled = pool ? pool->rows.size() * pool->cols.size() : 0, hw = g.out_h * g.out_w;
    thread_local Windows w;
    for_each_chunk(g, t, [&](const Chunk& k) {
      const int64_t tiles = tiles_in(k, t);
      lay_out(g, k, t, w);
      if (pool && k.ty0 == 0)
        for (int64_t n = k.n0; n < k.n1; ++n) {
          const int64_t at = n * g.out_channels * pooled;
          cpu::max_pool_backward_planes(gy + at, pool->index + at,
                                        expanded + (n - k.n0) * g.out_channels * hw, g.out_channels,
                                        g.out_h, g.out_w, pool->rows, pool->cols,
                                        pool->relu ? pool->y + at : nullptr);
        }
      const float* gy_images = pool ? expanded : gy;
      const int64_t first_image = pool ? k.n0 : 0;
      transform_output_gradient(gy_images, first_image, g, k, w, window, z);
      if (gb && k.ty0 == 0)  // once per image: a chunk's images are whole from its first row
        cpu::add_plane_sums(gy_images, k.n0 - first_image, k.n1 - first_image, g.out_channels, hw,
                            acc + gu_size);
      if (gx) {
        pointwise_products(u, z, in_side, g.in_channels, g.out_channels, tiles);
        untransform_input_gradient(in_side, g, k, w, window, gx);
      }
      if (gw) {
        const float* v = saved_input ? saved_block(saved_input, g, t, k) : in_side;
        if (!saved_input) transform_input(x, g, k, w, window, in_side);
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
