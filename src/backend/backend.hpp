#pragma once
// The backend interface: the few dozen kernels every op is built from. Ops in src/ops call only
// these, so a second backend (CUDA) implements this list and no op changes.
// Pointers are to contiguous float32 data unless a Tensor is passed (then any strides).
#include <cstdint>
#include <functional>
#include <vector>

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

// ---- batch normalisation: x (N, C, L) contiguous, per channel over N and L ----
// mean (C) and var (C), the biased variance, of each channel's N * L values.
void batch_norm_statistics(const float* x, float* mean, float* var, int64_t n, int64_t c,
                           int64_t l);
// y = (x - mean) * invstd * weight + bias per channel (weight, bias: (C) or null: 1 and 0).
void batch_norm_apply(const float* x, const float* mean, const float* invstd, const float* weight,
                      const float* bias, float* y, int64_t n, int64_t c, int64_t l);
// Gradients of batch_norm_apply from gy: gw (C) = sum of gy * xhat, gb (C) = sum of gy, and gx,
// where with batch_statistics the mean and invstd are those of x itself (training), else fixed
// (evaluation). Any of gx, gw, gb may be null.
void batch_norm_backward(const float* x, const float* gy, const float* mean, const float* invstd,
                         const float* weight, bool batch_statistics, float* gx, float* gw,
                         float* gb, int64_t n, int64_t c, int64_t l);

// ---- convolution and pooling (NCHW, contiguous) ----

// Windows of a pooling along one axis: output i reads input [start[i], end[i]) (clipped to the
// input) and contributes to an average with weight 1 / divisor[i] (per axis; a 2-D window's
// divisor is the product of its rows' and columns').
struct PoolWindows {
  std::vector<int64_t> start, end;
  std::vector<float> divisor;
  int64_t size() const { return static_cast<int64_t>(start.size()); }
};
// The sizes of a 2-D convolution y = conv2d(x, w): x (N, C, H, W), w (O, C/groups, KH, KW),
// y (N, O, OH, OW). pad_h/pad_w are the top/left padding; the bottom/right padding is whatever
// OH/OW imply (so asymmetric "same" padding needs no extra field).
struct Conv2dGeometry {
  int64_t batch = 1, in_channels = 1, out_channels = 1, groups = 1;
  int64_t in_h = 1, in_w = 1, out_h = 1, out_w = 1;
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0;
  int64_t dilation_h = 1, dilation_w = 1;
};
// A max pool over the windows rows x cols of each output plane, after a relu when `relu`, that
// conv2d applies to each image's output while it is in cache (the output itself is not stored),
// and conv2d_backward expands each image's gradient through first (max_pool2d_backward).
struct ConvMaxPool {
  PoolWindows rows, cols;
  bool relu = true;
  float* y = nullptr;      // (N, O, rows.size(), cols.size()): the pooled output (read by backward)
  float* index = nullptr;  // the same shape: each window's first maximum, as max_pool2d's index
};

// The floats of the workspace conv2d can fill for conv2d_backward: a Winograd layer's
// transformed input, which its kernel gradient reads again; 0 where a layer keeps none.
int64_t conv2d_workspace_floats(const Conv2dGeometry& g);
// y = conv2d(x, w) + bias (bias (O) or null); fills workspace when given one. With `pool`, the
// pooled output goes to pool->y and pool->index instead (y unused).
void conv2d(const float* x, const float* w, const float* bias, float* y, const Conv2dGeometry& g,
            float* workspace = nullptr, const ConvMaxPool* pool = nullptr);
// gx (N, C, H, W) = the adjoint of conv2d in x applied to gy (N, O, OH, OW); overwrites gx.
void conv2d_backward_input(const float* gy, const float* w, float* gx, const Conv2dGeometry& g);
// gw (O, C/groups, KH, KW) = d sum(gy * conv2d(x, w)) / dw; overwrites gw. gb (O), when not
// null, = the sum of gy over images and positions (the bias's gradient).
void conv2d_backward_weight(const float* x, const float* gy, float* gw, const Conv2dGeometry& g,
                            float* gb = nullptr);
// All of the above at once, sharing the work and the passes over gy they have in common; gx, gw
// or gb may be null. workspace: null, or the one conv2d filled for the same x and geometry. With
// `pool` (the one conv2d pooled with), gy is the gradient of pool->y.
void conv2d_backward(const float* x, const float* gy, const float* w, float* gx, float* gw,
                     float* gb, const Conv2dGeometry& g, const float* workspace = nullptr,
                     const ConvMaxPool* pool = nullptr);

// x: (planes, H, W) -> y: (planes, rows.size(), cols.size()), the maximum of each window;
// index (same shape as y) receives the position h * W + w of the first maximum. NaN wins.
// With `relu`, y = relu(maximum) (index unchanged): max_pool2d of relu(x) in one pass.
void max_pool2d(const float* x, float* y, float* index, int64_t planes, int64_t in_h,
                int64_t in_w, const PoolWindows& rows, const PoolWindows& cols,
                bool relu = false);
