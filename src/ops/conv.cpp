// Convolutions: conv2d, conv1d (conv2d on a height of 1) and conv_transpose2d (conv2d's input
// adjoint, so its backward is conv2d's forward and weight gradient with roles swapped).
#include <memory>

#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/autograd.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "myelin/ops_conv.hpp"
#include "ops/pool_windows.hpp"

namespace myelin {

using autograd::Grads;
using autograd::record;

namespace {

std::string pair_text(Size2 v) { return "(" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + ")"; }

void require(bool ok, const char* op, const std::string& what) {
  if (!ok) throw ShapeError(std::string(op) + ": " + what);
}

// a * b + c for a size the settings give, or Error naming `op` and `what` when it overflows
// int64 (a setting can be any size: a dilation of 2^63 - 1 once made a kernel of -2^63).
int64_t mul_add(const char* op, const char* what, int64_t a, int64_t b, int64_t c) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r) || __builtin_add_overflow(r, c, &r))
    throw Error(std::string(op) + ": " + what + " overflows 64-bit integers (" + std::to_string(a) + " x " +
                std::to_string(b) + " + " + std::to_string(c) + ")");
  return r;
}

// Checks x (N, C, H, W), weight (A, B, KH, KW), bias (bias_size) and the positive settings.
void check_operands(const char* op, const Tensor& x, const Tensor& weight, const Tensor& bias,
                    int64_t bias_size, Size2 stride, Size2 dilation, int64_t groups) {
  require(x.dim() == 4, op, "input must be (N, C, H, W), got " + to_string(x.shape()));
  require(weight.dim() == 4, op, "weight must have 4 dimensions, got " + to_string(weight.shape()));
  if (stride[0] < 1 || stride[1] < 1 || dilation[0] < 1 || dilation[1] < 1 || groups < 1)
    throw Error(std::string(op) + ": stride " + pair_text(stride) + ", dilation " +
                pair_text(dilation) + " and groups " + std::to_string(groups) + " must be >= 1");
  require(!bias.defined() || (bias.dim() == 1 && bias.size(0) == bias_size), op,
          "bias " + to_string(bias.defined() ? bias.shape() : Shape{}) + " must be (" +
              std::to_string(bias_size) + ")");
}

// Gradients of conv2d with geometry g, shared by conv2d's backward and conv_transpose2d's.
Tensor input_gradient(const Tensor& gy, const Tensor& w, const Shape& x_shape,
                      const backend::Conv2dGeometry& g) {
  Tensor gx = Tensor::empty(x_shape);
  backend::conv2d_backward_input(gy.data(), w.data(), gx.data(), g);
  return gx;
}
Tensor weight_gradient(const Tensor& x, const Tensor& gy, const Shape& w_shape,
                       const backend::Conv2dGeometry& g) {
  Tensor gw = Tensor::empty(w_shape);
  backend::conv2d_backward_weight(x.data(), gy.data(), gw.data(), g);
  return gw;
}
Tensor bias_gradient(const Tensor& gy) { return sum(gy, {0, 2, 3}); }

}  // namespace

