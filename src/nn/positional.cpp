#include "myelin/nn/positional.hpp"

#include <cmath>

#include "myelin/error.hpp"
#include "myelin/nn/init.hpp"
#include "myelin/ops.hpp"

namespace myelin::nn {

PositionalEncoding::PositionalEncoding(int64_t max_len, int64_t dim, bool learned, Generator* gen)
    : learned_(learned) {
  if (max_len < 1 || dim < 1)
    throw Error(type_name() + ": max_len and dim must be >= 1, got " + std::to_string(max_len) +
                " and " + std::to_string(dim));
  if (learned) {
    table_ = register_parameter("weight", Tensor::empty({max_len, dim}));
    init::normal_(table_, 0.0, 0.02, gen);
    return;
  }
  table_ = Tensor::empty({max_len, dim});
  float* p = table_.data();
  for (int64_t pos = 0; pos < max_len; ++pos)
    for (int64_t i = 0; i < dim; ++i) {
      const double freq = std::pow(10000.0, -static_cast<double>(i - i % 2) / static_cast<double>(dim));
      p[pos * dim + i] = static_cast<float>(i % 2 == 0 ? std::sin(pos * freq) : std::cos(pos * freq));
    }
}

Tensor PositionalEncoding::add_at(const Tensor& x, int64_t start) const {
  const int64_t max_len = table_.size(0), dim = table_.size(1);
  if (x.dim() != 3 || x.size(2) != dim || start + x.size(1) > max_len)
    throw ShapeError(type_name() + ": input " + to_string(x.shape()) + " from position " +
                     std::to_string(start) + " does not fit (expected (B, T, " + std::to_string(dim) +
                     ") with positions below max_len " + std::to_string(max_len) + ")");
  return x + table_.slice(0, start, start + x.size(1));
}

Tensor PositionalEncoding::forward_incremental(const Tensor& x_new, StepCache& cache) {
  const Tensor y = add_at(x_new, cache.steps);
  cache.steps += x_new.size(1);
  return y;
}

std::string PositionalEncoding::type_name() const {
  return learned_ ? "LearnedPositionalEncoding" : "SinusoidalPositionalEncoding";
}

std::string PositionalEncoding::extra_repr() const {
  return "max_len=" + std::to_string(table_.size(0)) + ", dim=" + std::to_string(table_.size(1));
}

void PositionalEncoding::describe(ModuleSpec& spec) const {
  spec.set("max_len", table_.size(0));
  spec.set("dim", table_.size(1));
}

}  // namespace myelin::nn
