#pragma once
// Normalisation layers: BatchNorm1d/2d, LayerNorm, GroupNorm, thin over ops_conv.hpp's ops.
#include <cstdint>

#include "myelin/nn/module.hpp"
#include "myelin/ops_conv.hpp"

namespace myelin::nn {

/// BatchNorm: torch.nn.BatchNorm1d/2d. Parameters "weight" (ones) and "bias" (zeros) with
/// `affine`; buffers "running_mean" (zeros), "running_var" (ones) and "num_batches_tracked"
/// (a scalar count) with `track_running_stats`. Training mode normalises with the batch's
/// statistics and updates the running ones (r = (1 - momentum) r + momentum batch, unbiased
/// variance); evaluation mode uses the running statistics (the batch's without tracking).
/// Requires: num_features >= 1, 0 <= momentum <= 1, eps > 0 (else Error); input of a rank
/// the layer accepts with num_features channels (else ShapeError naming the layer).
class BatchNorm : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return type_; }
  std::string extra_repr() const override;
  int64_t num_features() const { return features_; }

 protected:
  BatchNorm(const char* type, int64_t min_rank, int64_t max_rank, int64_t num_features,
            double eps, double momentum, bool affine, bool track_running_stats);
  void describe(ModuleSpec& spec) const override;

 private:
  const char* type_;
  int64_t min_rank_, max_rank_, features_;
  double eps_, momentum_;
  Tensor weight_, bias_, running_mean_, running_var_, num_batches_tracked_;
};

/// BatchNorm1d: on (N, C) or (N, C, L).
class BatchNorm1d : public BatchNorm {
 public:
  explicit BatchNorm1d(int64_t num_features, double eps = 1e-5, double momentum = 0.1,
                       bool affine = true, bool track_running_stats = true);
};

/// BatchNorm2d: on (N, C, H, W).
class BatchNorm2d : public BatchNorm {
 public:
  explicit BatchNorm2d(int64_t num_features, double eps = 1e-5, double momentum = 0.1,
                       bool affine = true, bool track_running_stats = true);
};

/// LayerNorm: torch.nn.LayerNorm over the trailing `normalized_shape`; with
/// `elementwise_affine`, parameters "weight" (ones) and "bias" (zeros) of that shape.
class LayerNorm : public Module {
 public:
  explicit LayerNorm(Shape normalized_shape, double eps = 1e-5, bool elementwise_affine = true);
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "LayerNorm"; }
  std::string extra_repr() const override;

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  Shape shape_;
  double eps_;
  Tensor weight_, bias_;
};

/// GroupNorm: torch.nn.GroupNorm; with `affine`, "weight" (ones) and "bias" (zeros) of
/// (num_channels). Requires: num_groups divides num_channels (else Error).
class GroupNorm : public Module {
 public:
  GroupNorm(int64_t num_groups, int64_t num_channels, double eps = 1e-5, bool affine = true);
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "GroupNorm"; }
  std::string extra_repr() const override;

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  int64_t groups_, channels_;
  double eps_;
  Tensor weight_, bias_;
};

}  // namespace myelin::nn
