// Column means that skip NaN, and NaN filled with them: element loops over (N, F) tables.
#include "myelin/data/missing_values.hpp"

#include <cmath>

#include "myelin/error.hpp"
#include "myelin/quote.hpp"

namespace myelin::data {
namespace {

// x as a contiguous (N, F) table; `who` names the caller in the message.
Tensor table_of(const Tensor& x, const char* who) {
  if (!x.defined() || x.dim() != 2)
    throw ShapeError(std::string(who) + ": expected a table (N, F), got " +
                     (x.defined() ? to_string(x.shape()) : std::string("an undefined tensor")));
  return x.detach().contiguous();
}

}  // namespace

Tensor column_means_ignoring_nan(const Tensor& x, const std::vector<std::string>& names) {
  const Tensor t = table_of(x, "column_means_ignoring_nan");
  const int64_t n = t.size(0), f = t.size(1);
  std::vector<double> sum(static_cast<size_t>(f), 0.0);
  std::vector<int64_t> count(static_cast<size_t>(f), 0);
  const float* p = t.data();
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < f; ++j)
      if (!std::isnan(p[i * f + j])) {
        sum[j] += p[i * f + j];
        ++count[j];
      }
  Tensor means = Tensor::empty({f});
  for (int64_t j = 0; j < f; ++j) {
    if (count[j] == 0) {
      const std::string column = names.size() == static_cast<size_t>(f) ? quote_prefix(names[j]) : std::to_string(j);
      throw Error("column " + column + " has no values in any of its " + std::to_string(n) +
                  " rows, so there is no mean to fill its gaps with");
    }
    means.data()[j] = static_cast<float>(sum[j] / static_cast<double>(count[j]));
  }
  return means;
}

Tensor fill_nan(const Tensor& x, const Tensor& means) {
  Tensor out = table_of(x, "fill_nan").clone();
  const int64_t n = out.size(0), f = out.size(1);
  if (!means.defined() || means.shape() != Shape{f})
    throw ShapeError("fill_nan: expected means (" + std::to_string(f) + ") for a table " + to_string(out.shape()) +
                     ", got " + (means.defined() ? to_string(means.shape()) : std::string("an undefined tensor")));
  const Tensor m = means.detach().contiguous();
  float* p = out.data();
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < f; ++j)
      if (std::isnan(p[i * f + j])) p[i * f + j] = m.data()[j];
  return out;
}

bool has_nan(const Tensor& x) {
  if (!x.defined()) return false;
  const Tensor t = x.detach().contiguous();
  const float* p = t.data();
  for (int64_t i = 0; i < t.numel(); ++i)
    if (std::isnan(p[i])) return true;
  return false;
}

}  // namespace myelin::data
