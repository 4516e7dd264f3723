// Classification and regression metrics, computed in double on dense copies of the outputs.
#include "myelin/train/metrics.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "myelin/error.hpp"
#include "train/metric_sums.hpp"

namespace myelin::metrics {
namespace {

// The values of `t`, row-major, cut from the graph.
Tensor dense(const Tensor& t) { return t.detach().contiguous(); }

std::string format(float v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

int64_t class_index(const std::string& op, const char* what, float v, int64_t i, int64_t num_classes) {
  if (!(v >= 0 && v < static_cast<float>(num_classes)) || v != std::floor(v))
    throw Error(op + ": " + what + " " + format(v) + " at index " + std::to_string(i) +
                " is not a class index in [0, " + std::to_string(num_classes) + ")");
  return static_cast<int64_t>(v);
}

// The sum over all elements of per_element(prediction, target).
Sum elementwise_sum(const std::string& op, const Tensor& predictions, const Tensor& targets,
                    double (*per_element)(float, float)) {
  if (predictions.shape() != targets.shape())
    throw ShapeError(op + ": predictions and targets must have the same shape, got " + to_string(predictions.shape()) +
                     " and " + to_string(targets.shape()));
  const Tensor p = dense(predictions), t = dense(targets);
  const float* pd = p.data();
  const float* td = t.data();
  Sum out{0, p.numel()};
  for (int64_t i = 0; i < out.count; ++i) out.total += per_element(pd[i], td[i]);
  return out;
}

double absolute(float p, float t) { return std::fabs(static_cast<double>(p) - t); }
double square(float p, float t) {
  const double d = static_cast<double>(p) - t;
  return d * d;
}
// 1 when the logit's side of 0 is the target's side of 0.5 (false for a NaN logit).
double same_side(float logit, float target) { return (logit > 0.f && target > 0.5f) || (logit <= 0.f && target <= 0.5f); }

}  // namespace

Sum& Sum::operator+=(const Sum& other) {
  total += other.total;
  count += other.count;
  return *this;
}

double Sum::mean() const { return count == 0 ? std::numeric_limits<double>::quiet_NaN() : total / count; }

Sum top_k_correct_named(const std::string& op, const Tensor& scores_in, const Tensor& targets_in, int64_t k) {
  // Scores per step (B, T, C) against classes (B, T) count as B*T rows.
  const bool steps = scores_in.dim() > 2 && targets_in.dim() == scores_in.dim() - 1;
  const Tensor scores = steps ? scores_in.reshape({-1, scores_in.size(scores_in.dim() - 1)}) : scores_in;
  const Tensor targets = steps ? targets_in.reshape({-1}) : targets_in;
  if (scores.dim() != 2 || targets.dim() != 1 || targets.size(0) != scores.size(0))
    throw ShapeError(op + ": scores must be (N, C) and targets (N), got scores " + to_string(scores.shape()) +
                     " and targets " + to_string(targets.shape()));
  const int64_t n = scores.size(0), c = scores.size(1);
  if (k < 1 || k > c)
    throw Error(op + ": k must be in [1, " + std::to_string(c) + "] (the number of classes), got " + std::to_string(k));
  // s: (N, C), t: (N)
  const Tensor s = dense(scores), t = dense(targets);
  Sum out{0, n};
  for (int64_t i = 0; i < n; ++i) {
    const float* row = s.data() + i * c;
    const int64_t target = class_index(op, "target", t.data()[i], i, c);
    const float score = row[target];
    bool has_nan = false;
    int64_t ranked_above = 0;  // classes ahead of the target in (score desc, index asc) order
    for (int64_t j = 0; j < c; ++j) {
      has_nan |= std::isnan(row[j]);
      ranked_above += row[j] > score || (row[j] == score && j < target);
    }
    if (!has_nan && ranked_above < k) out.total += 1;
  }
  return out;
}

Sum binary_correct_named(const std::string& op, const Tensor& logits, const Tensor& targets) {
  return elementwise_sum(op, logits, targets, same_side);
}

Sum absolute_error_named(const std::string& op, const Tensor& predictions, const Tensor& targets) {
  return elementwise_sum(op, predictions, targets, absolute);
}

Sum squared_error_named(const std::string& op, const Tensor& predictions, const Tensor& targets) {
  return elementwise_sum(op, predictions, targets, square);
}

Sum accuracy_named(const std::string& op, const Tensor& scores, const Tensor& targets) {
  const bool yes_no = scores.dim() >= 2 && scores.shape() == targets.shape();
  return yes_no ? binary_correct_named(op, scores, targets) : top_k_correct_named(op, scores, targets, 1);
}

Sum top_k_correct(const Tensor& scores, const Tensor& targets, int64_t k) {
  return top_k_correct_named("top_k_correct", scores, targets, k);
}
Sum binary_correct(const Tensor& logits, const Tensor& targets) {
  return binary_correct_named("binary_correct", logits, targets);
}
Sum absolute_error(const Tensor& predictions, const Tensor& targets) {
  return absolute_error_named("absolute_error", predictions, targets);
}
Sum squared_error(const Tensor& predictions, const Tensor& targets) {
  return squared_error_named("squared_error", predictions, targets);
}

double accuracy(const Tensor& scores, const Tensor& targets) { return accuracy_named("accuracy", scores, targets).mean(); }
double top_k_accuracy(const Tensor& scores, const Tensor& targets, int64_t k) {
  return top_k_correct_named("top_k_accuracy", scores, targets, k).mean();
}
double mae(const Tensor& predictions, const Tensor& targets) {
  return absolute_error_named("mae", predictions, targets).mean();
}
double rmse(const Tensor& predictions, const Tensor& targets) {
  return std::sqrt(squared_error_named("rmse", predictions, targets).mean());
}

Tensor confusion_matrix(const Tensor& predicted, const Tensor& targets, int64_t num_classes) {
  const std::string op = "confusion_matrix";
  if (predicted.dim() != 1 || targets.shape() != predicted.shape())
    throw ShapeError(op + ": predicted and targets must both be (N), got " + to_string(predicted.shape()) + " and " +
                     to_string(targets.shape()));
  if (num_classes < 1) throw Error(op + ": num_classes must be at least 1, got " + std::to_string(num_classes));
  const Tensor p = dense(predicted), t = dense(targets);
  Tensor out = Tensor::zeros({num_classes, num_classes});  // [true, predicted]
  for (int64_t i = 0; i < p.numel(); ++i) {
    const int64_t truth = class_index(op, "target", t.data()[i], i, num_classes);
    const int64_t guess = class_index(op, "predicted class", p.data()[i], i, num_classes);
    out.data()[truth * num_classes + guess] += 1;
  }
  return out;
}

Tensor per_class_accuracy(const Tensor& confusion) {
  if (confusion.dim() != 2 || confusion.size(0) != confusion.size(1))
    throw ShapeError("per_class_accuracy: the confusion matrix must be (C, C), got " + to_string(confusion.shape()));
  const int64_t c = confusion.size(0);
  const Tensor m = dense(confusion);  // (C, C), rows = true class
  Tensor out = Tensor::empty({c});
  for (int64_t t = 0; t < c; ++t) {
    double samples = 0;
    for (int64_t p = 0; p < c; ++p) samples += m.data()[t * c + p];
    out.data()[t] = samples > 0 ? static_cast<float>(m.data()[t * c + t] / samples)
                                : std::numeric_limits<float>::quiet_NaN();
  }
  return out;
}

}  // namespace myelin::metrics
