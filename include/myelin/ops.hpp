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
Tensor concat(const std::vector<Tensor>& xs, int64_t axis = 0);
/// Stacks equal-shaped tensors along a new axis.
Tensor stack(const std::vector<Tensor>& xs, int64_t axis = 0);
/// Splits into pieces of the given sizes along `axis` (views).
std::vector<Tensor> split(const Tensor& x, const std::vector<int64_t>& sizes, int64_t axis = 0);
/// Splits into `chunks` equal pieces (the last may be smaller).
std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t axis = 0);

// ---- regularisation ----
/// Inverted dropout: in training zeroes each element with probability p and scales the rest by
/// 1/(1-p); identity when `training` is false or p == 0.
Tensor dropout(const Tensor& x, float p, bool training, Generator* gen = nullptr);

// ---- losses ----
/// How a loss combines per-element (or per-sample) values.
enum class Reduction { None, Mean, Sum };

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction r = Reduction::Mean);
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction r = Reduction::Mean);
/// Quadratic below `delta`, linear above (torch.nn.HuberLoss).
Tensor huber_loss(const Tensor& input, const Tensor& target, float delta = 1.f,
                  Reduction r = Reduction::Mean);
/// Options of cross_entropy, matching torch.nn.functional.cross_entropy.
struct CrossEntropyOptions {
  Tensor class_weights;         // (C) or undefined
  float label_smoothing = 0.f;  // in [0, 1)
  Reduction reduction = Reduction::Mean;
};
/// Softmax cross-entropy on logits (N, C) and class indices (N) stored as floats.
/// With class weights the mean divides by the summed weights of the targets, as in PyTorch.
Tensor cross_entropy(const Tensor& logits, const Tensor& target,
                     const CrossEntropyOptions& options = {});
/// Negative log-likelihood of log-probabilities (N, C) at class indices (N).
Tensor nll_loss(const Tensor& log_probs, const Tensor& target,
                const Tensor& class_weights = Tensor(), Reduction r = Reduction::Mean);
/// Binary cross-entropy on logits, numerically stable; optional pos_weight broadcast over C.
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target,
                                        const Tensor& pos_weight = Tensor(),
                                        Reduction r = Reduction::Mean);

}  // namespace myelin
