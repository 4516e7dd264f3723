#include "myelin/nn/reshape.hpp"

#include <algorithm>

#include "myelin/error.hpp"

namespace myelin::nn {

Reshape::Reshape(Shape shape, bool allowzero) : shape_(std::move(shape)), allowzero_(allowzero) {
  const auto inferred = std::count(shape_.begin(), shape_.end(), -1);
  const bool negative = std::any_of(shape_.begin(), shape_.end(), [](int64_t d) { return d < -1; });
  const bool zero = std::count(shape_.begin(), shape_.end(), 0) > 0;
  if (negative || inferred > 1 || (allowzero_ && zero && inferred > 0))
    throw Error("Reshape: shape " + to_string(shape_) + " must hold sizes >= 0 and at most one -1" +
                (allowzero_ ? " (and no -1 beside a 0 with allowzero)" : ""));
}

// x: any shape -> shape_ with its 0s (unless allowzero) copied from x and its -1 inferred.
Tensor Reshape::forward(const Tensor& x) {
  Shape target = shape_;
  int64_t known = 1;
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] == 0 && !allowzero_) {
      if (static_cast<int64_t>(i) >= x.dim())
        throw ShapeError("Reshape: shape " + to_string(shape_) + " copies dimension " + std::to_string(i) +
                         " of input " + to_string(x.shape()) + ", which has none");
      target[i] = x.size(static_cast<int64_t>(i));
    }
    // Sizes come from files: a product past int64 is a mismatch, not an overflow.
    if (target[i] != -1 && __builtin_mul_overflow(known, target[i], &known))
      throw ShapeError("Reshape: shape " + to_string(shape_) + " holds more elements than int64 counts");
  }
  return x.reshape(target);
}

std::string Reshape::extra_repr() const {
  return "shape=" + to_string(shape_) + (allowzero_ ? ", allowzero=true" : "");
}

void Reshape::describe(ModuleSpec& spec) const {
  spec.set("shape", shape_);
  if (allowzero_) spec.set("allowzero", true);
}

}  // namespace myelin::nn
