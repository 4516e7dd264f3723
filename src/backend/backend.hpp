#pragma once
// The backend interface: the few dozen kernels every op is built from. Ops in src/ops call only
// these, so a second backend (CUDA) implements this list and no op changes.
// Pointers are to contiguous float32 data unless a Tensor is passed (then any strides).
#include <cstdint>

#include "myelin/tensor.hpp"

namespace myelin::backend {

/// Elementwise maps of one input; `a` and `b` are the op's scalar parameters.
enum class Unary {
  Neg, Exp, Log, Sqrt, Abs,
  Pow,        // x ** a
  Clamp,      // min(max(x, a), b)
  AddScalar,  // x + a
  MulScalar,  // x * a
  Sigmoid, Tanh, Relu,
  LeakyRelu,  // slope a
  Elu,        // alpha a
  Gelu,       // exact (erf)
  Softplus,   // beta a, threshold b
};
// y = f(x), n elements.
void unary(Unary op, const float* x, float* y, int64_t n, float a = 0.f, float b = 0.f);
// gx = gy * f'(x); each rule reads x or y = f(x), whichever is cheaper.
void unary_backward(Unary op, const float* x, const float* y, const float* gy, float* gx,
                    int64_t n, float a = 0.f, float b = 0.f);
/// True when unary_backward for `op` reads the output y (so forward must keep it), false when
/// it reads the input x.
bool unary_backward_uses_output(Unary op);

enum class Binary { Add, Sub, Mul, Div };
// out = a (op) b with broadcasting; out is contiguous with the broadcast shape; a, b any strides.
void binary(Binary op, const Tensor& a, const Tensor& b, Tensor& out);

// dst = src broadcast to dst's shape; both any strides.
void copy(const Tensor& src, Tensor& dst);
void fill(Tensor& dst, float value);
// y += alpha * x over n elements.
void axpy(int64_t n, float alpha, const float* x, float* y);

// Row-major C (m, n) = alpha * op(A) (m, k) @ op(B) (k, n) + beta * C.
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
          const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
          int64_t ldc);

// x: (outer, d, inner) -> out: (outer, inner).
void reduce_sum(const float* x, float* out, int64_t outer, int64_t d, int64_t inner);
// Maximum and (when `index` is not null) the first index of it, as float.
void reduce_max(const float* x, float* out, float* index, int64_t outer, int64_t d,
                int64_t inner);

// Softmax (or log-softmax) along d of x: (outer, d, inner).
void softmax(const float* x, float* y, int64_t outer, int64_t d, int64_t inner, bool log);
// gx from y = softmax(x) (or log-softmax) and gy.
void softmax_backward(const float* y, const float* gy, float* gx, int64_t outer, int64_t d,
                      int64_t inner, bool log);

// Rows of a weighted, label-smoothed negative log-likelihood (cross-entropy and NLL).
// logp: (n, c) log-probabilities; target: (n) class indices in [0, c); weight: (c).
//   loss[i] = sum_j q_ij * -logp_ij,  q_ij = (1 - eps) weight[target_i] [j == target_i]
//                                          + eps / c * weight_j
void nll_rows(const float* logp, const int64_t* target, const float* weight, float eps,
              float* loss, int64_t n, int64_t c);
// gx: (n, c) = scale_i * d loss_i / d logp_ij = -scale_i q_ij; with `through_softmax`, the
// gradient with respect to the logits of logp = log_softmax(logits) instead:
//   scale_i * (softmax_ij * sum_j q_ij - q_ij).
void nll_rows_backward(const float* logp, const int64_t* target, const float* weight, float eps,
                       const float* scale, float* gx, int64_t n, int64_t c,
                       bool through_softmax);

}  // namespace myelin::backend
