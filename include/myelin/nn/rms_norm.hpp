#pragma once
// RMSNorm: root-mean-square normalisation of the last dimension.
#include <cstdint>

#include "myelin/nn/module.hpp"

namespace myelin::nn {

/// RMSNorm: x / sqrt(mean(x^2) + eps) * weight over the last dimension of size `dim`, with
/// "weight" (dim) starting at ones (torch.nn.RMSNorm). Requires: dim >= 1, eps > 0 (else Error).
class RMSNorm : public Module {
 public:
  explicit RMSNorm(int64_t dim, double eps = 1e-6);
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "RMSNorm"; }
  std::string extra_repr() const override;
  const Tensor& weight() const { return weight_; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  Tensor weight_;
  double eps_;
};

}  // namespace myelin::nn
