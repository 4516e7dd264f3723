#pragma once
// Differentiable ops for images and sequences: convolution, pooling, normalisation, upsampling.
// Layouts are PyTorch's: (N, C, L) for 1-D ops, (N, C, H, W) for 2-D ops. Pairs of sizes are
// {height, width}. Bad shapes or settings throw ShapeError / Error naming the op.
#include <array>
#include <cstdint>

#include "myelin/tensor.hpp"

namespace myelin {

using Size2 = std::array<int64_t, 2>;

// ---- convolution ----

/// Settings of conv2d, as torch.nn.functional.conv2d. With `same_padding`, the input is padded
/// so that the output has the input's size (PyTorch's padding="same": the odd extra pixel goes
/// to the bottom/right); it requires stride 1 and replaces `padding`.
struct Conv2dOptions {
  Size2 stride{1, 1};
  Size2 padding{0, 0};
  Size2 dilation{1, 1};
  int64_t groups = 1;
  bool same_padding = false;
};
/// x (N, C, H, W), weight (O, C / groups, KH, KW), bias (O) or undefined -> (N, O, OH, OW) with
/// OH = (H + 2 pad - dilation (KH - 1) - 1) / stride + 1 (likewise OW).
/// Requires: groups divides C and O, OH and OW >= 1.
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
              const Conv2dOptions& options = {});

/// Settings of conv1d (one axis of Conv2dOptions).
struct Conv1dOptions {
  int64_t stride = 1;
  int64_t padding = 0;
  int64_t dilation = 1;
  int64_t groups = 1;
  bool same_padding = false;
};
/// x (N, C, L), weight (O, C / groups, K), bias (O) or undefined -> (N, O, OL).
Tensor conv1d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
              const Conv1dOptions& options = {});

/// Settings of conv_transpose2d, as torch.nn.functional.conv_transpose2d.
struct ConvTranspose2dOptions {
  Size2 stride{1, 1};
  Size2 padding{0, 0};
  Size2 output_padding{0, 0};  // added to one side of the output; each < stride or dilation
  Size2 dilation{1, 1};
  int64_t groups = 1;
};
/// The adjoint of conv2d in its input ("deconvolution"): x (N, C, H, W), weight
/// (C, O / groups, KH, KW), bias (O) or undefined -> (N, O, OH, OW) with
/// OH = (H - 1) stride - 2 pad + dilation (KH - 1) + output_padding + 1 (likewise OW).
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(),
                        const ConvTranspose2dOptions& options = {});

// ---- pooling ----

/// Settings of the 2-D pools. A stride of 0 means the kernel size (PyTorch's default); padding
/// is at most half the kernel. Average pools divide by the whole window including padding
/// unless count_include_pad is false (then by the number of input pixels in the window).
struct Pool2dOptions {
  Size2 kernel{2, 2};
  Size2 stride{0, 0};
  Size2 padding{0, 0};
  bool count_include_pad = true;
};
/// (N, C, H, W) -> (N, C, OH, OW), OH = (H + 2 pad - kernel) / stride + 1. The gradient goes
/// to the first maximum of each window; NaN propagates.
Tensor max_pool2d(const Tensor& x, const Pool2dOptions& options = {});
Tensor avg_pool2d(const Tensor& x, const Pool2dOptions& options = {});
/// max_pool2d(relu(x), options) in one pass, without relu's full-size output: the same values
/// (a zero's sign aside) and the same gradient. (ReLU is monotone, so it commutes with the
/// maximum.) nn::Sequential runs a ReLU followed by a max pool through it.
Tensor relu_max_pool2d(const Tensor& x, const Pool2dOptions& options = {});
/// max_pool2d(relu(conv2d(x, weight, bias, conv)), pool) as one op: each image's convolution
/// output is pooled while it is in cache and never stored, and the backward pass expands each
/// image's gradient just before the convolution's gradients read it. The same values and
/// gradients as the three ops (bit for bit on the same thread count). nn::Sequential runs a
/// Conv2d, ReLU and MaxPool2d in a row through it.
Tensor conv2d_relu_max_pool2d(const Tensor& x, const Tensor& weight, const Tensor& bias,
                              const Conv2dOptions& conv, const Pool2dOptions& pool);

/// Settings of the 1-D pools (one axis of Pool2dOptions).
struct Pool1dOptions {
  int64_t kernel = 2;
  int64_t stride = 0;
  int64_t padding = 0;
  bool count_include_pad = true;
};
/// (N, C, L) -> (N, C, OL).
Tensor max_pool1d(const Tensor& x, const Pool1dOptions& options = {});
/// max_pool1d(relu(x), options) in one pass, as relu_max_pool2d.
Tensor relu_max_pool1d(const Tensor& x, const Pool1dOptions& options = {});
Tensor avg_pool1d(const Tensor& x, const Pool1dOptions& options = {});

/// (N, C, H, W) -> (N, C, size[0], size[1]): output (i, j) averages input rows
/// [floor(i H / OH), ceil((i + 1) H / OH)) and the like columns, as PyTorch.
Tensor adaptive_avg_pool2d(const Tensor& x, Size2 size);
/// (N, C, H, W) -> (N, C): the mean of each channel's plane.
Tensor global_avg_pool2d(const Tensor& x);

/// (N, C, H, W) -> (N, C, size[0], size[1]): output (i, j) copies input
/// (floor(i H / OH), floor(j W / OW)), as torch's nearest interpolation.
Tensor upsample_nearest2d(const Tensor& x, Size2 size);

// ---- normalisation ----

/// Settings of batch_norm, as torch.nn.functional.batch_norm.
struct BatchNormOptions {
  bool training = true;
  double momentum = 0.1;
  double eps = 1e-5;
};
/// Normalises each channel of x (N, C, ...) and applies weight (C) and bias (C) (either may be
/// undefined). Training: batch mean and biased variance over all axes but 1; running_mean and
/// running_var (C) (when defined) are updated in place, outside autograd, as
/// r = (1 - momentum) r + momentum s, with the unbiased variance. Evaluation: uses the running
/// statistics. Requires: running stats defined in evaluation; more than one value per channel
/// in training.
Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, const BatchNormOptions& options = {});
/// Normalises over the trailing dimensions `normalized_shape` of x, then weight and bias of
/// that shape (either may be undefined).
Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight = Tensor(),
                  const Tensor& bias = Tensor(), double eps = 1e-5);
/// x (N, C, ...): normalises each of `groups` channel groups per example, then weight (C) and
/// bias (C) (either may be undefined). Requires: groups divides C.
Tensor group_norm(const Tensor& x, int64_t groups, const Tensor& weight = Tensor(),
                  const Tensor& bias = Tensor(), double eps = 1e-5);

}  // namespace myelin
