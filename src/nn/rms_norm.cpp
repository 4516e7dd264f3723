#include "myelin/nn/rms_norm.hpp"

#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "nn/format.hpp"

namespace myelin::nn {

RMSNorm::RMSNorm(int64_t dim, double eps) : eps_(eps) {
  if (dim < 1 || !(eps > 0.0))
    throw Error("RMSNorm: dim must be >= 1 and eps > 0, got " + std::to_string(dim) + " and " +
                format_number(eps));
  weight_ = register_parameter("weight", Tensor::ones({dim}));
}

Tensor RMSNorm::forward(const Tensor& x) { return rms_norm(x, weight_, static_cast<float>(eps_)); }

std::string RMSNorm::extra_repr() const {
  return std::to_string(weight_.size(0)) + ", eps=" + format_number(eps_);
}

void RMSNorm::describe(ModuleSpec& spec) const {
  spec.set("dim", weight_.size(0));
  spec.set("eps", eps_);
}

}  // namespace myelin::nn
