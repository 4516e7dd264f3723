#pragma once
// Standardizer: per-feature centring and scaling, fitted on training data.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::data {

/// Standardizer: maps each feature x to (x - mean) / std, with mean and std measured on the
/// training set only (so validation and test data carry no information into preprocessing).
/// Features are all dimensions after the first: data (N, F) gives mean and std of shape (F).
///
/// std is the population standard deviation (divisor N), with 1 in place of 0 for a constant
/// feature, which transform() then maps to 0. Its state (tensors "mean" and "std") is saved
/// with state_dict() and restored with load_state_dict(), e.g. into a model file.
class Standardizer {
 public:
  /// An unfitted standardizer; fit() or load_state_dict() before transform().
  Standardizer() = default;
  /// Measures mean and std of `train` (N, ...) over its first dimension.
  /// Requires: N >= 1 (else ShapeError).
  void fit(const Tensor& train);
  /// (x - mean) / std for x (M, ...) with the fitted feature shape (else ShapeError); a new tensor.
  Tensor transform(const Tensor& x) const;
  /// fit(train) then transform(train).
  Tensor fit_transform(const Tensor& train);

  bool fitted() const { return mean_.defined(); }
  const Tensor& mean() const { return mean_; }
  const Tensor& std() const { return std_; }

  /// {"mean", mean}, {"std", std}. Requires fitted() (else Error).
  std::vector<std::pair<std::string, Tensor>> state_dict() const;
  /// Restores "mean" and "std" (copies); missing names or differing shapes throw Error.
  void load_state_dict(const std::map<std::string, Tensor>& state);

 private:
  Tensor mean_;
  Tensor std_;
};

}  // namespace myelin::data
