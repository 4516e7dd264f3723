#pragma once
// Reshape: gives the input a fixed target shape, as ONNX's Reshape with a constant shape.
#include <cstdint>

#include "myelin/nn/module.hpp"

namespace myelin::nn {

/// Reshape: reshapes the whole input (batch dimension included) to `shape`, read as ONNX reads
/// it: a -1 (at most one) is inferred from the element count, and a 0 copies the input's
/// dimension at that index, so (0, -1) keeps the batch and merges the rest, whatever the batch
/// size. With `allowzero` a 0 is a dimension of size 0 instead (and no -1 may come with it).
/// A view when the input is contiguous. A bad shape throws Error at construction; a shape that
/// does not fit the input throws ShapeError in forward.
class Reshape : public Module {
 public:
  explicit Reshape(Shape shape, bool allowzero = false);
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Reshape"; }
  std::string extra_repr() const override;
  const Shape& shape() const { return shape_; }
  bool allowzero() const { return allowzero_; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  Shape shape_;
  bool allowzero_;
};

}  // namespace myelin::nn