// gx: (planes, H, W) = 0, then gy: (planes, rows.size(), cols.size()) added at `index` (the
// windows and index of the max_pool2d). With relu_y (the y of a `relu` max_pool2d), each gy is
// first multiplied by relu's derivative at its y (1 where y > 0, else 0), as relu's own backward
// would.
void max_pool2d_backward(const float* gy, const float* index, float* gx, int64_t planes,
                         int64_t in_h, int64_t in_w, const PoolWindows& rows,
                         const PoolWindows& cols, const float* relu_y = nullptr);
// y = sum of each window / (rows.divisor[i] * cols.divisor[j]).
void avg_pool2d(const float* x, float* y, int64_t planes, int64_t in_h, int64_t in_w,
                const PoolWindows& rows, const PoolWindows& cols);
// gx = the adjoint of avg_pool2d applied to gy; overwrites gx.
void avg_pool2d_backward(const float* gy, float* gx, int64_t planes, int64_t in_h, int64_t in_w,
                         const PoolWindows& rows, const PoolWindows& cols);

}  // namespace myelin::backend

namespace myelin::backend {

// ---- recurrent cells (PyTorch's gate layout) ----
// One time step of a cell's elementwise part, on b rows of h hidden units. The GEMMs around it
// (input and hidden projections) are the op's; these kernels fuse all the nonlinearities.
enum class Cell {
  RnnTanh,  // h' = tanh(gx + gh)
  RnnRelu,  // h' = relu(gx + gh)
  Lstm,     // gates i, f, g, o; c' = f c + i g, h' = o tanh(c')
  Gru,      // gates r, z, n; n = tanh(gx_n + r gh_n), h' = (1 - z) n + z h
};
// Gates per hidden unit (G): 1, 1, 4 or 3.
int64_t cell_gates(Cell cell);
// Floats per hidden unit that a step saves for backward (S): 0 (RNN: h' suffices), 4 (LSTM:
// activated i, f, g, o) or 4 (GRU: r, z, n and gh_n).
int64_t cell_saved(Cell cell);
// gx, gh: (b, G*h) input and hidden projections with their biases; h_prev, c_prev, h, c: (b, h)
// (c_prev and c only for LSTM, else null); saved: (b, S*h).
void cell_forward(Cell cell, const float* gx, const float* gh, const float* h_prev,
                  const float* c_prev, float* h, float* c, float* saved, int64_t b, int64_t hidden);
// Backward of one step. dh: (b, h) gradient of h'; dc: (b, h) gradient of c' in, of c_prev out
// (LSTM only). Writes dgx (b, G*h), the gradient of the pre-activations through the input
// projection, and dgh (b, G*h), through the hidden projection (GRU only: for the other cells
// they are equal and dgh is null); dh_prev (b, h) gets the part of dL/dh_prev that bypasses the
// hidden projection (GRU: z dh'; zero for the others).
void cell_backward(Cell cell, const float* saved, const float* h_prev, const float* c_prev,
                   const float* h, const float* c, const float* dh, float* dc, float* dgx,
                   float* dgh, float* dh_prev, int64_t b, int64_t hidden);

// ---- products with a fixed right operand (the steps of a recurrent layer) ----
// op(b) (k, n) laid out once into column panels for many products with small left operands.
struct PackedMatrix {
  int64_t k = 0, n = 0;
  Tensor panels;  // a Tensor for its caching allocator: each training step lays out a few MiB
};
// op(b) (k, n): b (k, n) with leading dimension ldb, or transposed (b (n, k)) when `trans`.
PackedMatrix pack_matrix(bool trans, int64_t k, int64_t n, const float* b, int64_t ldb);
// c (m, n) = a (m, k) @ b + (accumulate ? c : bias (n), or 0 when null). One thread; a row's
// result does not depend on m, so callers may split rows between threads.
void gemm_packed(int64_t m, const float* a, int64_t lda, const PackedMatrix& b, const float* bias,
                 bool accumulate, float* c, int64_t ldc);
// Calls body(begin, end) once per thread on contiguous ranges that cover [0, n), in parallel,
// each at least min_range long (one call when n < 2 min_range, with one thread, or inside a
// parallel region): for loops over independent rows that run many steps (one fork for a whole
// sequence, not one per step). body must not throw (an exception cannot leave an OpenMP thread).
void parallel_ranges(int64_t n, int64_t min_range,
                     const std::function<void(int64_t begin, int64_t end)>& body);

// ---- embedding ----
// out: (n, d) rows of table (v, d) at indices (n) (in [0, v), as floats).
void embedding(const float* table, const float* indices, float* out, int64_t n, int64_t d);
// gtable (v, d) += rows of g (n, d) at the indices, skipping rows whose index is `skip` (-1:
// none); serial over n, so the sum order is fixed.
void embedding_backward(const float* g, const float* indices, float* gtable, int64_t n, int64_t d,
                        int64_t skip);

}  // namespace myelin::backend
