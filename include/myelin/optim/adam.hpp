#pragma once
// Adam and AdamW (torch.optim.Adam, torch.optim.AdamW).
#include <optional>

#include "myelin/optim/optimizer.hpp"

namespace myelin::optim {

/// Settings of Adam and AdamW; each as in PyTorch.
struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  /// Unset means 0 for Adam and 1e-2 for AdamW (PyTorch's defaults).
  std::optional<double> weight_decay;
  bool amsgrad = false;
};

/// Adam: at a parameter's step t, with g = grad (+ weight_decay * p for Adam),
///   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2;   (amsgrad: v_max = max(v_max, v))
///   p -= lr / (1 - beta1^t) * m / (sqrt(v or v_max) / sqrt(1 - beta2^t) + eps),
/// as torch.optim.Adam in PyTorch 1.13. State buffers: "exp_avg", "exp_avg_sq" and, with
/// amsgrad, "max_exp_avg_sq".
///
/// Requires: lr, eps, weight_decay >= 0; beta1, beta2 in [0, 1).
class Adam : public Optimizer {
 public:
  explicit Adam(std::vector<Tensor> params, const AdamOptions& options = {});
  std::string type_name() const override { return decoupled_ ? "AdamW" : "Adam"; }
  std::string describe() const override;
  double weight_decay() const { return weight_decay_; }
  const AdamOptions& options() const { return options_; }

 protected:
  /// `decoupled`: AdamW's decay, p *= 1 - lr * weight_decay before the step, instead of the
  /// L2 term in the gradient.
  Adam(std::vector<Tensor> params, const AdamOptions& options, bool decoupled);

 private:
  void update(const Update& u) override;
  AdamOptions options_;
  bool decoupled_;
  double weight_decay_;
  int exp_avg_, exp_avg_sq_, max_exp_avg_sq_ = -1;
};

/// AdamW: Adam with decoupled weight decay (torch.optim.AdamW; weight_decay defaults to 1e-2).
class AdamW final : public Adam {
 public:
  explicit AdamW(std::vector<Tensor> params, const AdamOptions& options = {})
      : Adam(std::move(params), options, true) {}
};

}  // namespace myelin::optim
