// GEMM through the BLAS (OpenBLAS by default).
#include <cblas.h>

#include "backend/backend.hpp"

namespace myelin::backend {

void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
          const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
          int64_t ldc) {
  if (m == 0 || n == 0) return;
  if (m == 1) {
    // One row (batch-1 inference): c (1, n) = a (1, k) @ op(b) (k, n) is a matrix-vector product.
    // OpenBLAS 0.3.21 runs it through the full GEMM path, packing all of b first; sgemv reads
    // each element of b once, which halves W4's latency. Row i of a (k, 1) view sits lda apart.
    const int64_t inc_a = trans_a ? lda : 1;
    if (trans_b)  // b: (n, k), c = b @ a
      cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(n), static_cast<int>(k), alpha, b,
                  static_cast<int>(ldb), a, static_cast<int>(inc_a), beta, c, 1);
    else  // b: (k, n), c = b^T @ a
      cblas_sgemv(CblasRowMajor, CblasTrans, static_cast<int>(k), static_cast<int>(n), alpha, b,
                  static_cast<int>(ldb), a, static_cast<int>(inc_a), beta, c, 1);
    return;
  }
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
              trans_b ? CblasTrans : CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(k), alpha, a, static_cast<int>(lda), b, static_cast<int>(ldb),
              beta, c, static_cast<int>(ldc));
}

}  // namespace myelin::backend
