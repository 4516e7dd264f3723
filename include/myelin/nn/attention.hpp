#pragma once
// MultiheadAttention with PyTorch's parameter names.
#include <cstdint>
#include <memory>

#include "myelin/nn/incremental.hpp"
#include "myelin/nn/linear.hpp"
#include "myelin/nn/module.hpp"

namespace myelin {
class Generator;
}

namespace myelin::nn {

/// MultiheadAttention: num_heads heads of scaled dot-product attention over projections of
/// query, key and value, as torch.nn.MultiheadAttention: parameters "in_proj_weight" (3E, E)
/// (query, key, value rows in that order), "in_proj_bias" (3E) and the child "out_proj" (a
/// Linear E -> E). Initialised as PyTorch: in_proj_weight xavier-uniform, biases zero.
/// Inputs are (T, B, E), or (B, T, E) with batch_first. forward(x) is self-attention, causal
/// when `causal` is set.
/// Requires: embed_dim, num_heads >= 1 with embed_dim divisible by num_heads (else Error).
class MultiheadAttention : public Module, public Incremental {
 public:
  MultiheadAttention(int64_t embed_dim, int64_t num_heads, bool bias = true,
                     bool batch_first = false, bool causal = false, Generator* gen = nullptr);

  Tensor forward(const Tensor& x) override;
  /// Attention of `query` (Tq steps) over `key` and `value` (Tk steps). key_padding_mask (B, Tk)
  /// of 0/1 marks padding keys (1: ignored); with `causal`, query i sees keys j <= i + Tk - Tq.
  Tensor attend(const Tensor& query, const Tensor& key, const Tensor& value,
                const Tensor& key_padding_mask = Tensor(), bool causal = false);
  /// Causal self-attention of the new steps over all steps so far: the cache keeps the keys
  /// and values (B, heads, T, head_dim) of earlier steps. Requires batch_first (else Error).
  Tensor forward_incremental(const Tensor& x_new, StepCache& cache) override;

  std::string type_name() const override { return "MultiheadAttention"; }
  std::string extra_repr() const override;
  int64_t flops(const Shape& input, const Shape& output) const override;
  int64_t embed_dim() const { return embed_dim_; }
  int64_t num_heads() const { return num_heads_; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  // x (B, T, E) -> (B, heads, T, head_dim), projected with rows [part E, (part + 1) E).
  Tensor project(const Tensor& x, int64_t part) const;
  // o (B, heads, T, head_dim) -> out_proj of (B, T, E).
  Tensor merge(const Tensor& o);

  int64_t embed_dim_;
  int64_t num_heads_;
  bool batch_first_;
  bool causal_;
  Tensor in_proj_weight_;
  Tensor in_proj_bias_;
  std::shared_ptr<Linear> out_proj_;
};

}  // namespace myelin::nn
