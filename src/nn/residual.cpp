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
  // operator(): forward hooks (summary) see the inner layers. The body runs first, whatever the
  // compiler's order of argument evaluation, so summaries list it first and dropout draws agree.
  const Tensor y = (*body_)(x);
  return add(y, shortcut_ ? (*shortcut_)(x) : x);
}

}  // namespace myelin::nn
