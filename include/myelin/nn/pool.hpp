#pragma once
// Pooling and resampling layers, thin over the ops of ops_conv.hpp.
#include <cstdint>
#include <vector>

#include "myelin/nn/module.hpp"
#include "myelin/ops_conv.hpp"

namespace myelin::nn {

/// PoolBase: MaxPool1d/2d and AvgPool1d/2d: one window per axis (1 or 2 axes) with
/// kernel_size, stride (the kernel size when 0, as PyTorch) and padding, plus for average pools
/// count_include_pad. Requires: kernel and stride >= 1, 0 <= padding <= kernel / 2 (else Error,
/// checked in forward as well as here).
class PoolBase : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  /// True for MaxPool1d/2d.
  bool is_max() const { return max_; }
  /// forward(relu(x)) of a max pool in one pass (relu_max_pool1d/2d); Error for an average pool.
  Tensor forward_after_relu(const Tensor& x) const;
  std::string type_name() const override { return type_; }
  std::string extra_repr() const override;

 protected:
  PoolBase(const char* type, bool max, std::vector<int64_t> kernel, std::vector<int64_t> stride,
           std::vector<int64_t> padding, bool count_include_pad);
  void describe(ModuleSpec& spec) const override;
  // The settings as the ops take them, of a 1-d or a 2-d pool.
  Pool1dOptions options_1d() const;
  Pool2dOptions options_2d() const;

 private:
  const char* type_;
  bool max_;
  std::vector<int64_t> kernel_, stride_, padding_;
  bool count_include_pad_;
};

/// torch.nn.MaxPool2d on (N, C, H, W).
class MaxPool2d : public PoolBase {
 public:
  explicit MaxPool2d(Size2 kernel_size, Size2 stride = {0, 0}, Size2 padding = {0, 0});
  Pool2dOptions options() const { return options_2d(); }
};
/// torch.nn.AvgPool2d on (N, C, H, W).
class AvgPool2d : public PoolBase {
 public:
  explicit AvgPool2d(Size2 kernel_size, Size2 stride = {0, 0}, Size2 padding = {0, 0},
                     bool count_include_pad = true);
};
/// torch.nn.MaxPool1d on (N, C, L).
class MaxPool1d : public PoolBase {
 public:
  explicit MaxPool1d(int64_t kernel_size, int64_t stride = 0, int64_t padding = 0);
};
/// torch.nn.AvgPool1d on (N, C, L).
class AvgPool1d : public PoolBase {
 public:
  explicit AvgPool1d(int64_t kernel_size, int64_t stride = 0, int64_t padding = 0,
                     bool count_include_pad = true);
};

/// torch.nn.AdaptiveAvgPool2d: (N, C, H, W) -> (N, C, output_size). Requires sizes >= 1.
class AdaptiveAvgPool2d : public Module {
 public:
  explicit AdaptiveAvgPool2d(Size2 output_size);
  Tensor forward(const Tensor& x) override { return adaptive_avg_pool2d(x, size_); }
  std::string type_name() const override { return "AdaptiveAvgPool2d"; }
  std::string extra_repr() const override;

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  Size2 size_;
};

/// GlobalAvgPool2d: (N, C, H, W) -> (N, C), each channel's mean (a classifier head's input).
class GlobalAvgPool2d : public Module {
 public:
  Tensor forward(const Tensor& x) override { return global_avg_pool2d(x); }
  std::string type_name() const override { return "GlobalAvgPool2d"; }
};

/// Upsample: nearest-neighbour resizing of (N, C, H, W), as torch.nn.Upsample(mode="nearest"),
/// either to a fixed `size` or by integer `scale_factor` per axis (size {0, 0}: use the scale).
/// Requires: scale factors >= 1 and sizes >= 0 (else Error).
class Upsample : public Module {
 public:
  explicit Upsample(Size2 scale_factor = {2, 2}, Size2 size = {0, 0});
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Upsample"; }
  std::string extra_repr() const override;

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  Size2 scale_, size_;
};

}  // namespace myelin::nn
