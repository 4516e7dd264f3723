#pragma once
// The shared path of every elementwise op of one input: run the backend's table entry forward,
// and record its derivative entry for backward, saving x or y, whichever the rule reads.
#include "autograd/function.hpp"
#include "backend/backend.hpp"

namespace myelin::ops {

inline Tensor unary_op(const char* name, backend::Unary op, const Tensor& x, float a = 0.f,
                       float b = 0.f) {
  const Tensor xc = x.contiguous();
  Tensor y = Tensor::empty(x.shape());
  backend::unary(op, xc.data(), y.data(), y.numel(), a, b);
  // Keep only the tensor the derivative reads.
  const bool uses_y = backend::unary_backward_uses_output(op);
  Tensor kept = uses_y ? autograd::saved(y) : autograd::saved(xc);
  return autograd::record(name, {x}, y, [op, a, b, uses_y, kept](const Tensor& g) {
    const Tensor gc = g.contiguous();
    Tensor gx = Tensor::empty(gc.shape());
    backend::unary_backward(op, uses_y ? nullptr : kept.data(), uses_y ? kept.data() : nullptr,
                            gc.data(), gx.data(), gx.numel(), a, b);
    return autograd::Grads{gx};
  });
}

}  // namespace myelin::ops
