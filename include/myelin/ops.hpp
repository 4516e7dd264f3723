#pragma once
// Differentiable operations on tensors. Each is recorded for autograd when an input requires a
// gradient and grad mode is on. Binary elementwise ops broadcast (NumPy rules). Axis arguments
// may be negative (counted from the end). Shape mismatches throw ShapeError naming the op.
#include <cstdint>
#include <optional>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin {

class Generator;

// ---- elementwise arithmetic (broadcasting) ----
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, float b);
Tensor mul(const Tensor& a, float b);
Tensor neg(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
/// x ** exponent.
Tensor pow(const Tensor& x, float exponent);
Tensor sqrt(const Tensor& x);
Tensor abs(const Tensor& x);
/// Limits x to [low, high]; the gradient is zero outside.
Tensor clamp(const Tensor& x, float low, float high);

inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
inline Tensor operator-(const Tensor& x) { return neg(x); }
inline Tensor operator+(const Tensor& a, float b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, float b) { return add(a, -b); }
inline Tensor operator*(const Tensor& a, float b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, float b) { return mul(a, 1.f / b); }
inline Tensor operator*(float a, const Tensor& b) { return mul(b, a); }

// ---- activations ----
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor leaky_relu(const Tensor& x, float negative_slope = 0.01f);
Tensor elu(const Tensor& x, float alpha = 1.f);
/// Exact GELU, x * Phi(x), as torch.nn.GELU().
Tensor gelu(const Tensor& x);
/// log(1 + exp(beta x)) / beta, linear above `threshold` as in PyTorch.
Tensor softplus(const Tensor& x, float beta = 1.f, float threshold = 20.f);
Tensor softmax(const Tensor& x, int64_t axis = -1);
Tensor log_softmax(const Tensor& x, int64_t axis = -1);

// ---- matrix products ----
/// Matrix product with batch broadcasting: (..., n, k) @ (..., k, m) -> (..., n, m);
/// 1-D operands are promoted as in torch.matmul. Uses BLAS GEMM with transpose flags, so
/// transposed views are not copied.
Tensor matmul(const Tensor& a, const Tensor& b);
/// x @ weight^T + bias: x (..., in), weight (out, in), bias (out) or undefined.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

// ---- reductions ----
/// Sum over `axes` (all axes when empty).
Tensor sum(const Tensor& x, const std::vector<int64_t>& axes = {}, bool keepdim = false);
Tensor mean(const Tensor& x, const std::vector<int64_t>& axes = {}, bool keepdim = false);
/// Maximum over one axis; the gradient flows to the first maximal element.
Tensor max(const Tensor& x, int64_t axis, bool keepdim = false);
/// Maximum of all elements.
Tensor max(const Tensor& x);
/// Index of the first maximum along `axis`, as float values (not differentiable).
Tensor argmax(const Tensor& x, int64_t axis, bool keepdim = false);
/// Sums `x` down to `shape` (the inverse of broadcasting), used by broadcasting backward.
Tensor sum_to(const Tensor& x, const Shape& shape);

// ---- joining and splitting ----
/// Joins tensors along an existing axis into a new tensor. Requires: at least one tensor, all of
/// the same rank (>= 1) with equal sizes outside `axis`; else Error / ShapeError naming the shapes.
Tensor concat(const std::vector<Tensor>& xs, int64_t axis = 0);
/// Stacks equal-shaped tensors along a new axis (`axis` in [-(rank+1), rank]).
Tensor stack(const std::vector<Tensor>& xs, int64_t axis = 0);
/// Splits into pieces of the given sizes along `axis` (views). Requires: the sizes are
/// non-negative and add up to x.size(axis), else ShapeError.
std::vector<Tensor> split(const Tensor& x, const std::vector<int64_t>& sizes, int64_t axis = 0);
/// Splits into pieces of ceil(n / chunks) along `axis` (views; the last may be smaller), as
/// torch.chunk: so fewer than `chunks` pieces when n does not divide evenly (6 into 4 gives 3).
std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t axis = 0);

// ---- sequences ----
/// Rows of `weight` (V, D) at `indices` (any shape, integer values in [0, V) stored as floats,
/// like class targets): out has shape indices.shape + (D). Gradients flow to `weight` only; the
/// row `padding_idx` (when in [0, V)) gets none, as torch.nn.functional.embedding.
/// Requires: weight 2-D, indices whole numbers in range (else ShapeError / Error).
Tensor embedding(const Tensor& indices, const Tensor& weight, int64_t padding_idx = -1);

/// The cell of a recurrent layer, with PyTorch's gate layout: RNN (tanh or relu), LSTM with
/// gates [i | f | g | o], GRU with gates [r | z | n].
enum class RecurrentCell { RnnTanh, RnnRelu, Lstm, Gru };

/// What `recurrent` returns: views of one recorded tensor, so gradients of any of them reach
/// the one op.
struct RecurrentResult {
  Tensor output;  // (T, B, H): the hidden state after each time step, in time order
  Tensor h_n;     // (B, H): the hidden state after the last step processed
  Tensor c_n;     // (B, H): the LSTM's cell state after the last step (undefined otherwise)
};

