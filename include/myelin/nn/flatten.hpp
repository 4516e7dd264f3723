#pragma once
// Flatten: merges a range of dimensions into one.
#include <cstdint>

#include "myelin/nn/module.hpp"

namespace myelin::nn {

/// Flatten: merges dimensions start_dim..end_dim (inclusive; negative counts from the end) into
/// one, as torch.nn.Flatten; the defaults keep the batch dimension: (N, C, H, W) -> (N, C*H*W).
/// A view when the input is contiguous. Out-of-range dimensions throw ShapeError in forward.
class Flatten : public Module {
 public:
  explicit Flatten(int64_t start_dim = 1, int64_t end_dim = -1);
  Tensor forward(const Tensor& x) override { return x.flatten(start_dim_, end_dim_); }
  std::string type_name() const override { return "Flatten"; }
  std::string extra_repr() const override;
  int64_t start_dim() const { return start_dim_; }
  int64_t end_dim() const { return end_dim_; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  int64_t start_dim_;
  int64_t end_dim_;
};

}  // namespace myelin::nn
