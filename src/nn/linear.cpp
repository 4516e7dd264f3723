// Linear: a thin layer over the linear op, initialised as PyTorch does.
#include "myelin/nn/linear.hpp"

#include <cmath>

#include "myelin/error.hpp"
#include "myelin/nn/init.hpp"
#include "myelin/ops.hpp"

namespace myelin::nn {

Linear::Linear(int64_t in_features, int64_t out_features, bool bias, Generator* gen)
    : in_features_(in_features), out_features_(out_features) {
  if (in_features < 1 || out_features < 1)
    throw Error("Linear: in_features and out_features must be >= 1, got " +
                std::to_string(in_features) + " and " + std::to_string(out_features));
  weight_ = register_parameter("weight", Tensor::empty({out_features, in_features}));
  if (bias) bias_ = register_parameter("bias", Tensor::empty({out_features}));
  reset_parameters(gen);
}

void Linear::reset_parameters(Generator* gen) {
  // a = sqrt(5) makes the weight bound 1/sqrt(fan_in), the same as the bias bound.
  init::kaiming_uniform_(weight_, std::sqrt(5.0), init::FanMode::FanIn,
                         init::Nonlinearity::LeakyReLU, gen);
  if (bias_.defined()) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(in_features_));
    init::uniform_(bias_, -bound, bound, gen);
  }
}

Tensor Linear::forward(const Tensor& x) { return linear(x, weight_, bias_); }

std::string Linear::extra_repr() const {
  return "in_features=" + std::to_string(in_features_) +
         ", out_features=" + std::to_string(out_features_) +
         ", bias=" + (bias_.defined() ? "true" : "false");
}

int64_t Linear::flops(const Shape& input, const Shape& output) const {
  (void)output;
  return 2 * in_features_ * out_features_ * (numel(input) / in_features_);
}

void Linear::describe(ModuleSpec& spec) const {
  spec.set("in_features", in_features_);
  spec.set("out_features", out_features_);
  spec.set("bias", bias_.defined());
}

}  // namespace myelin::nn
