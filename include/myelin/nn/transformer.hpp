#pragma once
// TransformerBlock: a pre-norm Transformer layer (attention and MLP, each with a residual).
#include <cstdint>
#include <memory>
#include <string>

#include "myelin/nn/attention.hpp"
#include "myelin/nn/incremental.hpp"
#include "myelin/nn/module.hpp"

namespace myelin {
class Generator;
}

namespace myelin::nn {

/// TransformerBlockOptions: the block's settings.
struct TransformerBlockOptions {
  int64_t num_heads = 4;
  int64_t mlp_hidden = 0;      // the MLP's hidden width; 0: 4 * d_model
  bool causal = false;         // decoder-only: each step attends to itself and earlier steps
  std::string norm = "RMSNorm";  // the norm layer type, built with {"dim": d_model} as
                                 // "RMSNorm"; any other registered type is built with
                                 // {"normalized_shape": d_model} (e.g. "LayerNorm")
};

/// TransformerBlock: on batch-first inputs (B, T, d_model),
///   h = x + attn(norm1(x)),  y = h + fc2(gelu(fc1(norm2(h))))
/// with children "norm1", "attn" (MultiheadAttention, batch first), "norm2", "fc1", "fc2".
/// Incremental when causal: the attention caches keys and values.
/// Requires: d_model divisible by num_heads, a known norm type (else Error).
class TransformerBlock : public Module, public Incremental {
 public:
  TransformerBlock(int64_t d_model, const TransformerBlockOptions& options = {},
                   Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override;
  /// Requires causal (else Error).
  Tensor forward_incremental(const Tensor& x_new, StepCache& cache) override;
  std::string type_name() const override { return "TransformerBlock"; }
  std::string extra_repr() const override;

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  Tensor mlp(const Tensor& h);
  int64_t d_model_;
  TransformerBlockOptions options_;
  ModulePtr norm1_, norm2_, fc1_, fc2_;
  std::shared_ptr<MultiheadAttention> attn_;
};

}  // namespace myelin::nn
