// Loss functions, matching torch.nn.functional. The regression and binary losses are short
// compositions of differentiable ops; cross-entropy and NLL run one fused kernel forward and one
// backward (backend::nll_rows), so a training step's loss is one log-softmax and two passes.
#include <cmath>
#include <memory>
#include <sstream>
#include <string>

#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin {

namespace {

Tensor reduce(const Tensor& per_element, Reduction r) {
  switch (r) {
    case Reduction::None: return per_element;
    case Reduction::Mean: return mean(per_element);
    case Reduction::Sum: return sum(per_element);
  }
  throw Error("loss: unknown reduction");
}

// Elementwise losses take input and target of one shape (no broadcasting: a (N, 1) input
// against a (N) target is a bug, not an outer product) with at least one element.
void check_pair(const std::string& op, const Tensor& input, const Tensor& target) {
  if (!input.defined() || !target.defined()) throw Error(op + ": input and target must be defined");
  if (input.shape() != target.shape())
    throw ShapeError(op + ": input of shape " + to_string(input.shape()) + " and target of shape " +
                     to_string(target.shape()) + " must have the same shape");
  if (input.numel() == 0)
    throw Error(op + ": empty input of shape " + to_string(input.shape()) +
                "; a loss needs at least one element");
}

// True when `from` broadcasts to `to` without changing it (right-aligned, sizes 1 or equal).
bool broadcasts_to(const Shape& from, const Shape& to) {
  if (from.size() > to.size()) return false;
  const size_t lead = to.size() - from.size();
  for (size_t i = 0; i < from.size(); ++i)
    if (from[i] != 1 && from[i] != to[lead + i]) return false;
  return true;
}

}  // namespace

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction r) {
  check_pair("mse_loss", input, target);
  const Tensor d = input - target;
  return reduce(d * d, r);
}

Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction r) {
  check_pair("l1_loss", input, target);
  return reduce(abs(input - target), r);
}

Tensor huber_loss(const Tensor& input, const Tensor& target, float delta, Reduction r) {
  check_pair("huber_loss", input, target);
  if (!(delta > 0.f)) throw Error("huber_loss: delta must be positive, got " + std::to_string(delta));
  // With a = |input - target| and q = min(a, delta), 0.5 q^2 + delta (a - q) is 0.5 a^2 up to
  // delta and delta (a - delta / 2) beyond, and its gradient is Huber's on both sides.
  const Tensor a = abs(input - target);
  const Tensor q = clamp(a, 0.f, delta);
  return reduce(0.5f * (q * q) + delta * (a - q), r);
}

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target,
                                        const Tensor& pos_weight, Reduction r) {
  const char* op = "binary_cross_entropy_with_logits";
  check_pair(op, logits, target);
  if (pos_weight.defined() && !broadcasts_to(pos_weight.shape(), logits.shape()))
    throw ShapeError(std::string(op) + ": pos_weight of shape " + to_string(pos_weight.shape()) +
                     " does not broadcast to logits of shape " + to_string(logits.shape()));
  // -[w t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))] with w = 1 + (pos_weight - 1) t on the
  // positive term, rewritten as (1 - t) x + w softplus(-x): softplus never overflows.
  const Tensor negative_part = logits - target * logits;
  const Tensor log_weight = pos_weight.defined() ? (pos_weight - 1.f) * target + 1.f : Tensor();
  const Tensor sp = softplus(-logits);
  return reduce(negative_part + (log_weight.defined() ? log_weight * sp : sp), r);
}