namespace {

// The geometry of conv2d(x, weight, bias, o), checked.
backend::Conv2dGeometry conv2d_geometry(const char* op, const Tensor& x, const Tensor& weight,
                                        const Tensor& bias, const Conv2dOptions& o) {
  check_operands(op, x, weight, bias, weight.dim() == 4 ? weight.size(0) : 0, o.stride,
                 o.dilation, o.groups);
  backend::Conv2dGeometry g;
  g.batch = x.size(0);
  g.in_channels = x.size(1);
  g.out_channels = weight.size(0);
  g.groups = o.groups;
  require(g.in_channels % o.groups == 0 && g.out_channels % o.groups == 0, op,
          "groups " + std::to_string(o.groups) + " must divide the input channels " +
              std::to_string(g.in_channels) + " and the output channels " +
              std::to_string(g.out_channels));
  require(weight.size(1) == g.in_channels / o.groups, op,
          "weight " + to_string(weight.shape()) + " does not fit input " + to_string(x.shape()) +
              " (expected weight (O, " + std::to_string(g.in_channels / o.groups) + ", KH, KW))");
  g.in_h = x.size(2), g.in_w = x.size(3);
  g.kernel_h = weight.size(2), g.kernel_w = weight.size(3);
  g.stride_h = o.stride[0], g.stride_w = o.stride[1];
  g.dilation_h = o.dilation[0], g.dilation_w = o.dilation[1];
  // The dilated kernel covers dilation * (kernel - 1) + 1 pixels; span is that less one.
  const int64_t extent_h = mul_add(op, "the dilated kernel's height", g.dilation_h, g.kernel_h - 1, 1);
  const int64_t extent_w = mul_add(op, "the dilated kernel's width", g.dilation_w, g.kernel_w - 1, 1);
  const int64_t span_h = extent_h - 1, span_w = extent_w - 1;
  if (o.same_padding) {
    if (o.stride[0] != 1 || o.stride[1] != 1)
      throw Error(std::string(op) + ": padding \"same\" requires stride 1, got " + pair_text(o.stride));
    g.pad_h = span_h / 2, g.pad_w = span_w / 2;
    g.out_h = g.in_h, g.out_w = g.in_w;
  } else {
    if (o.padding[0] < 0 || o.padding[1] < 0)
      throw Error(std::string(op) + ": padding " + pair_text(o.padding) + " must be >= 0");
    g.pad_h = o.padding[0], g.pad_w = o.padding[1];
    const int64_t padded_h = mul_add(op, "the padded input's height", 2, g.pad_h, g.in_h);
    const int64_t padded_w = mul_add(op, "the padded input's width", 2, g.pad_w, g.in_w);
    require(padded_h > span_h && padded_w > span_w, op,
            "input " + to_string(x.shape()) + " padded by " + pair_text(o.padding) +
                " is smaller than the dilated kernel " + pair_text({extent_h, extent_w}));
    g.out_h = (padded_h - span_h - 1) / g.stride_h + 1;
    g.out_w = (padded_w - span_w - 1) / g.stride_w + 1;
  }
  return g;
}

// A max pool beside a convolution: its settings for the backend, and the tensors they point
// into (views, so that the op's output does not hold itself through its backward function).
struct PoolBeside {
  backend::ConvMaxPool spec;
  Tensor y, index;
};

// The convolution of x with (weight, bias) by geometry g, recorded as one op `op` whose output
// is y: y itself, or with `pool` its pooled output (pool->y views y).
Tensor convolve(const char* op, const Tensor& x, const Tensor& weight, const Tensor& bias,
                const backend::Conv2dGeometry& g, Tensor y, std::shared_ptr<const PoolBeside> pool) {
  const backend::ConvMaxPool* spec = pool ? &pool->spec : nullptr;
  const Tensor xc = x.detach().contiguous(), wc = weight.detach().contiguous();
  const Tensor bc = bias.defined() ? bias.detach().contiguous() : Tensor();
  // What the forward pass can keep for the weight's gradient (a Winograd layer's transformed
  // input), when that gradient will be asked for; the gradient then needs x no more.
  const bool weight_gradient_wanted = weight.requires_grad();
  const int64_t workspace_floats =
      grad_enabled() && weight_gradient_wanted ? backend::conv2d_workspace_floats(g) : 0;
  Tensor workspace = workspace_floats > 0 ? Tensor::empty({workspace_floats}) : Tensor();
  backend::conv2d(xc.data(), wc.data(), bc.defined() ? bc.data() : nullptr, spec ? nullptr : y.data(),
                  g, workspace.defined() ? workspace.data() : nullptr, spec);
  return record(op, {x, weight, bias}, y,
                [xs = weight_gradient_wanted && !workspace.defined() ? xc : Tensor(),
                 ws = x.requires_grad() ? wc : Tensor(), workspace, weight_gradient_wanted,
                 pool,
                 x_shape = x.shape(), w_shape = weight.shape(), has_bias = bias.defined(),
                 g](const Tensor& gy) {
                  const Tensor gc = gy.contiguous();
                  // All gradients in one call: the backend shares the work and the passes over
                  // gy they have in common.
                  Tensor gx = ws.defined() ? Tensor::empty(x_shape) : Tensor();
                  Tensor gw = weight_gradient_wanted ? Tensor::empty(w_shape) : Tensor();
                  Tensor gb = has_bias ? Tensor::empty({g.out_channels}) : Tensor();
                  backend::conv2d_backward(xs.defined() ? xs.data() : nullptr, gc.data(),
                                           ws.defined() ? ws.data() : nullptr,
                                           gx.defined() ? gx.data() : nullptr,
                                           gw.defined() ? gw.data() : nullptr,
                                           gb.defined() ? gb.data() : nullptr, g,
                                           workspace.defined() ? workspace.data() : nullptr,
                                           pool ? &pool->spec : nullptr);
                  return Grads{gx, gw, gb};
                });
}

}  // namespace

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dOptions& o) {
  const backend::Conv2dGeometry g = conv2d_geometry("conv2d", x, weight, bias, o);
  return convolve("conv2d", x, weight, bias, g,
                  Tensor::empty({g.batch, g.out_channels, g.out_h, g.out_w}), nullptr);
}

Tensor conv2d_relu_max_pool2d(const Tensor& x, const Tensor& weight, const Tensor& bias,
                              const Conv2dOptions& conv, const Pool2dOptions& pool) {
  const char* op = "conv2d_relu_max_pool2d";
  const backend::Conv2dGeometry g = conv2d_geometry(op, x, weight, bias, conv);
  require(g.out_h * g.out_w <= (int64_t{1} << 24), op,  // positions are exact as floats below 2^24
          "planes of more than 2^24 pixels are not supported, got " + std::to_string(g.out_h) +
              " x " + std::to_string(g.out_w));
  auto beside = std::make_shared<PoolBeside>();
  backend::ConvMaxPool& spec = beside->spec;
  spec.rows = ops::strided_windows(op, g.out_h, pool.kernel[0], pool.stride[0], pool.padding[0], true);
  spec.cols = ops::strided_windows(op, g.out_w, pool.kernel[1], pool.stride[1], pool.padding[1], true);
  spec.relu = true;
  const Tensor y = Tensor::empty({g.batch, g.out_channels, spec.rows.size(), spec.cols.size()});
  beside->y = y.detach(), beside->index = Tensor::empty(y.shape());
  spec.y = beside->y.data(), spec.index = beside->index.data();
  return convolve(op, x, weight, bias, g, y, beside);
}

