// Matrix products: batched matmul with broadcasting, and linear (x W^T + b).
// Both call BLAS GEMM with transpose flags instead of copying transposed views.
#include <algorithm>

#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin {

using autograd::Grads;
using autograd::record;
using autograd::saved;

namespace {

// How a 2-D matrix (the last two dims of t) is handed to GEMM: row-major as is, or a
// column-major view passed with the transpose flag.
struct GemmOperand {
  Tensor t;  // keeps the data alive (a copy when neither layout fits)
  bool transposed = false;
  int64_t ld = 0;
};

GemmOperand gemm_operand(const Tensor& x) {
  const int64_t r = x.dim();
  const int64_t rows = x.shape()[r - 2], cols = x.shape()[r - 1];
  const int64_t s0 = x.strides()[r - 2], s1 = x.strides()[r - 1];
  if ((s1 == 1 || cols == 1) && s0 >= std::max<int64_t>(cols, 1)) return {x, false, s0};
  if ((s0 == 1 || rows == 1) && s1 >= std::max<int64_t>(rows, 1)) return {x, true, s1};
  const Tensor c = x.contiguous();
  return {c, false, std::max<int64_t>(cols, 1)};
}

// Offset of batch index `b` (row-major over `batch`) in a tensor with `strides` for those dims.
int64_t batch_offset(int64_t b, const Shape& batch, const Shape& strides) {
  int64_t off = 0;
  for (int64_t i = static_cast<int64_t>(batch.size()) - 1; i >= 0; --i) {
    off += (b % batch[i]) * strides[i];
    b /= batch[i];
  }
  return off;
}

// a: (..., n, k) @ b: (..., k, m) for rank >= 2, no autograd.
Tensor matmul_kernel(const Tensor& a, const Tensor& b) {
  const int64_t n = a.size(-2), k = a.size(-1), m = b.size(-1);
  if (b.size(-2) != k)
    throw ShapeError("matmul: shapes " + to_string(a.shape()) + " and " + to_string(b.shape()) +
                     " do not fit (inner sizes " + std::to_string(k) + " and " +
                     std::to_string(b.size(-2)) + ")");
  const Shape ba(a.shape().begin(), a.shape().end() - 2);
  const Shape bb(b.shape().begin(), b.shape().end() - 2);
  const Shape batch = broadcast_shapes(ba, bb, "matmul");
  Shape full_a = batch, full_b = batch, out_shape = batch;
  full_a.insert(full_a.end(), {n, k});
  full_b.insert(full_b.end(), {k, m});
  out_shape.insert(out_shape.end(), {n, m});
  const GemmOperand A = gemm_operand(a.expand(full_a));
  const GemmOperand B = gemm_operand(b.expand(full_b));
  Tensor out = Tensor::empty(out_shape);
  const int64_t batches = numel(batch);
  for (int64_t i = 0; i < batches; ++i) {
    const float* pa = A.t.data() + batch_offset(i, batch, A.t.strides());
    const float* pb = B.t.data() + batch_offset(i, batch, B.t.strides());
    backend::gemm(A.transposed, B.transposed, n, m, k, 1.f, pa, A.ld, pb, B.ld, 0.f,
                  out.data() + i * n * m, m);
  }
  return out;
}

Tensor matmul_nd(const Tensor& a, const Tensor& b) {
  Tensor out;
  {
    NoGradGuard no_grad;
    out = matmul_kernel(a.detach(), b.detach());
  }
  const bool ga = a.requires_grad(), gb = b.requires_grad();
  return record("matmul", {a, b}, out,
                [as = gb ? saved(a) : Tensor(), bs = ga ? saved(b) : Tensor(), sa = a.shape(),
                 sb = b.shape()](const Tensor& g) {
                  Tensor gra, grb;
                  if (bs.defined()) gra = sum_to(matmul_kernel(g, bs.transpose(-1, -2)), sa);
                  if (as.defined()) grb = sum_to(matmul_kernel(as.transpose(-1, -2), g), sb);
                  return Grads{gra, grb};
                });
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  if (a.dim() == 0 || b.dim() == 0)
    throw ShapeError("matmul: operands must have at least one dimension, got " +
                     to_string(a.shape()) + " and " + to_string(b.shape()));
  // 1-D operands become a row (left) or a column (right), removed again from the result.
  if (a.dim() == 1 && b.dim() == 1) return matmul_nd(a.unsqueeze(0), b.unsqueeze(1)).reshape({});
  if (a.dim() == 1) return matmul_nd(a.unsqueeze(0), b).squeeze(-2);
  if (b.dim() == 1) return matmul_nd(a, b.unsqueeze(1)).squeeze(-1);
  return matmul_nd(a, b);
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  if (weight.dim() != 2 || x.dim() == 0 || x.size(-1) != weight.size(1))
    throw ShapeError("linear: input " + to_string(x.shape()) + " does not fit weight " +
                     to_string(weight.shape()) + " (expected input (..., " +
                     std::to_string(weight.dim() == 2 ? weight.size(1) : -1) + "))");
  const int64_t in = weight.size(1), out_features = weight.size(0);
  if (bias.defined() && (bias.dim() != 1 || bias.size(0) != out_features))
    throw ShapeError("linear: bias " + to_string(bias.shape()) + " does not fit weight " +
                     to_string(weight.shape()) + " (expected (" + std::to_string(out_features) + ",))");
  // x: (M, in), W: (out, in), y: (M, out)
  const Tensor x2 = x.detach().contiguous();
  const Tensor w = weight.detach().contiguous();
  const int64_t M = x.numel() / std::max<int64_t>(in, 1);
  Shape out_shape = x.shape();
  out_shape.back() = out_features;
  Tensor y = Tensor::empty(out_shape);
  float beta = 0.f;
  if (bias.defined()) {
    const Tensor bc = bias.detach().contiguous();
    for (int64_t r = 0; r < M; ++r) std::copy_n(bc.data(), out_features, y.data() + r * out_features);
    beta = 1.f;
  }
  backend::gemm(false, true, M, out_features, in, 1.f, x2.data(), in, w.data(), in, beta, y.data(),
                out_features);
  const bool need_x = weight.requires_grad(), need_w = x.requires_grad();
  return record("linear", {x, weight, bias}, y,
                [xs = need_x ? x2 : Tensor(), ws = need_w ? w : Tensor(), has_bias = bias.defined(),
                 x_shape = x.shape(), M, in, out_features](const Tensor& g) {
                  const Tensor gc = g.contiguous();  // (M, out)
                  Tensor gx, gw, gb;
                  if (ws.defined()) {  // gx (M, in) = g (M, out) @ W (out, in)
                    gx = Tensor::empty(x_shape);
                    backend::gemm(false, false, M, in, out_features, 1.f, gc.data(), out_features,
                                  ws.data(), in, 0.f, gx.data(), in);
                  }
                  if (xs.defined()) {  // gW (out, in) = g^T (out, M) @ x (M, in)
                    gw = Tensor::empty({out_features, in});
                    backend::gemm(true, false, out_features, in, M, 1.f, gc.data(), out_features,
                                  xs.data(), in, 0.f, gw.data(), in);
                  }
                  if (has_bias) {  // gb (out) = column sums of g
                    gb = Tensor::empty({out_features});
                    backend::reduce_sum(gc.data(), gb.data(), 1, M, out_features);
                  }
                  return Grads{gx, gw, gb};
                });
}

}  // namespace myelin
