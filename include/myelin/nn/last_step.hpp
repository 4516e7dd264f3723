#pragma once
// LastStep: keeps the last time step of a sequence.
#include <cstdint>

#include "myelin/nn/module.hpp"

namespace myelin::nn {

/// LastStep: selects the last entry along the time dimension `dim` (default 1, the time axis of
/// batch-first sequences), dropping that dimension: (B, T, F) -> (B, F). So
/// `LSTM(batch_first) -> LastStep -> Linear` classifies or regresses a whole sequence.
/// (For a bidirectional layer, the reverse direction's part of the last step has seen only that
/// step.) With `keepdim` the dimension stays, of size 1: (B, T, F) -> (B, 1, F) (as ONNX's
/// recurrent ops give their last state). A view; gradients flow to the selected step.
/// Out-of-range `dim` throws ShapeError.
class LastStep : public Module {
 public:
  explicit LastStep(int64_t dim = 1, bool keepdim = false) : dim_(dim), keepdim_(keepdim) {}
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "LastStep"; }
  std::string extra_repr() const override {
    return "dim=" + std::to_string(dim_) + (keepdim_ ? ", keepdim=true" : "");
  }
  int64_t dim() const { return dim_; }

 protected:
  void describe(ModuleSpec& spec) const override {
    spec.set("dim", dim_);
    if (keepdim_) spec.set("keepdim", true);
  }

 private:
  int64_t dim_;
  bool keepdim_;
};

}  // namespace myelin::nn
