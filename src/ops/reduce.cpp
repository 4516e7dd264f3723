// Reductions: sum, mean, max, argmax, and sum_to (the adjoint of broadcasting).
#include <algorithm>

#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/ops.hpp"
#include "ops/axis.hpp"

namespace myelin {

using autograd::Grads;
using autograd::record;

namespace {

// Sorted, non-negative, unique axes; all axes when `axes` is empty.
std::vector<int64_t> normalise_axes(const std::vector<int64_t>& axes, int64_t rank, const char* op) {
  std::vector<int64_t> out;
  if (axes.empty()) {
    for (int64_t i = 0; i < rank; ++i) out.push_back(i);
    return out;
  }
  for (int64_t a : axes) out.push_back(ops::wrap_axis(a, rank, op));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Shape reduced_shape(const Shape& in, const std::vector<int64_t>& axes, bool keepdim) {
  Shape out;
  for (int64_t i = 0; i < static_cast<int64_t>(in.size()); ++i) {
    const bool reduced = std::binary_search(axes.begin(), axes.end(), i);
    if (!reduced) out.push_back(in[i]);
    else if (keepdim) out.push_back(1);
  }
  return out;
}

// Sum over sorted `axes` without autograd, keeping reduced dimensions as 1.
Tensor sum_kernel(const Tensor& x, const std::vector<int64_t>& axes) {
  Tensor cur = x.contiguous();
  for (int64_t a : axes) {
    const ops::AxisSplit s = ops::split_at(cur.shape(), a);
    Shape next = cur.shape();
    next[a] = 1;
    Tensor out = Tensor::empty(next);
    backend::reduce_sum(cur.data(), out.data(), s.outer, s.d, s.inner);
    cur = out;
  }
  return cur;
}

}  // namespace

Tensor sum(const Tensor& x, const std::vector<int64_t>& axes, bool keepdim) {
  const std::vector<int64_t> ax = normalise_axes(axes, x.dim(), "sum");
  Tensor out;
  {
    NoGradGuard no_grad;
    out = sum_kernel(x, ax).reshape(reduced_shape(x.shape(), ax, keepdim)).detach();
  }
  return record("sum", {x}, out,
                [in_shape = x.shape(), kept = reduced_shape(x.shape(), ax, true)](const Tensor& g) {
                  return Grads{g.reshape(kept).expand(in_shape).contiguous()};
                });
}

Tensor mean(const Tensor& x, const std::vector<int64_t>& axes, bool keepdim) {
  const std::vector<int64_t> ax = normalise_axes(axes, x.dim(), "mean");
  int64_t count = 1;
  for (int64_t a : ax) count *= x.shape()[a];
  return mul(sum(x, ax, keepdim), 1.f / static_cast<float>(count));
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  const int64_t lead = x.dim() - static_cast<int64_t>(shape.size());
  if (lead < 0)
    throw ShapeError("sum_to: cannot reduce " + to_string(x.shape()) + " to " + to_string(shape));
  std::vector<int64_t> axes;
  for (int64_t i = 0; i < x.dim(); ++i) {
    if (i < lead) axes.push_back(i);
    else if (shape[i - lead] == 1 && x.shape()[i] != 1) axes.push_back(i);
    else if (shape[i - lead] != x.shape()[i])
      throw ShapeError("sum_to: cannot reduce " + to_string(x.shape()) + " to " + to_string(shape));
  }
  return sum(x, axes, true).reshape(shape);
}

namespace {
// Max and its index along one axis; keeps the axis as 1.
std::pair<Tensor, Tensor> max_kernel(const Tensor& x, int64_t axis) {
  const Tensor xc = x.contiguous();
  const ops::AxisSplit s = ops::split_at(xc.shape(), axis);
  Shape kept = xc.shape();
  kept[axis] = 1;
  Tensor values = Tensor::empty(kept), index = Tensor::empty(kept);
  backend::reduce_max(xc.data(), values.data(), index.data(), s.outer, s.d, s.inner);
  return {values, index};
}
}  // namespace

Tensor max(const Tensor& x, int64_t axis, bool keepdim) {
  const int64_t a = ops::wrap_axis(axis, x.dim(), "max");
  if (x.shape()[a] == 0) throw ShapeError("max: axis " + std::to_string(axis) + " is empty");
  auto [values, index] = max_kernel(x, a);
  Shape out_shape = reduced_shape(x.shape(), {a}, keepdim);
  Tensor out = values.reshape(out_shape);
  // index = index: clang before 16 cannot capture a structured binding by name.
  return record("max", {x}, out, [in_shape = x.shape(), a, index = index](const Tensor& g) {
    // Route each output's gradient to the position of its maximum.
    const Tensor gc = g.contiguous();
    Tensor gx = Tensor::zeros(in_shape);
    const ops::AxisSplit s = ops::split_at(in_shape, a);
    const float* idx = index.data();
    const float* pg = gc.data();
    float* px = gx.data();
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t i = 0; i < s.inner; ++i) {
        const int64_t j = static_cast<int64_t>(idx[o * s.inner + i]);
        px[(o * s.d + j) * s.inner + i] = pg[o * s.inner + i];
      }
    return Grads{gx};
  });
}

Tensor max(const Tensor& x) {
  if (x.numel() == 0) throw ShapeError("max: tensor is empty");
  return max(x.reshape({-1}), 0, false);
}

Tensor argmax(const Tensor& x, int64_t axis, bool keepdim) {
  const int64_t a = ops::wrap_axis(axis, x.dim(), "argmax");
  if (x.shape()[a] == 0) throw ShapeError("argmax: axis " + std::to_string(axis) + " is empty");
  return max_kernel(x.detach(), a).second.reshape(reduced_shape(x.shape(), {a}, keepdim));
}

}  // namespace myelin
