#include "myelin/nn/residual.hpp"

#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin::nn {

Residual::Residual(ModulePtr body, ModulePtr shortcut) : body_(std::move(body)), shortcut_(std::move(shortcut)) {
  if (!body_) throw Error("Residual: the body is null");
  register_module("body", body_);
  if (shortcut_) register_module("shortcut", shortcut_);
}

Tensor Residual::forward(const Tensor& x) {
  // operator(): forward hooks (summary) see the inner layers.
  return add((*body_)(x), shortcut_ ? (*shortcut_)(x) : x);
}

}  // namespace myelin::nn
