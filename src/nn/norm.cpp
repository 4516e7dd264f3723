// Normalisation layers over batch_norm, layer_norm and group_norm.
#include "myelin/nn/norm.hpp"

#include "myelin/error.hpp"
#include "nn/format.hpp"

namespace myelin::nn {

BatchNorm::BatchNorm(const char* type, int64_t min_rank, int64_t max_rank, int64_t num_features,
                     double eps, double momentum, bool affine, bool track_running_stats)
    : type_(type), min_rank_(min_rank), max_rank_(max_rank), features_(num_features), eps_(eps),
      momentum_(momentum) {
  if (num_features < 1 || !(eps > 0) || !(momentum >= 0 && momentum <= 1))
    throw Error(std::string(type) + ": num_features must be >= 1, eps > 0 and momentum in [0, 1], got " +
                std::to_string(num_features) + ", " + format_number(eps) + ", " + format_number(momentum));
  if (affine) {
    weight_ = register_parameter("weight", Tensor::ones({num_features}));
    bias_ = register_parameter("bias", Tensor::zeros({num_features}));
  }
  if (track_running_stats) {
    running_mean_ = register_buffer("running_mean", Tensor::zeros({num_features}));
    running_var_ = register_buffer("running_var", Tensor::ones({num_features}));
    num_batches_tracked_ = register_buffer("num_batches_tracked", Tensor::zeros({}));
  }
}

Tensor BatchNorm::forward(const Tensor& x) {
  if (x.dim() < min_rank_ || x.dim() > max_rank_ || x.size(1) != features_)
    throw ShapeError(std::string(type_) + ": input " + to_string(x.shape()) + " must have rank " +
                     std::to_string(min_rank_) + (min_rank_ == max_rank_ ? "" : " to " + std::to_string(max_rank_)) +
                     " and " + std::to_string(features_) + " channels in dimension 1");
  // Without running statistics (not tracked) even evaluation uses the batch's.
  const bool batch_stats = is_training() || !running_mean_.defined();
  if (is_training() && num_batches_tracked_.defined()) num_batches_tracked_.data()[0] += 1.f;
  return batch_norm(x, running_mean_, running_var_, weight_, bias_,
                    {.training = batch_stats, .momentum = momentum_, .eps = eps_});
}

std::string BatchNorm::extra_repr() const {
  return std::to_string(features_) + ", eps=" + format_number(eps_) + ", momentum=" + format_number(momentum_) +
         ", affine=" + (weight_.defined() ? "true" : "false") +
         ", track_running_stats=" + (running_mean_.defined() ? "true" : "false");
}

void BatchNorm::describe(ModuleSpec& spec) const {
  spec.set("num_features", features_);
  spec.set("eps", eps_);
  spec.set("momentum", momentum_);
  spec.set("affine", weight_.defined());
  spec.set("track_running_stats", running_mean_.defined());
}

BatchNorm1d::BatchNorm1d(int64_t n, double eps, double momentum, bool affine, bool track)
    : BatchNorm("BatchNorm1d", 2, 3, n, eps, momentum, affine, track) {}
BatchNorm2d::BatchNorm2d(int64_t n, double eps, double momentum, bool affine, bool track)
    : BatchNorm("BatchNorm2d", 4, 4, n, eps, momentum, affine, track) {}

// ---- LayerNorm ----

LayerNorm::LayerNorm(Shape normalized_shape, double eps, bool elementwise_affine)
    : shape_(std::move(normalized_shape)), eps_(eps) {
  if (shape_.empty() || numel(shape_) < 1 || !(eps > 0))
    throw Error("LayerNorm: normalized_shape must be non-empty with sizes >= 1 and eps > 0, got " +
                to_string(shape_) + " and " + format_number(eps));
  if (elementwise_affine) {
    weight_ = register_parameter("weight", Tensor::ones(shape_));
    bias_ = register_parameter("bias", Tensor::zeros(shape_));
  }
}

Tensor LayerNorm::forward(const Tensor& x) { return layer_norm(x, shape_, weight_, bias_, eps_); }

std::string LayerNorm::extra_repr() const {
  return to_string(shape_) + ", eps=" + format_number(eps_) +
         ", elementwise_affine=" + (weight_.defined() ? "true" : "false");
}

void LayerNorm::describe(ModuleSpec& spec) const {
  spec.set("normalized_shape", std::vector<int64_t>(shape_.begin(), shape_.end()));
  spec.set("eps", eps_);
  spec.set("elementwise_affine", weight_.defined());
}

// ---- GroupNorm ----

GroupNorm::GroupNorm(int64_t num_groups, int64_t num_channels, double eps, bool affine)
    : groups_(num_groups), channels_(num_channels), eps_(eps) {
  if (num_groups < 1 || num_channels < 1 || num_channels % num_groups != 0 || !(eps > 0))
    throw Error("GroupNorm: num_groups " + std::to_string(num_groups) + " must divide num_channels " +
                std::to_string(num_channels) + " (both >= 1) and eps must be > 0");
  if (affine) {
    weight_ = register_parameter("weight", Tensor::ones({num_channels}));
    bias_ = register_parameter("bias", Tensor::zeros({num_channels}));
  }
}

Tensor GroupNorm::forward(const Tensor& x) {
  if (x.dim() < 2 || x.size(1) != channels_)
    throw ShapeError("GroupNorm: input " + to_string(x.shape()) + " must be (N, " + std::to_string(channels_) + ", ...)");
  return group_norm(x, groups_, weight_, bias_, eps_);
}

std::string GroupNorm::extra_repr() const {
  return std::to_string(groups_) + ", " + std::to_string(channels_) + ", eps=" + format_number(eps_) +
         ", affine=" + (weight_.defined() ? "true" : "false");
}

void GroupNorm::describe(ModuleSpec& spec) const {
  spec.set("num_groups", groups_);
  spec.set("num_channels", channels_);
  spec.set("eps", eps_);
  spec.set("affine", weight_.defined());
}

}  // namespace myelin::nn
