// Standardizer: per-feature mean and std (accumulated in double), and the scaling itself.
#include "myelin/data/standardizer.hpp"

#include <cmath>

#include "myelin/autograd.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin::data {
namespace {

Shape feature_shape(const Tensor& x) { return Shape(x.shape().begin() + 1, x.shape().end()); }

// "(M, f1, f2, ...)": data with any number M of rows, for messages.
std::string with_rows(const Shape& features) {
  std::string s = "(M";
  for (int64_t d : features) s += ", " + std::to_string(d);
  return s + ")";
}

}  // namespace

void Standardizer::fit(const Tensor& train) {
  if (!train.defined() || train.dim() == 0 || train.size(0) == 0)
    throw ShapeError("Standardizer::fit: expected data (N, ...) with N >= 1, got " +
                     (train.defined() ? to_string(train.shape()) : std::string("an undefined tensor")));
  // x: (N, F) with F = all feature elements.
  const Tensor x = train.detach().contiguous();
  const int64_t n = x.size(0), f = x.numel() / n;
  std::vector<double> mean_d(static_cast<size_t>(f), 0.0), sq(static_cast<size_t>(f), 0.0);
  const float* p = x.data();
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < f; ++j) mean_d[j] += p[i * f + j];
  for (double& m : mean_d) m /= static_cast<double>(n);
  // A second pass over the deviations keeps precision when the mean is large.
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < f; ++j) {
      const double d = p[i * f + j] - mean_d[j];
      sq[j] += d * d;
    }
  Tensor mean = Tensor::empty(feature_shape(x)), scale = Tensor::empty(feature_shape(x));
  for (int64_t j = 0; j < f; ++j) {
    const double s = std::sqrt(sq[j] / static_cast<double>(n));
    mean.data()[j] = static_cast<float>(mean_d[j]);
    scale.data()[j] = s > 0.0 ? static_cast<float>(s) : 1.f;
  }
  mean_ = mean;
  std_ = scale;
}

Tensor Standardizer::transform(const Tensor& x) const {
  if (!fitted()) throw Error("Standardizer::transform: not fitted; call fit() or load_state_dict() first");
  if (!x.defined() || x.dim() == 0 || feature_shape(x) != mean_.shape())
    throw ShapeError("Standardizer::transform: expected data " + with_rows(mean_.shape()) +
                     " with the fitted feature shape, got " +
                     (x.defined() ? to_string(x.shape()) : std::string("an undefined tensor")));
  NoGradGuard no_grad;
  return div(sub(x.detach(), mean_), std_);
}

Tensor Standardizer::fit_transform(const Tensor& train) {
  fit(train);
  return transform(train);
}

std::vector<std::pair<std::string, Tensor>> Standardizer::state_dict() const {
  if (!fitted()) throw Error("Standardizer::state_dict: not fitted; there is no state to save");
  return {{"mean", mean_}, {"std", std_}};
}

void Standardizer::load_state_dict(const std::map<std::string, Tensor>& state) {
  const auto mean = state.find("mean"), scale = state.find("std");
  if (mean == state.end() || scale == state.end())
    throw Error("Standardizer::load_state_dict: expected tensors 'mean' and 'std'");
  if (mean->second.shape() != scale->second.shape())
    throw Error("Standardizer::load_state_dict: 'mean' " + to_string(mean->second.shape()) + " and 'std' " +
                to_string(scale->second.shape()) + " differ in shape");
  for (float s : scale->second.to_vector())
    if (!(s > 0.f)) throw Error("Standardizer::load_state_dict: 'std' must be positive everywhere");
  mean_ = mean->second.detach().clone();
  std_ = scale->second.detach().clone();
}

}  // namespace myelin::data
