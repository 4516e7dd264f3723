// MultiheadAttention: projections, heads, scaled dot-product attention, output projection.
#include "myelin/nn/attention.hpp"

#include "myelin/error.hpp"
#include "myelin/nn/init.hpp"
#include "myelin/ops.hpp"

namespace myelin::nn {

MultiheadAttention::MultiheadAttention(int64_t embed_dim, int64_t num_heads, bool bias,
                                       bool batch_first, bool causal, Generator* gen)
    : embed_dim_(embed_dim), num_heads_(num_heads), batch_first_(batch_first), causal_(causal) {
  if (embed_dim < 1 || num_heads < 1 || embed_dim % num_heads != 0)
    throw Error("MultiheadAttention: embed_dim (" + std::to_string(embed_dim) +
                ") must be a positive multiple of num_heads (" + std::to_string(num_heads) + ")");
  in_proj_weight_ = register_parameter("in_proj_weight", Tensor::empty({3 * embed_dim, embed_dim}));
  init::xavier_uniform_(in_proj_weight_, 1.0, gen);
  if (bias) in_proj_bias_ = register_parameter("in_proj_bias", Tensor::zeros({3 * embed_dim}));
  out_proj_ = register_module("out_proj", std::make_shared<Linear>(embed_dim, embed_dim, bias, gen));
  if (bias) {
    Tensor b = out_proj_->bias();
    init::zeros_(b);
  }
}

Tensor MultiheadAttention::project(const Tensor& x, int64_t part) const {
  const int64_t E = embed_dim_, h = num_heads_;
  const Tensor w = in_proj_weight_.slice(0, part * E, (part + 1) * E);
  const Tensor b = in_proj_bias_.defined() ? in_proj_bias_.slice(0, part * E, (part + 1) * E) : Tensor();
  const Tensor y = linear(x, w, b);  // (B, T, E)
  return y.reshape({x.size(0), x.size(1), h, E / h}).transpose(1, 2);
}

Tensor MultiheadAttention::merge(const Tensor& o) {
  const Tensor y = o.transpose(1, 2).reshape({o.size(0), o.size(2), embed_dim_});
  return (*out_proj_)(y);
}

Tensor MultiheadAttention::attend(const Tensor& query, const Tensor& key, const Tensor& value,
                                  const Tensor& key_padding_mask, bool causal) {
  for (const Tensor* t : {&query, &key, &value})
    if (t->dim() != 3 || t->size(-1) != embed_dim_)
      throw ShapeError("MultiheadAttention: inputs must be " +
                       std::string(batch_first_ ? "(B, T, " : "(T, B, ") +
                       std::to_string(embed_dim_) + "), got " + to_string(t->shape()));
  const auto batch_major = [this](const Tensor& t) { return batch_first_ ? t : t.transpose(0, 1); };
  const Tensor q = project(batch_major(query), 0), k = project(batch_major(key), 1);
  const Tensor v = project(batch_major(value), 2);
  const Tensor y = merge(scaled_dot_product_attention(q, k, v, causal, key_padding_mask));
  return batch_major(y);
}

Tensor MultiheadAttention::forward(const Tensor& x) { return attend(x, x, x, Tensor(), causal_); }

Tensor MultiheadAttention::forward_incremental(const Tensor& x_new, StepCache& cache) {
  if (!batch_first_) throw Error("MultiheadAttention: incremental use needs batch_first inputs");
  if (x_new.dim() != 3 || x_new.size(-1) != embed_dim_)
    throw ShapeError("MultiheadAttention: input must be (B, T, " + std::to_string(embed_dim_) +
                     "), got " + to_string(x_new.shape()));
  Tensor k = project(x_new, 1), v = project(x_new, 2);
  if (!cache.tensors.empty()) {
    k = concat({cache.tensors[0], k}, 2);
    v = concat({cache.tensors[1], v}, 2);
  }
  cache.tensors = {k, v};
  cache.steps += x_new.size(1);
  return merge(scaled_dot_product_attention(project(x_new, 0), k, v, true));
}

std::string MultiheadAttention::extra_repr() const {
  return "embed_dim=" + std::to_string(embed_dim_) + ", num_heads=" + std::to_string(num_heads_) +
         (in_proj_bias_.defined() ? "" : ", bias=false") + (batch_first_ ? ", batch_first=true" : "") +
         (causal_ ? ", causal=true" : "");
}

int64_t MultiheadAttention::flops(const Shape& input, const Shape& output) const {
  (void)output;
  // Four E x E projections per token, plus q k^T and p v over T keys.
  const int64_t E = embed_dim_, tokens = numel(input) / E, T = input.size() == 3 ? input[batch_first_ ? 1 : 0] : 1;
  return tokens * (8 * E * E + 4 * T * E);
}

void MultiheadAttention::describe(ModuleSpec& spec) const {
  spec.set("embed_dim", embed_dim_);
  spec.set("num_heads", num_heads_);
  spec.set("bias", in_proj_bias_.defined());
  spec.set("batch_first", batch_first_);
  spec.set("causal", causal_);
}

}  // namespace myelin::nn
