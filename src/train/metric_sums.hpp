#pragma once
// The per-batch sums of metrics.hpp with the metric's name for error messages, so that an
// error from MetricTracker::update names the tracked metric ("top5_accuracy: ...").
#include <string>

#include "myelin/train/metrics.hpp"

namespace myelin::metrics {

Sum top_k_correct_named(const std::string& op, const Tensor& scores, const Tensor& targets, int64_t k);
Sum binary_correct_named(const std::string& op, const Tensor& logits, const Tensor& targets);
/// binary_correct when scores and targets have the same shape of at least two dimensions (N, K),
/// else top-1 of top_k_correct.
Sum accuracy_named(const std::string& op, const Tensor& scores, const Tensor& targets);
Sum absolute_error_named(const std::string& op, const Tensor& predictions, const Tensor& targets);
Sum squared_error_named(const std::string& op, const Tensor& predictions, const Tensor& targets);

}  // namespace myelin::metrics