Tensor conv1d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv1dOptions& o) {
  if (x.dim() != 3 || weight.dim() != 3)
    throw ShapeError("conv1d: input must be (N, C, L) and weight (O, C / groups, K), got " +
                     to_string(x.shape()) + " and " + to_string(weight.shape()));
  const Tensor y = conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias,
                          {.stride = {1, o.stride}, .padding = {0, o.padding},
                           .dilation = {1, o.dilation}, .groups = o.groups,
                           .same_padding = o.same_padding});
  return y.squeeze(2);
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias,
                        const ConvTranspose2dOptions& o) {
  const char* op = "conv_transpose2d";
  check_operands(op, x, weight, bias, weight.dim() == 4 ? weight.size(1) * o.groups : 0,
                 o.stride, o.dilation, o.groups);
  // The conv2d whose input adjoint this is maps our output (N, O, OH, OW) to our input.
  backend::Conv2dGeometry g;
  g.batch = x.size(0);
  g.out_channels = x.size(1);
  g.in_channels = weight.size(1) * o.groups;
  g.groups = o.groups;
  require(weight.size(0) == g.out_channels && g.out_channels % o.groups == 0, op,
          "weight " + to_string(weight.shape()) + " does not fit input " + to_string(x.shape()) +
              " (expected weight (" + std::to_string(g.out_channels) +
              ", O / groups, KH, KW) with groups dividing " + std::to_string(g.out_channels) + ")");
  for (int a = 0; a < 2; ++a)
    if (o.padding[a] < 0 || o.output_padding[a] < 0 ||
        (o.output_padding[a] >= o.stride[a] && o.output_padding[a] >= o.dilation[a]))
      throw Error("conv_transpose2d: padding " + pair_text(o.padding) + " must be >= 0 and output_padding " +
                  pair_text(o.output_padding) + " smaller than the stride or the dilation");
  g.out_h = x.size(2), g.out_w = x.size(3);
  g.kernel_h = weight.size(2), g.kernel_w = weight.size(3);
  g.stride_h = o.stride[0], g.stride_w = o.stride[1];
  g.dilation_h = o.dilation[0], g.dilation_w = o.dilation[1];
  g.pad_h = o.padding[0], g.pad_w = o.padding[1];
  // (out - 1) * stride - 2 * pad + dilation * (kernel - 1) + output_padding + 1, per axis.
  const int64_t spans[2] = {mul_add(op, "the dilated kernel's height", g.dilation_h, g.kernel_h - 1, 0),
                            mul_add(op, "the dilated kernel's width", g.dilation_w, g.kernel_w - 1, 0)};
  int64_t sizes[2] = {};
  for (int a = 0; a < 2; ++a) {
    const int64_t strided = mul_add(op, "the output size", x.size(2 + a) - 1, o.stride[a], spans[a]);
    const int64_t padded = mul_add(op, "the output size", -2, o.padding[a], strided);
    sizes[a] = mul_add(op, "the output size", 1, mul_add(op, "the output size", 1, padded, o.output_padding[a]), 1);
  }
  g.in_h = sizes[0], g.in_w = sizes[1];
  require(g.in_h >= 1 && g.in_w >= 1, op,
          "input " + to_string(x.shape()) + " gives an empty output with padding " + pair_text(o.padding));
  const Tensor xc = x.detach().contiguous(), wc = weight.detach().contiguous();
  const Shape y_shape{g.batch, g.in_channels, g.in_h, g.in_w};
  Tensor y = input_gradient(xc, wc, y_shape, g);
  if (bias.defined()) {
    const Tensor b = bias.detach().reshape({1, g.in_channels, 1, 1});
    backend::binary(backend::Binary::Add, y, b, y);
  }
  return record(op, {x, weight, bias}, y,
                [xs = weight.requires_grad() ? xc : Tensor(), ws = x.requires_grad() ? wc : Tensor(),
                 x_shape = x.shape(), w_shape = weight.shape(), has_bias = bias.defined(),
                 g](const Tensor& gy) {
                  const Tensor gc = gy.contiguous();
                  Tensor gx;
                  if (ws.defined()) {
                    gx = Tensor::empty(x_shape);
                    backend::conv2d(gc.data(), ws.data(), nullptr, gx.data(), g);
                  }
                  return Grads{gx, xs.defined() ? weight_gradient(gc, xs, w_shape, g) : Tensor(),
                               has_bias ? bias_gradient(gc) : Tensor()};
                });
}

}  // namespace myelin
