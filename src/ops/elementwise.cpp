// Elementwise arithmetic: broadcasting binary ops and the math functions of one input.
#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/ops.hpp"
#include "ops/unary.hpp"

namespace myelin {

using autograd::Grads;
using autograd::record;
using autograd::saved;
using backend::Binary;
using backend::Unary;

namespace {
Tensor binary_op(Binary op, const Tensor& a, const Tensor& b, const char* name) {
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape(), name));
  backend::binary(op, a, b, out);
  return out;
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  Tensor out = binary_op(Binary::Add, a, b, "add");
  return record("add", {a, b}, out, [sa = a.shape(), sb = b.shape()](const Tensor& g) {
    return Grads{sum_to(g, sa), sum_to(g, sb)};
  });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  Tensor out = binary_op(Binary::Sub, a, b, "sub");
  return record("sub", {a, b}, out, [sa = a.shape(), sb = b.shape()](const Tensor& g) {
    return Grads{sum_to(g, sa), sum_to(neg(g), sb)};
  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor out = binary_op(Binary::Mul, a, b, "mul");
  const bool ga = a.requires_grad(), gb = b.requires_grad();
  return record("mul", {a, b}, out,
                [as = gb ? saved(a) : Tensor(), bs = ga ? saved(b) : Tensor(), sa = a.shape(),
                 sb = b.shape()](const Tensor& g) {
                  return Grads{bs.defined() ? sum_to(mul(g, bs), sa) : Tensor(),
                               as.defined() ? sum_to(mul(g, as), sb) : Tensor()};
                });
}

Tensor div(const Tensor& a, const Tensor& b) {
  Tensor out = binary_op(Binary::Div, a, b, "div");
  return record("div", {a, b}, out,
                [bs = saved(b), ys = saved(out), sa = a.shape(), sb = b.shape()](const Tensor& g) {
                  const Tensor ga = div(g, bs);
                  // d(a/b)/db = -(a/b)/b
                  return Grads{sum_to(ga, sa), sum_to(neg(mul(ga, ys)), sb)};
                });
}

Tensor add(const Tensor& a, float b) { return ops::unary_op("add_scalar", Unary::AddScalar, a, b); }
Tensor mul(const Tensor& a, float b) { return ops::unary_op("mul_scalar", Unary::MulScalar, a, b); }
Tensor neg(const Tensor& x) { return ops::unary_op("neg", Unary::Neg, x); }
Tensor exp(const Tensor& x) { return ops::unary_op("exp", Unary::Exp, x); }
Tensor log(const Tensor& x) { return ops::unary_op("log", Unary::Log, x); }
Tensor pow(const Tensor& x, float exponent) { return ops::unary_op("pow", Unary::Pow, x, exponent); }
Tensor sqrt(const Tensor& x) { return ops::unary_op("sqrt", Unary::Sqrt, x); }
Tensor abs(const Tensor& x) { return ops::unary_op("abs", Unary::Abs, x); }
Tensor clamp(const Tensor& x, float low, float high) {
  return ops::unary_op("clamp", Unary::Clamp, x, low, high);
}

}  // namespace myelin
