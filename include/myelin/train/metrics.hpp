#pragma once
// Metrics of classification and regression outputs, and a tracker that makes them exact over an
// epoch. Metrics are measurements, not ops: nothing here is recorded for autograd.
//
// Conventions: classification scores are (N, C) logits or probabilities (any monotone scores:
// only their order matters); class indices are stored as floats, as for cross_entropy. Yes/no
// outputs are logits with 0/1 targets of the same shape, as for bce_with_logits.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::metrics {

/// Sum: the total of a per-sample (or per-element) quantity and how many samples it covers.
/// Adding the Sums of batches gives the exact value over all of them whatever the batch sizes,
/// which averaging the batch means would not when the last batch is smaller.
struct Sum {
  double total = 0;
  int64_t count = 0;
  Sum& operator+=(const Sum& other);
  /// total / count; NaN when count is 0.
  double mean() const;
};

// ---- per-batch sums (what the metrics and the tracker are made of) ----

/// Rows whose target is among the k best-scored classes (total) out of N (count). Ranking ties
/// go to the lower class index, so k = 1 agrees with argmax; a row with a NaN score never counts.
/// Requires: scores (N, C), targets (N) of integers in [0, C), 1 <= k <= C; scores per step
/// (B, T, C) with targets (B, T) count as B*T rows.
/// Throws ShapeError for shapes, Error for bad targets or k, naming the metric.
Sum top_k_correct(const Tensor& scores, const Tensor& targets, int64_t k = 1);
/// Labels predicted right (total) out of all labels (count) for yes/no outputs given as logits:
/// a label is predicted yes when its logit is > 0 (a probability > 0.5) and is yes when its target
/// is > 0.5; a NaN logit never counts. Elementwise over any shape: (N, 1) for one yes/no output,
/// (N, K) for K labels per sample (multi-label).
/// Requires: logits and targets of the same shape (else ShapeError).
Sum binary_correct(const Tensor& logits, const Tensor& targets);
/// Sum of |prediction - target| over all elements (count = number of elements).
/// Requires: equal shapes (any shape, no broadcasting), else ShapeError.
Sum absolute_error(const Tensor& predictions, const Tensor& targets);
/// Sum of (prediction - target)^2 over all elements; as absolute_error.
Sum squared_error(const Tensor& predictions, const Tensor& targets);

// ---- metrics of one set of outputs ----

/// Fraction of rows whose highest score is the target class (see top_k_correct); when scores and
/// targets have the same shape (N, K) (two dimensions or more), the scores are yes/no logits and
/// this is the fraction of labels predicted right (see binary_correct).
double accuracy(const Tensor& scores, const Tensor& targets);
/// Fraction of rows whose target is among the k highest scores (see top_k_correct).
double top_k_accuracy(const Tensor& scores, const Tensor& targets, int64_t k);
/// Mean absolute error over all elements.
double mae(const Tensor& predictions, const Tensor& targets);
/// Root of the mean squared error over all elements.
double rmse(const Tensor& predictions, const Tensor& targets);

/// Counts (C, C): entry [t, p] is the number of samples of true class t predicted as p.
/// Requires: predicted and targets (N) of integers in [0, num_classes), num_classes >= 1.
/// Counts are float32, exact up to 2^24 per cell; add the matrices of batches for an epoch.
Tensor confusion_matrix(const Tensor& predicted, const Tensor& targets, int64_t num_classes);
/// (C): for each true class, the fraction of its samples predicted correctly (the diagonal over
/// the row sums); NaN for a class with no samples. Requires a (C, C) confusion matrix.
Tensor per_class_accuracy(const Tensor& confusion);

/// What a model's outputs are, as its loss reads them; it decides which metrics can measure them.
enum class Outputs {
  ClassScores,   // scores (N, C) against class indices (N): cross_entropy, nll
  BinaryLogits,  // yes/no logits against 0/1 targets of the same shape: bce_with_logits
  Values,        // values against targets of the same shape: mse, l1, huber
};

/// MetricTracker: exact metrics over an epoch, fed batch by batch.
///
/// Tracks the metrics named at construction, from "accuracy", "top<k>_accuracy" (e.g.
/// "top5_accuracy"), "mae" and "rmse": update() adds a batch's Sums to each. add_mean() keeps
/// any other running mean weighted by sample count, e.g. the loss.
class MetricTracker {
 public:
  /// Throws Error for a name it does not know, listing the known ones.
  explicit MetricTracker(const std::vector<std::string>& metrics = {});

  /// Whether `metric` makes sense for `outputs`: accuracy for class scores and yes/no logits,
  /// top<k>_accuracy for class scores, mae and rmse for values.
  /// Throws Error for a name the constructor would not take.
  static bool measures(const std::string& metric, Outputs outputs);

  /// Adds a batch: `outputs` and `targets` as the named metrics take them.
  void update(const Tensor& outputs, const Tensor& targets);
  /// Adds `mean`, the average over `count` samples, to the running mean `name` (created on
  /// first use; must not be one of the constructor's metrics).
  void add_mean(const std::string& name, double mean, int64_t count);

  /// Every tracked value, in the order first tracked; NaN for one that has seen no samples.
  std::vector<std::pair<std::string, double>> values() const;
  /// One tracked value; throws Error when `name` is not tracked.
  double value(const std::string& name) const;
  /// Forgets all sums (for the next epoch); keeps the tracked names.
  void reset();

 private:
  // Accuracy: top-1 of class scores, or binary_correct of (N, K) outputs and targets.
  enum class Kind { Accuracy, TopK, AbsoluteError, SquaredError, Mean };
  struct Entry {
    std::string name;
    Kind kind;
    int64_t k;  // for TopK
    Sum sum;
  };
  /// The empty entry of a metric name; throws Error for an unknown name.
  static Entry entry_of(const std::string& name);
  static double finish(const Entry& e);
  std::vector<Entry> entries_;
};

}  // namespace myelin::metrics
