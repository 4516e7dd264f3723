#pragma once
// Adagrad (torch.optim.Adagrad).
#include "myelin/optim/optimizer.hpp"

namespace myelin::optim {

/// Settings of Adagrad; each as in torch.optim.Adagrad.
struct AdagradOptions {
  double lr = 1e-2;
  double lr_decay = 0;
  double weight_decay = 0;
  double initial_accumulator_value = 0;
  double eps = 1e-10;
};

/// Adagrad: at a parameter's step t, with g = grad + weight_decay * p,
///   sum += g^2;   p -= lr / (1 + (t - 1) lr_decay) * g / (sqrt(sum) + eps),
/// as torch.optim.Adagrad in PyTorch 1.13. State buffer: "sum" (starts at
/// initial_accumulator_value).
///
/// Requires: lr, lr_decay, weight_decay, initial_accumulator_value, eps >= 0.
class Adagrad final : public Optimizer {
 public:
  explicit Adagrad(std::vector<Tensor> params, const AdagradOptions& options = {});
  std::string type_name() const override { return "Adagrad"; }
  std::string describe() const override;
  const AdagradOptions& options() const { return options_; }

 private:
  void update(const Update& u) override;
  AdagradOptions options_;
};

}  // namespace myelin::optim
