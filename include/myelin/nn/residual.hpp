#pragma once
// Residual: a block whose output is its body's output plus its input (or a projection of it).
#include "myelin/nn/module.hpp"

namespace myelin::nn {

/// Residual: forward(x) = body(x) + shortcut(x), with shortcut the identity when null.
/// Children are named "body" and (when present) "shortcut", so parameters read
/// "body.0.weight", "shortcut.weight". Requires: body not null (else Error); the two outputs
/// of the same shape (else ShapeError from add, naming the shapes).
class Residual : public Module {
 public:
  explicit Residual(ModulePtr body, ModulePtr shortcut = nullptr);
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Residual"; }
  Module& body() const { return *body_; }
  /// Null for the identity.
  const ModulePtr& shortcut() const { return shortcut_; }

 private:
  ModulePtr body_, shortcut_;
};

}  // namespace myelin::nn
