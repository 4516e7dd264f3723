#include "myelin/nn/transformer.hpp"

#include "myelin/error.hpp"
#include "myelin/nn/linear.hpp"
#include "myelin/nn/rms_norm.hpp"
#include "myelin/ops.hpp"

namespace myelin::nn {

namespace {

ModulePtr make_norm(const std::string& type, int64_t d_model) {
  if (type == "RMSNorm") return std::make_shared<RMSNorm>(d_model);
  ModuleSpec spec{type, {}, {}};
  spec.set("normalized_shape", d_model);
  return build_module(spec);
}

}  // namespace

TransformerBlock::TransformerBlock(int64_t d_model, const TransformerBlockOptions& options,
                                   Generator* gen)
    : d_model_(d_model), options_(options) {
  if (options_.mlp_hidden == 0) options_.mlp_hidden = 4 * d_model;
  if (options_.mlp_hidden < 1) throw Error("TransformerBlock: mlp_hidden must be >= 0");
  norm1_ = register_module("norm1", make_norm(options_.norm, d_model));
  attn_ = register_module("attn", std::make_shared<MultiheadAttention>(
                                      d_model, options_.num_heads, true, true, options_.causal, gen));
  norm2_ = register_module("norm2", make_norm(options_.norm, d_model));
  fc1_ = register_module("fc1", std::make_shared<Linear>(d_model, options_.mlp_hidden, true, gen));
  fc2_ = register_module("fc2", std::make_shared<Linear>(options_.mlp_hidden, d_model, true, gen));
}

Tensor TransformerBlock::mlp(const Tensor& h) { return h + (*fc2_)(gelu((*fc1_)((*norm2_)(h)))); }

Tensor TransformerBlock::forward(const Tensor& x) { return mlp(x + (*attn_)((*norm1_)(x))); }

Tensor TransformerBlock::forward_incremental(const Tensor& x_new, StepCache& cache) {
  if (!options_.causal) throw Error("TransformerBlock: incremental use needs causal=true");
  return mlp(x_new + attn_->forward_incremental((*norm1_)(x_new), cache));
}

std::string TransformerBlock::extra_repr() const {
  return "d_model=" + std::to_string(d_model_) + ", num_heads=" + std::to_string(options_.num_heads) +
         ", mlp_hidden=" + std::to_string(options_.mlp_hidden) +
         (options_.causal ? ", causal=true" : "") + ", norm=" + options_.norm;
}

void TransformerBlock::describe(ModuleSpec& spec) const {
  spec.set("d_model", d_model_);
  spec.set("num_heads", options_.num_heads);
  spec.set("mlp_hidden", options_.mlp_hidden);
  spec.set("causal", options_.causal);
  spec.set("norm", options_.norm);
}

}  // namespace myelin::nn
