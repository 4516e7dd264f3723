#include "myelin/nn/last_step.hpp"

#include "myelin/error.hpp"

namespace myelin::nn {

Tensor LastStep::forward(const Tensor& x) {
  const int64_t d = dim_ < 0 ? dim_ + x.dim() : dim_;
  if (d < 0 || d >= x.dim() || x.size(d) < 1)
    throw ShapeError("LastStep: dim " + std::to_string(dim_) + " does not fit input " +
                     to_string(x.shape()) + " (expected a non-empty time dimension)");
  return keepdim_ ? x.slice(d, x.size(d) - 1, x.size(d)) : x.select(d, x.size(d) - 1);
}

}  // namespace myelin::nn