/// One direction of one recurrent layer over a whole sequence, as ONE differentiable op: the
/// input projections of all steps are one GEMM, each step is one GEMM plus one fused pass of
/// the nonlinearities, and backward runs back-propagation through time with GEMMs, the weight
/// gradients again as whole-sequence GEMMs.
/// x: (T, B, I) time-major; h0, c0: (B, H) initial states (undefined: zeros; c0 for LSTM only);
/// w_ih: (G H, I); w_hh: (G H, H); b_ih, b_hh: (G H) or undefined (no bias), with G gates
/// (1 RNN, 4 LSTM, 3 GRU). With `reverse` the steps run from t = T-1 down to 0.
/// Requires: T, B >= 1 and the shapes above (else ShapeError naming the argument).
RecurrentResult recurrent(RecurrentCell cell, const Tensor& x, const Tensor& h0, const Tensor& c0,
                          const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                          const Tensor& b_hh, bool reverse = false);

// ---- regularisation ----
/// Inverted dropout: in training zeroes each element with probability p and scales the rest by
/// 1/(1-p); identity when `training` is false or p == 0.
Tensor dropout(const Tensor& x, float p, bool training, Generator* gen = nullptr);

// ---- losses ----
// Losses match torch.nn.functional. An empty batch is an Error (PyTorch would return NaN).
// The elementwise losses (mse, l1, huber, binary cross-entropy) require input and target of
// the same shape: no broadcasting between them, unlike PyTorch, which only warns.

/// How a loss combines per-element (or per-sample) values.
enum class Reduction { None, Mean, Sum };

/// (input - target)^2, reduced.
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction r = Reduction::Mean);
/// |input - target|, reduced.
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction r = Reduction::Mean);
/// Quadratic below `delta` (> 0), linear above (torch.nn.HuberLoss).
Tensor huber_loss(const Tensor& input, const Tensor& target, float delta = 1.f,
                  Reduction r = Reduction::Mean);
/// Options of cross_entropy, matching torch.nn.functional.cross_entropy.
struct CrossEntropyOptions {
  Tensor class_weights;         // (C) or undefined
  float label_smoothing = 0.f;  // in [0, 1]
  Reduction reduction = Reduction::Mean;
};
/// Softmax cross-entropy on logits (N, C) and class indices (N) stored as floats.
/// Row i's loss is (1 - eps) w[y_i] (-logp[i, y_i]) + eps / C * sum_c w[c] (-logp[i, c]) with
/// eps = label_smoothing and w the class weights (ones when undefined); the mean divides the
/// summed rows by sum_i w[y_i], as PyTorch 1.13 does. Gradients flow to the logits only.
/// Requires: N >= 1, target (N) of integers in [0, C), class_weights (C), and for the mean a
/// non-zero sum of the targets' weights; else Error / ShapeError naming the op and the culprit.
Tensor cross_entropy(const Tensor& logits, const Tensor& target,
                     const CrossEntropyOptions& options = {});
/// Negative log-likelihood of log-probabilities (N, C) at class indices (N): row i's loss is
/// -w[y_i] log_probs[i, y_i]; the mean divides by sum_i w[y_i]. Requirements as cross_entropy.
Tensor nll_loss(const Tensor& log_probs, const Tensor& target,
                const Tensor& class_weights = Tensor(), Reduction r = Reduction::Mean);
/// Binary cross-entropy on logits, numerically stable for any logit:
/// (1 - t) x + (1 + (pos_weight - 1) t) log(1 + exp(-x)). pos_weight (optional) broadcasts to
/// the logits, e.g. (C) over (N, C). Gradients flow to logits, target and pos_weight.
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target,
                                        const Tensor& pos_weight = Tensor(),
                                        Reduction r = Reduction::Mean);


// ---- sequence losses ----
/// Softmax cross-entropy per time step of logits (B, T, C) against class indices (B, T),
/// averaged over the steps where `mask` (B, T) of 0/1 is 1 (all steps when undefined), so
/// padded steps add nothing. Targets of masked-out steps are ignored (may be any value, e.g. -1).
/// Requires: matching shapes and at least one unmasked step (else ShapeError / Error).
Tensor sequence_cross_entropy(const Tensor& logits, const Tensor& targets,
                              const Tensor& mask = Tensor());
/// Squared error per step of input and target (B, T, ...), averaged over the elements of the
/// steps where `mask` (B, T) is 1 (all when undefined). Same requirements.
Tensor sequence_mse_loss(const Tensor& input, const Tensor& target, const Tensor& mask = Tensor());


// ---- attention and normalisation ----
/// Scaled dot-product attention: softmax(q k^T / sqrt(d) + mask) v, with q (..., Tq, d) and
/// k, v (..., Tk, d), giving (..., Tq, d). With `causal`, query i sees keys j <= i + Tk - Tq
/// (the queries are the last Tq positions, so cached past keys work). key_padding_mask (B, Tk)
/// of 0/1 marks padding keys (1: ignored) for q of shape (B, heads, Tq, d). A query that sees no
/// key gets NaN, as in PyTorch. Requires: matching shapes (else ShapeError).
Tensor scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                    bool causal = false,
                                    const Tensor& key_padding_mask = Tensor());
/// RMS normalisation over the last axis: x / sqrt(mean(x^2) + eps) * weight, weight (D) for
/// x (..., D). Requires: weight 1-D of size D (else ShapeError).
Tensor rms_norm(const Tensor& x, const Tensor& weight, float eps = 1e-6f);

}  // namespace myelin
