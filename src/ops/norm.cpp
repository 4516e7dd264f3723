// Normalisation layers' ops: batch_norm over fused kernels (forward and backward side by side
// here), layer_norm and group_norm composed of differentiable ops (mean, sub, div, ...), so their
// gradients follow from the pieces.
#include <cmath>
#include <utility>

#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "myelin/ops_conv.hpp"

namespace myelin {

using autograd::Grads;
using autograd::record;

namespace {

// (x - mean) / sqrt(var + eps) over `axes` (biased variance); returns the mean and variance
// (kept dimensions) too, for running statistics.
struct Normalised {
  Tensor y, mean, var;
};
Normalised normalise(const Tensor& x, const std::vector<int64_t>& axes, double eps) {
  const Tensor m = mean(x, axes, true);
  const Tensor centred = x - m;
  const Tensor var = mean(centred * centred, axes, true);
  return {centred / sqrt(var + static_cast<float>(eps)), m, var};
}

// y * weight + bias, each reshaped to `shape` (and skipped when undefined).
Tensor affine(Tensor y, const Tensor& weight, const Tensor& bias, const Shape& shape) {
  if (weight.defined()) y = y * weight.reshape(shape);
  if (bias.defined()) y = y + bias.reshape(shape);
  return y;
}

void check_param(const char* op, const char* name, const Tensor& t, const Shape& expected) {
  if (t.defined() && t.shape() != expected)
    throw ShapeError(std::string(op) + ": " + name + " has shape " + to_string(t.shape()) +
                     ", expected " + to_string(expected));
}

// r = (1 - momentum) r + momentum s, in place and outside autograd.
void update_running(const Tensor& running, const Tensor& stat, double momentum) {
  Tensor r = running;
  r.copy_(running * static_cast<float>(1.0 - momentum) +
          stat.reshape(running.shape()) * static_cast<float>(momentum));
}

}  // namespace

Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, const BatchNormOptions& o) {
  const char* op = "batch_norm";
  if (x.dim() < 2) throw ShapeError("batch_norm: input must be (N, C, ...), got " + to_string(x.shape()));
  const int64_t c = x.size(1);
  const std::pair<const char*, Tensor> params[] = {
      {"weight", weight}, {"bias", bias}, {"running_mean", running_mean}, {"running_var", running_var}};
  for (const auto& [name, t] : params) check_param(op, name, t, {c});
  if (!o.training && (!running_mean.defined() || !running_var.defined()))
    throw Error("batch_norm: evaluation mode needs running_mean and running_var");
  const int64_t n = x.size(0), l = n * c == 0 ? 0 : x.numel() / (n * c);
  if (o.training && n * l < 2)
    throw ShapeError("batch_norm: training needs more than one value per channel, got input " +
                     to_string(x.shape()));
  // x as (N, C, L): the kernels normalise each channel over N and L.
  const Tensor xc = x.detach().contiguous();
  Tensor mean = Tensor::empty({c}), var = Tensor::empty({c}), invstd = Tensor::empty({c});
  {
    NoGradGuard no_grad;
    if (o.training) {
      backend::batch_norm_statistics(xc.data(), mean.data(), var.data(), n, c, l);
      if (running_mean.defined()) update_running(running_mean, mean, o.momentum);
      if (running_var.defined())
        update_running(running_var, var * (static_cast<float>(n * l) / static_cast<float>(n * l - 1)),
                       o.momentum);
    } else {
      mean.copy_(running_mean.detach());
      var.copy_(running_var.detach());
    }
  }
  for (int64_t i = 0; i < c; ++i)
    invstd.data()[i] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(var.data()[i]) + o.eps));
  const Tensor wc = weight.defined() ? weight.detach().contiguous() : Tensor();
  const Tensor bc = bias.defined() ? bias.detach().contiguous() : Tensor();
  Tensor y = Tensor::empty(x.shape());
  backend::batch_norm_apply(xc.data(), mean.data(), invstd.data(), wc.defined() ? wc.data() : nullptr,
                            bc.defined() ? bc.data() : nullptr, y.data(), n, c, l);
  return record(op, {x, weight, bias}, y,
                [xc, mean, invstd, wc, has_bias = bias.defined(), training = o.training, n, c,
                 l](const Tensor& gy) {
                  const Tensor gc = gy.contiguous();
                  Tensor gx = Tensor::empty(xc.shape());
                  Tensor gw = wc.defined() ? Tensor::empty({c}) : Tensor();
                  Tensor gb = has_bias ? Tensor::empty({c}) : Tensor();
                  backend::batch_norm_backward(xc.data(), gc.data(), mean.data(), invstd.data(),
                                               wc.defined() ? wc.data() : nullptr, training, gx.data(),
                                               gw.defined() ? gw.data() : nullptr,
                                               gb.defined() ? gb.data() : nullptr, n, c, l);
                  return Grads{gx, gw, gb};
                });
}

Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight,
                  const Tensor& bias, double eps) {
  const int64_t k = static_cast<int64_t>(normalized_shape.size());
  const bool fits = k >= 1 && x.dim() >= k &&
                    Shape(x.shape().end() - k, x.shape().end()) == normalized_shape;
  if (!fits)
    throw ShapeError("layer_norm: input " + to_string(x.shape()) + " does not end with the normalized shape " +
                     to_string(normalized_shape));
  check_param("layer_norm", "weight", weight, normalized_shape);
  check_param("layer_norm", "bias", bias, normalized_shape);
  std::vector<int64_t> axes;
  for (int64_t a = x.dim() - k; a < x.dim(); ++a) axes.push_back(a);
  return affine(normalise(x, axes, eps).y, weight, bias, normalized_shape);
}

Tensor group_norm(const Tensor& x, int64_t groups, const Tensor& weight, const Tensor& bias,
                  double eps) {
  if (x.dim() < 2 || groups < 1 || x.size(1) % groups != 0)
    throw ShapeError("group_norm: input " + to_string(x.shape()) + " must be (N, C, ...) with C divisible by " +
                     std::to_string(groups) + " groups");
  const int64_t c = x.size(1);
  check_param("group_norm", "weight", weight, {c});
  check_param("group_norm", "bias", bias, {c});
  const Tensor y = normalise(x.reshape({x.size(0), groups, -1}), {2}, eps).y.reshape(x.shape());
  Shape param_shape(static_cast<size_t>(x.dim()), 1);
  param_shape[1] = c;
  return affine(y, weight, bias, param_shape);
}

}  // namespace myelin
