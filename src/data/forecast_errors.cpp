// errors_per_target: mean absolute and root mean squared error of each forecast target.
#include <cmath>

#include "myelin/data/time_series.hpp"
#include "myelin/error.hpp"

namespace myelin::data {

std::vector<TargetErrors> errors_per_target(const Tensor& forecast, const Tensor& actual) {
  if (forecast.dim() != 3 || forecast.shape() != actual.shape() || forecast.size(0) < 1)
    throw ShapeError("errors_per_target: forecast " + to_string(forecast.shape()) + " and actual " +
                     to_string(actual.shape()) + " must both be (M, horizon, targets) with M >= 1");
  const Tensor f = forecast.detach().contiguous(), a = actual.detach().contiguous();
  const int64_t nt = f.size(2), cells = f.numel() / nt;
  std::vector<double> absolute(static_cast<size_t>(nt), 0.0), squared(static_cast<size_t>(nt), 0.0);
  // f, a: (M, horizon, targets), read as (M * horizon, targets)
  for (int64_t i = 0; i < cells; ++i)
    for (int64_t k = 0; k < nt; ++k) {
      const double e = static_cast<double>(f.data()[i * nt + k]) - a.data()[i * nt + k];
      absolute[k] += std::abs(e);
      squared[k] += e * e;
    }
  std::vector<TargetErrors> out;
  for (int64_t k = 0; k < nt; ++k)
    out.push_back({absolute[k] / static_cast<double>(cells), std::sqrt(squared[k] / static_cast<double>(cells))});
  return out;
}

}  // namespace myelin::data
