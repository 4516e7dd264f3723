// Containers, Linear <-> Gemm / MatMul+Add, activations, Softmax, Flatten, Dropout.
#include <cmath>

#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "onnx/op_table.hpp"

namespace myelin::onnx_io {
namespace {

using Ints = std::vector<int64_t>;

// ---- containers (export only: an imported graph becomes one Sequential) ----

Value export_sequential(const Layer& l, const Value& x, ExportGraph& g) {
  Value v = x;
  for (const auto& [name, child] : l.module.children()) v = g.layer(*child, l.prefix + name + ".", v);
  return v;
}

// body(x) + shortcut(x), the shortcut the identity when absent.
Value export_residual(const Layer& l, const Value& x, ExportGraph& g) {
  Value body, shortcut = x;
  for (const auto& [name, child] : l.module.children()) {
    const Value v = g.layer(*child, l.prefix + name + ".", x);
    (name == "body" ? body : shortcut) = v;
  }
  return {g.node("Add", {body.name, shortcut.name}), body.rank};
}

// ---- Linear: Gemm on matrices, MatMul + Add on (..., in_features) ----

Value export_linear(const Layer& l, const Value& x, ExportGraph& g) {
  const bool bias = l.has("bias");
  if (x.rank == 2) {
    std::vector<std::string> in{x.name, l.weight(g, "weight")};
    if (bias) in.push_back(l.weight(g, "bias"));
    return {g.node("Gemm", in, {attr("transB", int64_t{1})}), 2};
  }
  const std::string wt = g.initializer(l.prefix + "weight.T", l.tensor("weight").transpose(0, 1));
  const std::string y = g.node("MatMul", {x.name, wt});
  return {bias ? g.node("Add", {y, l.weight(g, "bias")}) : y, x.rank};
}

// C broadcast to a per-output bias (N), or fail when it varies along the rows.
Tensor per_output_bias(const ImportNode& n, const Tensor& c, int64_t out) {
  if (c.numel() == out && (c.dim() == 1 || (c.dim() == 2 && c.size(0) == 1))) return c.reshape({out});
  if (c.numel() == 1) return Tensor::full({out}, c.data()[0]);
  n.fail("bias C of shape " + to_string(c.shape()) + " is not a per-output bias of " + std::to_string(out));
}

void add_linear(ImportNode& n, const Tensor& weight, const Tensor& bias) {
  nn::ModuleSpec s = spec_of("Linear");
  s.set("in_features", weight.size(1));
  s.set("out_features", weight.size(0));
  s.set("bias", bias.defined());
  std::map<std::string, Tensor> w{{"weight", weight}};
  if (bias.defined()) w["bias"] = bias;
  n.add_layer(s, w);
}

// Y = alpha A B' + beta C with B' = B or B^T: a Linear of weight alpha B'^T and bias beta C.
void import_gemm(ImportNode& n) {
  n.allow_attributes({"alpha", "beta", "transA", "transB"});
  if (n.attr_int("transA", 0) != 0) n.fail("transA = 1 (a transposed input) is not supported");
  n.expect_input_rank(2, "Gemm multiplies matrices");
  Tensor b = n.constant(1);
  if (b.dim() != 2) n.fail("B must be a matrix, got " + to_string(b.shape()));
  Tensor weight = (n.attr_int("transB", 0) ? b : b.transpose(0, 1)).contiguous();
  const float alpha = n.attr_float("alpha", 1.f), beta = n.attr_float("beta", 1.f);
  if (alpha != 1.f) weight = (weight * alpha).detach();
  Tensor bias;
  if (n.has_input(2)) {
    bias = per_output_bias(n, n.constant(2), weight.size(0));
    if (beta != 1.f) bias = (bias * beta).detach();
  }
  add_linear(n, weight, bias);
}

// MatMul by a constant (K, N), with a following Add of a constant (N) taken as the bias.
void import_matmul(ImportNode& n) {
  n.allow_attributes({});
  const Tensor b = n.constant(1);
  if (b.dim() != 2) n.fail("B must be a constant matrix, got " + to_string(b.shape()));
  Tensor bias;
  if (const auto* add = n.next_reading(n.node.output(0));
      add && add->op_type() == "Add" && add->input_size() == 2) {
    n.take_next();
    bias = per_output_bias(n, n.constant_named(add->input(1)), b.size(1));
  }
  add_linear(n, b.transpose(0, 1).contiguous(), bias);
}

// ---- activations without settings ----

struct PointwisePair {
  const char* myelin;
  const char* onnx;
};
constexpr PointwisePair kPointwise[] = {
    {"ReLU", "Relu"}, {"Sigmoid", "Sigmoid"}, {"Tanh", "Tanh"}, {"Identity", "Identity"}};

Value export_pointwise(const Layer& l, const Value& x, ExportGraph& g) {
  for (const auto& p : kPointwise)
    if (l.spec.type == p.myelin) return {g.node(p.onnx, {x.name}), x.rank};
  l.fail("not a pointwise activation");
}

void import_pointwise(ImportNode& n) {
  n.allow_attributes({});
  for (const auto& p : kPointwise)
    if (n.node.op_type() == p.onnx) return n.add_layer(spec_of(p.myelin));
  n.fail("not a pointwise activation");
}

// ---- activations with one setting ----

Value export_leaky_relu(const Layer& l, const Value& x, ExportGraph& g) {
  return {g.node("LeakyRelu", {x.name}, {attr("alpha", float(l.spec.get_float("negative_slope")))}), x.rank};
}

void import_leaky_relu(ImportNode& n) {
  n.allow_attributes({"alpha"});
  nn::ModuleSpec s = spec_of("LeakyReLU");
  s.set("negative_slope", double(n.attr_float("alpha", 0.01f)));
  n.add_layer(s);
}

Value export_elu(const Layer& l, const Value& x, ExportGraph& g) {
  return {g.node("Elu", {x.name}, {attr("alpha", float(l.spec.get_float("alpha")))}), x.rank};
}

void import_elu(ImportNode& n) {
  n.allow_attributes({"alpha"});
  nn::ModuleSpec s = spec_of("ELU");
  s.set("alpha", double(n.attr_float("alpha", 1.f)));
  n.add_layer(s);
}

// ONNX's Softplus is log(1 + exp(x)): beta 1. myelin's threshold (x itself above 20) differs
// from it by less than float rounding.
Value export_softplus(const Layer& l, const Value& x, ExportGraph& g) {
  if (l.spec.get_float("beta") != 1.0) l.fail("beta must be 1 (ONNX's Softplus has no beta)");
  return {g.node("Softplus", {x.name}), x.rank};
}

void import_softplus(ImportNode& n) {
  n.allow_attributes({});
  n.add_layer(spec_of("Softplus"));
}

// Exact GELU as x * 0.5 * (1 + erf(x / sqrt 2)): opset 17 has no Gelu op.
Value export_gelu(const Layer&, const Value& x, ExportGraph& g) {
  const std::string e = g.node("Erf", {g.node("Div", {x.name, g.float_constant(std::sqrt(2.f))})});
  const std::string one_plus = g.node("Add", {e, g.float_constant(1.f)});
  return {g.node("Mul", {g.node("Mul", {x.name, one_plus}), g.float_constant(0.5f)}), x.rank};
}

// ---- Softmax, LogSoftmax along one axis ----

Value export_softmax(const Layer& l, const Value& x, ExportGraph& g) {
  const char* op = l.spec.type == "Softmax" ? "Softmax" : "LogSoftmax";
  return {g.node(op, {x.name}, {attr("axis", l.spec.get_int("axis"))}), x.rank};
}

void import_softmax(ImportNode& n) {
  n.allow_attributes({"axis"});
  const int64_t axis = n.attr_int("axis", n.opset() >= 13 ? -1 : 1);
  // Before opset 13 the op flattened the axes from `axis` on: one axis only when it is the last.
  if (n.opset() < 13 && axis != -1 && axis != n.input_rank() - 1)
    n.fail("before opset 13, axis " + std::to_string(axis) + " normalises over several axes; "
           "myelin's softmax takes one");
  nn::ModuleSpec s = spec_of(n.node.op_type() == "Softmax" ? "Softmax" : "LogSoftmax");
  s.set("axis", axis);
  n.add_layer(s);
}

// ---- Flatten, Reshape ----

// torch's Flatten(1, -1) is ONNX's Flatten(axis 1); other ranges that end at the last axis
// are a Reshape with 0 (keep) for the leading axes and -1 for the merged ones. A range with
// axes after it is refused: ONNX's 0 copies the input's axis at its own index, so those axes
// would need their sizes, which the exporter does not know.
Value export_flatten(const Layer& l, const Value& x, ExportGraph& g) {
  int64_t start = l.spec.get_int("start_dim"), end = l.spec.get_int("end_dim");
  if (start == 1 && end == -1) return {g.node("Flatten", {x.name}, {attr("axis", int64_t{1})}), 2};
  if (x.rank == 0) l.fail("the input's rank is unknown");
  if (start < 0) start += x.rank;
  if (end < 0) end += x.rank;
  if (end != x.rank - 1)
    l.fail("only ranges that end at the last axis are exported (ONNX's Reshape keeps an axis (0) only "
           "at its own index)");
  Ints shape(static_cast<size_t>(start), 0);
  shape.push_back(-1);
  return {g.node("Reshape", {x.name, g.int64_constant(shape)}), start + 1};
}

void add_flatten(ImportNode& n, int64_t start, int64_t end) {
  nn::ModuleSpec s = spec_of("Flatten");
  s.set("start_dim", start);
  s.set("end_dim", end);
  n.add_layer(s);
}

// ONNX's Flatten(axis a) gives (d0 * ... * d(a-1), da * ... ): myelin's Flatten(0, a-1) then
// Flatten(1, -1).
void import_flatten(ImportNode& n) {
  n.allow_attributes({"axis"});
  int64_t axis = n.attr_int("axis", 1);
  if (axis < 0) axis += n.input_rank();
  if (axis == 0) n.fail("axis 0 (a leading dimension of 1) is not supported");
  if (axis < 0 || (n.input_rank_known() && axis > n.input_rank()))
    n.fail("axis " + std::to_string(n.attr_int("axis", 1)) + " is outside the input's rank");
  if (axis > 1) add_flatten(n, 0, axis - 1);
  add_flatten(n, 1, -1);
  n.set_output_rank(2);
}

Value export_reshape(const Layer& l, const Value& x, ExportGraph& g) {
  std::vector<onnx::AttributeProto> attrs;
  if (l.spec.get_bool("allowzero", false)) attrs.push_back(attr("allowzero", int64_t{1}));
  const Ints shape = l.spec.get_ints("shape");
  return {g.node("Reshape", {x.name, g.int64_constant(shape)}, attrs), static_cast<int64_t>(shape.size())};
}

// Reshape by a constant shape: myelin's Reshape, which reads 0 and -1 as ONNX does.
void import_reshape(ImportNode& n) {
  n.allow_attributes({"allowzero"});
  const Tensor shape = n.constant(1);
  if (shape.dim() != 1) n.fail("shape must be a list (1-d), got " + to_string(shape.shape()));
  const bool allowzero = n.attr_int("allowzero", 0) != 0;
  Ints sizes;
  for (int64_t i = 0; i < shape.numel(); ++i) {
    const float d = shape.data()[i];
    // Floats hold integers exactly up to 2^24; larger sizes are no real layer's.
    if (d != std::floor(d) || d < -1.f || d > float(1 << 24))
      n.fail("shape value " + std::to_string(d) + " is not an integer in [-1, 2^24]");
    sizes.push_back(static_cast<int64_t>(d));
    if (sizes.back() == 0 && !allowzero && n.input_rank_known() && i >= n.input_rank())
      n.fail("shape " + to_string(shape) + " copies (0) dimension " + std::to_string(i) + " of an input of rank " +
             std::to_string(n.input_rank()));
  }
  nn::ModuleSpec s = spec_of("Reshape");
  s.set("shape", sizes);
  if (allowzero) s.set("allowzero", true);
  n.add_layer(s);
  n.set_output_rank(shape.numel());
}

// ---- Dropout: an inference-mode Dropout (the identity) keeping its rate for fine-tuning ----

Value export_dropout(const Layer& l, const Value& x, ExportGraph& g) {
  return {g.node("Dropout", {x.name, g.float_constant(float(l.spec.get_float("p")))}), x.rank};
}

void import_dropout(ImportNode& n) {
  n.allow_attributes({"seed", "ratio"});
  float p = n.attr_float("ratio", 0.5f);
  if (n.has_input(1)) p = n.constant(1).data()[0];
  if (n.has_input(2) && n.constant(2).data()[0] != 0.f) n.fail("training_mode must be false");
  nn::ModuleSpec s = spec_of("Dropout");
  s.set("p", double(p));
  n.add_layer(s);
}

}  // namespace

void add_dense_ops(OpTables& t) {
  t.exporters["Sequential"] = export_sequential;
  t.exporters["Residual"] = export_residual;
  t.exporters["Linear"] = export_linear;
  t.importers["Gemm"] = import_gemm;
  t.importers["MatMul"] = import_matmul;
  for (const auto& p : kPointwise) {
    t.exporters[p.myelin] = export_pointwise;
    t.importers[p.onnx] = import_pointwise;
  }
  t.exporters["LeakyReLU"] = export_leaky_relu;
  t.importers["LeakyRelu"] = import_leaky_relu;
  t.exporters["ELU"] = export_elu;
  t.importers["Elu"] = import_elu;
  t.exporters["Softplus"] = export_softplus;
  t.importers["Softplus"] = import_softplus;
  t.exporters["GELU"] = export_gelu;
  for (const char* type : {"Softmax", "LogSoftmax"}) {
    t.exporters[type] = export_softmax;
    t.importers[type] = import_softmax;
  }
  t.exporters["Flatten"] = export_flatten;
  t.importers["Flatten"] = import_flatten;
  t.exporters["Reshape"] = export_reshape;
  t.importers["Reshape"] = import_reshape;
  t.exporters["Dropout"] = export_dropout;
  t.importers["Dropout"] = import_dropout;
}

}  // namespace myelin::onnx_io
