#pragma once
// Convolution layers: Conv1d, Conv2d and ConvTranspose2d, thin over the ops of ops_conv.hpp.
#include <cstdint>
#include <vector>

#include "myelin/nn/module.hpp"
#include "myelin/ops_conv.hpp"

namespace myelin {
class Generator;
}

namespace myelin::nn {

/// ConvSettings: the settings of a convolution layer, one entry per spatial axis (1 or 2).
struct ConvSettings {
  std::vector<int64_t> kernel_size, stride, padding, dilation, output_padding;
  int64_t groups = 1;
  bool same_padding = false;  // padding "same" (not for transposed convolutions)
  bool bias = true;
};

/// ConvBase: what the convolution layers share: parameters "weight" and (with bias) "bias",
/// initialised as PyTorch's _ConvNd (kaiming_uniform_(a = sqrt(5)) and U(-1/sqrt(fan_in),
/// 1/sqrt(fan_in)) from the weight's fan_in), their spec, summary line and FLOPs.
/// The weight is (out, in / groups, k...) or, transposed, (in, out / groups, k...).
/// Requires: channels >= 1, groups dividing both, sizes >= 1, padding >= 0 (else Error).
class ConvBase : public Module {
 public:
  int64_t in_channels() const { return in_; }
  int64_t out_channels() const { return out_; }
  const ConvSettings& settings() const { return s_; }
  const Tensor& weight() const { return weight_; }
  /// Undefined without bias.
  const Tensor& bias() const { return bias_; }
  std::string extra_repr() const override;
  /// 2 * (multiply-adds of the weight per output position) * positions.
  int64_t flops(const Shape& input, const Shape& output) const override;
  /// Draws fresh weights as the constructor does.
  void reset_parameters(Generator* gen = nullptr);

 protected:
  ConvBase(const char* type, int64_t in, int64_t out, ConvSettings s, bool transposed,
           Generator* gen);
  void describe(ModuleSpec& spec) const override;
  std::string type_name() const override { return type_; }

  const char* type_;
  int64_t in_, out_;
  ConvSettings s_;
  bool transposed_;
  Tensor weight_, bias_;
};

/// Conv2d: torch.nn.Conv2d on (N, in, H, W) -> (N, out, OH, OW).
class Conv2d : public ConvBase {
 public:
  Conv2d(int64_t in_channels, int64_t out_channels, Size2 kernel_size,
         const Conv2dOptions& options = {}, bool bias = true, Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override;
  /// max_pool2d(relu(forward(x)), pool) as one op (conv2d_relu_max_pool2d).
  Tensor forward_relu_max_pool(const Tensor& x, const Pool2dOptions& pool) const;

 private:
  Conv2dOptions options() const;
};

/// Conv1d: torch.nn.Conv1d on (N, in, L) -> (N, out, OL).
class Conv1d : public ConvBase {
 public:
  Conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel_size,
         const Conv1dOptions& options = {}, bool bias = true, Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override;
};

/// ConvTranspose2d: torch.nn.ConvTranspose2d on (N, in, H, W) -> (N, out, OH, OW).
class ConvTranspose2d : public ConvBase {
 public:
  ConvTranspose2d(int64_t in_channels, int64_t out_channels, Size2 kernel_size,
                  const ConvTranspose2dOptions& options = {}, bool bias = true,
                  Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override;
};

/// Builds a convolution layer of registered type `type` ("Conv1d", "Conv2d",
/// "ConvTranspose2d") from its spec; used by the module registry.
ModulePtr build_conv(const ModuleSpec& spec, Generator* init);

}  // namespace myelin::nn
