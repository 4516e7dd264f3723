#pragma once
// Linear: the fully connected layer.
#include <cstdint>

#include "myelin/nn/module.hpp"

namespace myelin {
class Generator;
}

namespace myelin::nn {

/// Linear: y = x @ weight^T + bias, on inputs (..., in_features) giving (..., out_features).
/// Parameters "weight" (out_features, in_features) and, with `bias`, "bias" (out_features),
/// initialised as torch.nn.Linear: weight by kaiming_uniform_(a = sqrt(5)) and bias by
/// U(-1/sqrt(in_features), 1/sqrt(in_features)), both from `gen` (the default generator when
/// null). Requires: in_features >= 1, out_features >= 1 (else Error).
class Linear : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true, Generator* gen = nullptr);

  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Linear"; }
  std::string extra_repr() const override;
  /// 2 * in * out per output row.
  int64_t flops(const Shape& input, const Shape& output) const override;

  /// Draws fresh weights as the constructor does.
  void reset_parameters(Generator* gen = nullptr);

  int64_t in_features() const { return in_features_; }
  int64_t out_features() const { return out_features_; }
  /// The parameters (handles sharing the registered tensors); bias is undefined without bias.
  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  int64_t in_features_;
  int64_t out_features_;
  Tensor weight_;
  Tensor bias_;
};

}  // namespace myelin::nn
