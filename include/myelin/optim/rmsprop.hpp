#pragma once
// RMSprop (torch.optim.RMSprop).
#include "myelin/optim/optimizer.hpp"

namespace myelin::optim {

/// Settings of RMSprop; each as in torch.optim.RMSprop.
struct RMSpropOptions {
  double lr = 1e-2;
  double alpha = 0.99;
  double eps = 1e-8;
  double weight_decay = 0;
  double momentum = 0;
  bool centered = false;
};

/// RMSprop: with g = grad + weight_decay * p,
///   s = alpha s + (1 - alpha) g^2;   centered: a = alpha a + (1 - alpha) g, d = sqrt(s - a^2) + eps,
///   else d = sqrt(s) + eps;   momentum: buf = momentum buf + g / d, p -= lr buf;  else p -= lr g / d,
/// as torch.optim.RMSprop in PyTorch 1.13. State buffers: "square_avg", and "momentum_buffer"
/// (momentum > 0) and "grad_avg" (centered) when used.
///
/// Requires: lr, alpha, eps, weight_decay, momentum >= 0.
class RMSprop final : public Optimizer {
 public:
  explicit RMSprop(std::vector<Tensor> params, const RMSpropOptions& options = {});
  std::string type_name() const override { return "RMSprop"; }
  std::string describe() const override;
  const RMSpropOptions& options() const { return options_; }

 private:
  void update(const Update& u) override;
  RMSpropOptions options_;
  int square_avg_, momentum_buffer_ = -1, grad_avg_ = -1;
};

}  // namespace myelin::optim