namespace {

// A classification batch checked against its (N, C) scores.
struct ClassBatch {
  int64_t n = 0, c = 0;
  std::vector<int64_t> target;  // (N) class indices
  std::vector<float> weight;    // (C) class weights; ones when none are given
  float normaliser = 1.f;       // Mean: the summed weights of the targets; else 1
};

// "3" rather than "3.000000".
std::string shortest(float v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

ClassBatch check_classes(const std::string& op, const Tensor& x, const Tensor& target,
                         const Tensor& class_weights, Reduction r) {
  if (!x.defined() || !target.defined()) throw Error(op + ": input and target must be defined");
  if (x.dim() != 2)
    throw ShapeError(op + ": input must be (N, C), got shape " + to_string(x.shape()));
  ClassBatch b;
  b.n = x.size(0);
  b.c = x.size(1);
  if (b.n == 0)
    throw Error(op + ": empty batch (input of shape " + to_string(x.shape()) +
                "); a loss needs at least one sample");
  if (target.shape() != Shape{b.n})
    throw ShapeError(op + ": target of shape " + to_string(target.shape()) +
                     " does not fit input of shape " + to_string(x.shape()) + "; expected " +
                     to_string(Shape{b.n}));
  if (class_weights.defined() && class_weights.shape() != Shape{b.c})
    throw ShapeError(op + ": class_weights of shape " + to_string(class_weights.shape()) +
                     " does not fit " + std::to_string(b.c) + " classes; expected " +
                     to_string(Shape{b.c}));
  b.weight = class_weights.defined() ? class_weights.to_vector() : std::vector<float>(b.c, 1.f);
  const std::vector<float> t = target.to_vector();
  double weight_sum = 0;
  for (int64_t i = 0; i < b.n; ++i) {
    const float v = t[i];
    if (!(v >= 0.f && v < static_cast<float>(b.c) && v == std::floor(v)))
      throw Error(op + ": target " + shortest(v) + " at position " + std::to_string(i) +
                  " is not a class index for C = " + std::to_string(b.c) +
                  " classes (expected an integer in [0, " + std::to_string(b.c - 1) + "])");
    b.target.push_back(static_cast<int64_t>(v));
    weight_sum += b.weight[b.target.back()];
  }
  if (r == Reduction::Mean) {
    if (weight_sum == 0)
      throw Error(op + ": the class weights of the targets sum to 0, so the weighted mean is undefined");
    b.normaliser = static_cast<float>(weight_sum);
  }
  return b;
}

// Cross-entropy (from_logits: x are logits) or NLL (x are log-probabilities) with PyTorch's
// weights and label smoothing: row i's loss is (1 - eps) w[y_i] (-logp[i, y_i]) plus
// eps / C * sum_c w[c] (-logp[i, c]); Mean divides the summed rows by sum_i w[y_i].
Tensor class_loss(const char* op, const Tensor& x, const Tensor& target, const Tensor& weights,
                  float eps, Reduction r, bool from_logits) {
  auto b = std::make_shared<const ClassBatch>(check_classes(op, x, target, weights, r));
  const Tensor xc = x.detach().contiguous();
  Tensor logp = xc;  // (N, C)
  if (from_logits) {
    logp = Tensor::empty(xc.shape());
    backend::softmax(xc.data(), logp.data(), b->n, b->c, 1, true);
  }
  Tensor rows = Tensor::empty({b->n});
  backend::nll_rows(logp.data(), b->target.data(), b->weight.data(), eps, rows.data(), b->n, b->c);
  Tensor out = rows;
  if (r != Reduction::None) {
    out = Tensor::empty({});
    backend::reduce_sum(rows.data(), out.data(), 1, b->n, 1);
    out.data()[0] /= b->normaliser;
  }
  // NLL's gradient does not read the input, so only cross-entropy keeps logp.
  return autograd::record(op, {x}, out,
                          [b, logp = from_logits ? logp : Tensor(), eps, r](const Tensor& g) {
                            const Tensor gc = g.contiguous();
                            const std::vector<float> scale =
                                r == Reduction::None
                                    ? std::vector<float>(gc.data(), gc.data() + b->n)
                                    : std::vector<float>(b->n, gc.data()[0] / b->normaliser);
                            Tensor gx = Tensor::empty({b->n, b->c});
                            backend::nll_rows_backward(
                                logp.defined() ? logp.data() : nullptr, b->target.data(),
                                b->weight.data(), eps, scale.data(), gx.data(), b->n, b->c,
                                logp.defined());
                            return autograd::Grads{gx};
                          });
}

}  // namespace

Tensor cross_entropy(const Tensor& logits, const Tensor& target, const CrossEntropyOptions& o) {
  if (!(o.label_smoothing >= 0.f && o.label_smoothing <= 1.f))
    throw Error("cross_entropy: label_smoothing must be in [0, 1], got " +
                std::to_string(o.label_smoothing));
  return class_loss("cross_entropy", logits, target, o.class_weights, o.label_smoothing,
                    o.reduction, true);
}

Tensor nll_loss(const Tensor& log_probs, const Tensor& target, const Tensor& class_weights,
                Reduction r) {
  return class_loss("nll_loss", log_probs, target, class_weights, 0.f, r, false);
}

}  // namespace myelin
