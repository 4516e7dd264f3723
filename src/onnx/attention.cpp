// MultiheadAttention -> its primitive ops (export only): projections, heads, scaled
// dot-product attention (causal by a lower-triangular mask), merge and output projection;
// TransformerBlock -> its children's ops, GELU's and the residual Adds.
#include <cmath>

#include "myelin/error.hpp"
#include "myelin/nn/activation.hpp"
#include "onnx/op_table.hpp"

namespace myelin::onnx_io {
namespace {

using Ints = std::vector<int64_t>;

// x (B, T, E) @ w^T + b, w and b given as initializers under their state-dict names + suffix.
std::string project(const Layer& l, ExportGraph& g, const std::string& x, const Tensor& w, const Tensor& b,
                    const std::string& name) {
  const std::string y = g.node("MatMul", {x, g.initializer(l.prefix + name + ".weight.T", w.transpose(0, 1))});
  return b.defined() ? g.node("Add", {y, g.initializer(l.prefix + name + ".bias", b)}) : y;
}

Value export_attention(const Layer& l, const Value& x, ExportGraph& g) {
  const int64_t E = l.spec.get_int("embed_dim"), heads = l.spec.get_int("num_heads"), d = E / heads;
  const bool batch_first = l.spec.get_bool("batch_first", false);
  const Tensor w = l.tensor("in_proj_weight");
  const Tensor b = l.has("in_proj_bias") ? l.tensor("in_proj_bias") : Tensor();
  const Ints to_batch_major{1, 0, 2};
  const std::string xb = batch_first ? x.name : g.node("Transpose", {x.name}, {attr("perm", to_batch_major)});
  const std::string split_heads = g.int64_constant({0, 0, heads, d});
  std::string qkv[3];
  const char* names[3] = {"in_proj.q", "in_proj.k", "in_proj.v"};
  for (int64_t part = 0; part < 3; ++part) {
    const Tensor bp = b.defined() ? b.slice(0, part * E, (part + 1) * E) : Tensor();
    const std::string p = project(l, g, xb, w.slice(0, part * E, (part + 1) * E), bp, names[part]);
    // q, v: (B, heads, T, d); k: (B, heads, d, T), ready for q @ k.
    const Ints perm = part == 1 ? Ints{0, 2, 3, 1} : Ints{0, 2, 1, 3};
    qkv[part] = g.node("Transpose", {g.node("Reshape", {p, split_heads})}, {attr("perm", perm)});
  }
  // scores: (B, heads, T, T)
  std::string scores = g.node("Mul", {g.node("MatMul", {qkv[0], qkv[1]}), g.float_constant(1.f / std::sqrt(float(d)))});
  if (l.spec.get_bool("causal", false)) {
    // (tril(ones) - 1) * 1e30: 0 where query i may see key j <= i, -1e30 (weight 0) above.
    onnx::TensorProto one = to_proto("", Tensor::from_vector({1.f}, {1}));
    onnx::AttributeProto value;
    value.set_name("value");
    value.set_type(onnx::AttributeProto::TENSOR);
    *value.mutable_t() = one;
    const std::string ones = g.node("ConstantOfShape", {g.node("Shape", {scores})}, {value});
    const std::string tril = g.node("Trilu", {ones}, {attr("upper", int64_t{0})});
    const std::string mask = g.node("Mul", {g.node("Sub", {tril, g.float_constant(1.f)}), g.float_constant(1e30f)});
    scores = g.node("Add", {scores, mask});
  }
  const std::string probs = g.node("Softmax", {scores}, {attr("axis", int64_t{-1})});
  const std::string o = g.node("MatMul", {probs, qkv[2]});  // (B, heads, T, d)
  const std::string merged = g.node("Reshape", {g.node("Transpose", {o}, {attr("perm", Ints{0, 2, 1, 3})}),
                                                g.int64_constant({0, 0, E})});
  const Tensor ob = l.has("out_proj.bias") ? l.tensor("out_proj.bias") : Tensor();
  const std::string y = project(l, g, merged, l.tensor("out_proj.weight"), ob, "out_proj");
  return {batch_first ? y : g.node("Transpose", {y}, {attr("perm", to_batch_major)}), 3};
}

// h = x + attn(norm1(x)),  y = h + fc2(gelu(fc1(norm2(h)))), each child under its own prefix.
Value export_transformer_block(const Layer& l, const Value& x, ExportGraph& g) {
  const auto child = [&](const char* name, const Value& v) {
    for (const auto& [n, m] : l.module.children())
      if (n == name) return g.layer(*m, l.prefix + n + ".", v);
    l.fail(std::string("has no child '") + name + "'");
  };
  const Value h{g.node("Add", {x.name, child("attn", child("norm1", x)).name}), 3};
  const nn::GELU gelu;  // the block applies gelu() between fc1 and fc2; GELU's export writes it
  const Value hidden = g.layer(gelu, l.prefix + "gelu.", child("fc1", child("norm2", h)));
  return {g.node("Add", {h.name, child("fc2", hidden).name}), 3};
}

}  // namespace

void add_attention_ops(OpTables& t) {
  t.exporters["MultiheadAttention"] = export_attention;
  t.exporters["TransformerBlock"] = export_transformer_block;
}

}  // namespace myelin::onnx_io
