// Products with a fixed right operand, for the steps of a recurrent layer: c (m, n) = a (m, k) @
// b (k, n) where b (the transposed W_hh) is the same at every step and m (the batch) is small.
// A BLAS lays b out into panels again at every call, which at (32, 256) x (256, 1024) costs more
// than the arithmetic; here b is laid out once per sequence and every step reads the panels.
//
// Panel j holds columns [j P, (j + 1) P) of b, P = kPanel, row after row (k rows of P floats,
// zero-padded past n). A tile computes R rows of c times one panel with R x 2 vector
// accumulators. Each c element is init + sum over p in order, whatever m, R or the thread:
// splitting rows over threads does not change a bit.
#include <algorithm>
#include <cstring>

#include "backend/backend.hpp"

namespace myelin::backend {

namespace {

using Vec = float __attribute__((vector_size(64)));  // 16 floats: one AVX-512 register
constexpr int64_t kLanes = sizeof(Vec) / sizeof(float);
constexpr int64_t kPanel = 2 * kLanes;
#ifdef __AVX512F__
constexpr int kTileRows = 8;  // 16 accumulators + 2 panel vectors of the 32 zmm registers
#else
constexpr int kTileRows = 3;  // a Vec is two ymm registers: 12 accumulators of 16
#endif

// acc = the first `cols` floats of `row` (zeros after them; all zeros when row is null).
void load_row(const float* row, int64_t cols, Vec (&acc)[2]) {
  float buf[kPanel] = {};
  if (row) std::memcpy(buf, row, sizeof(float) * static_cast<size_t>(cols));
  std::memcpy(acc, buf, sizeof buf);
}

void store_row(const Vec (&acc)[2], int64_t cols, float* row) {
  float buf[kPanel];
  std::memcpy(buf, acc, sizeof buf);
  std::memcpy(row, buf, sizeof(float) * static_cast<size_t>(cols));
}

// Rows of c (R, cols) = rows of init (R, cols) (ldi 0: one row for all) + a (R, k) @ panel.
template <int R>
void tile(int64_t k, const float* a, int64_t lda, const float* panel, const float* init,
          int64_t ldi, float* c, int64_t ldc, int64_t cols) {
  Vec acc[R][2];
  for (int r = 0; r < R; ++r) load_row(init ? init + r * ldi : nullptr, cols, acc[r]);
  for (int64_t p = 0; p < k; ++p) {
    Vec b0, b1;  // memcpy: the panels are floats (no aliasing question), and it compiles to loads
    std::memcpy(&b0, panel + p * kPanel, sizeof b0);
    std::memcpy(&b1, panel + p * kPanel + kLanes, sizeof b1);
    for (int r = 0; r < R; ++r) {
      const float x = a[r * lda + p];
      acc[r][0] += x * b0;
      acc[r][1] += x * b1;
    }
  }
  for (int r = 0; r < R; ++r) store_row(acc[r], cols, c + r * ldc);
}

// All m rows against one panel: tiles of R rows, the remainder with smaller tiles.
template <int R>
void rows(int64_t m, int64_t k, const float* a, int64_t lda, const float* panel, const float* init,
          int64_t ldi, float* c, int64_t ldc, int64_t cols) {
  int64_t i = 0;
  for (; i + R <= m; i += R)
    tile<R>(k, a + i * lda, lda, panel, init ? init + i * ldi : nullptr, ldi, c + i * ldc, ldc, cols);
  if constexpr (R > 1)
    if (i < m)
      rows<R - 1>(m - i, k, a + i * lda, lda, panel, init ? init + i * ldi : nullptr, ldi,
                  c + i * ldc, ldc, cols);
}

}  // namespace

PackedMatrix pack_matrix(bool trans, int64_t k, int64_t n, const float* b, int64_t ldb) {
  PackedMatrix out;
  out.k = k;
  out.n = n;
  const int64_t panels = (n + kPanel - 1) / kPanel;
  out.panels = Tensor::empty({panels * k * kPanel});
  float* dst = out.panels.data();
  for (int64_t j = 0; j < panels; ++j)
    for (int64_t p = 0; p < k; ++p)
      for (int64_t l = 0; l < kPanel; ++l, ++dst) {
        const int64_t col = j * kPanel + l;
        *dst = col >= n ? 0.f : trans ? b[col * ldb + p] : b[p * ldb + col];
      }
  return out;
}

void gemm_packed(int64_t m, const float* a, int64_t lda, const PackedMatrix& b, const float* bias,
                 bool accumulate, float* c, int64_t ldc) {
  const float* init = accumulate ? c : bias;
  const int64_t ldi = accumulate ? ldc : 0;
  for (int64_t j = 0; j * kPanel < b.n; ++j) {
    const int64_t col = j * kPanel;
    rows<kTileRows>(m, b.k, a, lda, b.panels.data() + j * b.k * kPanel, init ? init + col : nullptr,
                    ldi, c + col, ldc, std::min(kPanel, b.n - col));
  }
}

}  // namespace myelin::backend
