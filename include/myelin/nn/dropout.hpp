#pragma once
// Dropout: random zeroing of activations while training.
#include "myelin/nn/module.hpp"

namespace myelin {
class Generator;
}

namespace myelin::nn {

/// Dropout: in training mode zeroes each element with probability p and scales the others by
/// 1/(1-p) (inverted dropout), drawing the mask from `gen` (the default generator when null;
/// a given generator must outlive the module). In evaluation mode it returns its input.
/// Requires: 0 <= p < 1 (else Error).
class Dropout : public Module {
 public:
  explicit Dropout(double p = 0.5, Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Dropout"; }
  std::string extra_repr() const override;
  double p() const { return p_; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  double p_;
  Generator* gen_;
};

}  // namespace myelin::nn
