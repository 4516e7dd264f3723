// Activation functions. Pointwise ones are rows of the backend's unary table; softmax and
// log-softmax reduce along an axis.
#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/ops.hpp"
#include "ops/axis.hpp"
#include "ops/unary.hpp"

namespace myelin {

using backend::Unary;

Tensor sigmoid(const Tensor& x) { return ops::unary_op("sigmoid", Unary::Sigmoid, x); }
Tensor tanh(const Tensor& x) { return ops::unary_op("tanh", Unary::Tanh, x); }
Tensor relu(const Tensor& x) { return ops::unary_op("relu", Unary::Relu, x); }
Tensor leaky_relu(const Tensor& x, float slope) {
  return ops::unary_op("leaky_relu", Unary::LeakyRelu, x, slope);
}
Tensor elu(const Tensor& x, float alpha) { return ops::unary_op("elu", Unary::Elu, x, alpha); }
Tensor gelu(const Tensor& x) { return ops::unary_op("gelu", Unary::Gelu, x); }
Tensor softplus(const Tensor& x, float beta, float threshold) {
  return ops::unary_op("softplus", Unary::Softplus, x, beta, threshold);
}

namespace {
Tensor softmax_op(const Tensor& x, int64_t axis, bool log, const char* name) {
  const ops::AxisSplit s = ops::split_at(x.shape(), ops::wrap_axis(axis, x.dim(), name));
  const Tensor xc = x.contiguous();
  Tensor y = Tensor::empty(x.shape());
  backend::softmax(xc.data(), y.data(), s.outer, s.d, s.inner, log);
  return autograd::record(name, {x}, y, [s, log, ys = autograd::saved(y)](const Tensor& g) {
    const Tensor gc = g.contiguous();
    Tensor gx = Tensor::empty(gc.shape());
    backend::softmax_backward(ys.data(), gc.data(), gx.data(), s.outer, s.d, s.inner, log);
    return autograd::Grads{gx};
  });
}
}  // namespace

Tensor softmax(const Tensor& x, int64_t axis) { return softmax_op(x, axis, false, "softmax"); }
Tensor log_softmax(const Tensor& x, int64_t axis) {
  return softmax_op(x, axis, true, "log_softmax");
}

}  // namespace myelin
