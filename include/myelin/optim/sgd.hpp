#pragma once
// Stochastic gradient descent with momentum (torch.optim.SGD).
#include "myelin/optim/optimizer.hpp"

namespace myelin::optim {

/// Settings of SGD; each as in torch.optim.SGD.
struct SGDOptions {
  double lr = 0.01;
  double momentum = 0;
  double dampening = 0;
  bool nesterov = false;
  double weight_decay = 0;  // L2 penalty, added to the gradient
};

/// SGD: with d = grad + weight_decay * p,
///   buf = d on a parameter's first step, else momentum * buf + (1 - dampening) * d;
///   p -= lr * (nesterov ? d + momentum * buf : buf)     (p -= lr * d without momentum),
/// as torch.optim.SGD in PyTorch 1.13. State buffer: "momentum_buffer" (when momentum != 0).
///
/// Requires: lr, momentum, weight_decay >= 0; nesterov only with momentum > 0 and dampening 0.
class SGD final : public Optimizer {
 public:
  explicit SGD(std::vector<Tensor> params, const SGDOptions& options = {});
  std::string type_name() const override { return "SGD"; }
  std::string describe() const override;
  const SGDOptions& options() const { return options_; }

 private:
  void update(const Update& u) override;
  SGDOptions options_;
};

}  // namespace myelin::optim
