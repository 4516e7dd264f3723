// Losses over padded sequences: per-step losses weighted by a 0/1 mask and averaged over the
// steps that count. Built from recorded ops, so autograd needs no rules of its own here.
#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin {

namespace {

// The mask as (B, T), all ones when undefined; checks it against `lead` = (B, T).
Tensor step_mask(const Tensor& mask, const Shape& lead, const char* op) {
  if (!mask.defined()) return Tensor::ones(lead);
  if (mask.shape() != lead)
    throw ShapeError(std::string(op) + ": mask has shape " + to_string(mask.shape()) + ", expected " +
                     to_string(lead));
  return mask.detach();
}

// sum(per_step * mask) / sum(mask) with per_step (B, T).
Tensor masked_mean(const Tensor& per_step, const Tensor& mask, float weight_per_step, const char* op) {
  const float count = sum(mask).item() * weight_per_step;
  if (!(count > 0.f)) throw Error(std::string(op) + ": every step is masked out");
  return sum(per_step * mask) / count;
}

}  // namespace

Tensor sequence_cross_entropy(const Tensor& logits, const Tensor& targets, const Tensor& mask) {
  const char* op = "sequence_cross_entropy";
  if (logits.dim() != 3 || targets.shape() != Shape{logits.size(0), logits.size(1)})
    throw ShapeError(std::string(op) + ": logits " + to_string(logits.shape()) + " and targets " +
                     to_string(targets.shape()) + " do not fit (expected (B, T, C) and (B, T))");
  const int64_t B = logits.size(0), T = logits.size(1), C = logits.size(2);
  const Tensor m = step_mask(mask, {B, T}, op);
  // Masked-out targets become class 0, so padding values need not be valid classes.
  const Tensor safe_targets = targets.detach() * m;
  CrossEntropyOptions o;
  o.reduction = Reduction::None;
  const Tensor per_step = cross_entropy(logits.reshape({B * T, C}), safe_targets.reshape({B * T}), o);
  return masked_mean(per_step.reshape({B, T}), m, 1.f, op);
}

Tensor sequence_mse_loss(const Tensor& input, const Tensor& target, const Tensor& mask) {
  const char* op = "sequence_mse_loss";
  if (input.dim() < 2 || input.shape() != target.shape())
    throw ShapeError(std::string(op) + ": input " + to_string(input.shape()) + " and target " +
                     to_string(target.shape()) + " must have the same shape (B, T, ...)");
  const int64_t B = input.size(0), T = input.size(1), per = input.numel() / (B * T);
  const Tensor m = step_mask(mask, {B, T}, op);
  const Tensor sq = mse_loss(input, target, Reduction::None).reshape({B, T, per});
  return masked_mean(sum(sq, {2}), m, static_cast<float>(per), op);
}

}  // namespace myelin
