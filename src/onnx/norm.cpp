// BatchNorm1d/2d <-> BatchNormalization (inference), LayerNorm <-> LayerNormalization;
// RMSNorm and GroupNorm -> primitive ops (export only).
#include "myelin/error.hpp"
#include "onnx/op_table.hpp"

namespace myelin::onnx_io {
namespace {

using Ints = std::vector<int64_t>;

// The layer's "weight"/"bias", or ones/zeros of `shape` when it has no affine parameters.
std::string weight_or(const Layer& l, ExportGraph& g, const std::string& name, const Shape& shape, float fill) {
  if (l.has(name)) return l.weight(g, name);
  return g.initializer(l.prefix + name + ".onnx", Tensor::full(shape, fill));
}

// In evaluation mode with running statistics: (x - mean) / sqrt(var + eps) * scale + bias.
Value export_batch_norm(const Layer& l, const Value& x, ExportGraph& g) {
  if (!l.has("running_mean")) l.fail("without running statistics it normalises by the batch; not exportable");
  const Shape c{l.spec.get_int("num_features")};
  const std::vector<std::string> in{x.name, weight_or(l, g, "weight", c, 1.f), weight_or(l, g, "bias", c, 0.f),
                                    l.weight(g, "running_mean"), l.weight(g, "running_var")};
  // ONNX's momentum weighs the old running value, PyTorch's the batch's.
  return {g.node("BatchNormalization", in,
                 {attr("epsilon", float(l.spec.get_float("eps"))),
                  attr("momentum", float(1.0 - l.spec.get_float("momentum")))}),
          x.rank};
}

void import_batch_norm(ImportNode& n) {
  n.allow_attributes({"epsilon", "momentum", "training_mode", "spatial"});
  if (n.attr_int("training_mode", 0) != 0) n.fail("training_mode = 1 is not supported");
  if (n.attr_int("spatial", 1) != 1) n.fail("spatial = 0 is not supported");
  const int64_t rank = n.input_rank();
  if (rank < 2 || rank > 4) n.fail("input rank " + std::to_string(rank) + " (expected 2, 3 or 4)");
  const Tensor scale = n.constant(1);
  nn::ModuleSpec s = spec_of(rank == 4 ? "BatchNorm2d" : "BatchNorm1d");
  s.set("num_features", scale.numel());
  s.set("eps", double(n.attr_float("epsilon", 1e-5f)));
  s.set("momentum", 1.0 - double(n.attr_float("momentum", 0.9f)));
  n.add_layer(s, {{"weight", scale}, {"bias", n.constant(2)}, {"running_mean", n.constant(3)},
                  {"running_var", n.constant(4)}});
}

Value export_layer_norm(const Layer& l, const Value& x, ExportGraph& g) {
  const std::vector<int64_t> shape = l.spec.get_ints("normalized_shape");
  const Shape s(shape.begin(), shape.end());
  const std::vector<std::string> in{x.name, weight_or(l, g, "weight", s, 1.f), weight_or(l, g, "bias", s, 0.f)};
  return {g.node("LayerNormalization", in,
                 {attr("axis", -static_cast<int64_t>(shape.size())), attr("epsilon", float(l.spec.get_float("eps")))}),
          x.rank};
}

// Normalises over the axes from `axis` on; Scale's shape is those axes' sizes.
void import_layer_norm(ImportNode& n) {
  n.allow_attributes({"axis", "epsilon", "stash_type"});
  const Tensor scale = n.constant(1);
  int64_t axis = n.attr_int("axis", -1);
  if (axis >= 0) axis -= n.input_rank();
  if (axis != -scale.dim())  // (not -axis: an INT64_MIN axis would overflow)
    n.fail("Scale " + to_string(scale.shape()) + " must have the shape of the axes from " +
           std::to_string(axis) + " on");
  nn::ModuleSpec s = spec_of("LayerNorm");
  s.set("normalized_shape", std::vector<int64_t>(scale.shape().begin(), scale.shape().end()));
  s.set("eps", double(n.attr_float("epsilon", 1e-5f)));
  std::map<std::string, Tensor> weights{{"weight", scale}};
  weights["bias"] = n.has_input(2) ? n.constant(2) : Tensor::zeros(scale.shape());
  n.add_layer(s, weights);
}

// x / sqrt(mean(x^2 over the last axis) + eps) * weight.
Value export_rms_norm(const Layer& l, const Value& x, ExportGraph& g) {
  const std::string mean_square =
      g.node("ReduceMean", {g.node("Mul", {x.name, x.name})}, {attr("axes", Ints{-1}), attr("keepdims", int64_t{1})});
  const std::string rms = g.node("Sqrt", {g.node("Add", {mean_square, g.float_constant(float(l.spec.get_float("eps")))})});
  return {g.node("Mul", {g.node("Div", {x.name, rms}), l.weight(g, "weight")}), x.rank};
}

// GroupNormalization is opset 18: (N, C, ...) -> (N, G, -1), InstanceNormalization (unit
// scale, zero bias) normalises each group, back to x's shape, then the per-channel affine with
// weight and bias unsqueezed to (C, 1, ...) to broadcast over the spatial axes.
Value export_group_norm(const Layer& l, const Value& x, ExportGraph& g) {
  if (x.rank < 2) l.fail("the input's rank is unknown or below 2 (expected (N, C, ...))");
  const int64_t groups = l.spec.get_int("num_groups");
  const std::string grouped = g.node("Reshape", {x.name, g.int64_constant({0, groups, -1})});
  const std::string normalised =
      g.node("InstanceNormalization",
             {grouped, g.initializer(l.prefix + "onnx_group_scale", Tensor::ones({groups})),
              g.initializer(l.prefix + "onnx_group_bias", Tensor::zeros({groups}))},
             {attr("epsilon", float(l.spec.get_float("eps")))});
  std::string y = g.node("Reshape", {normalised, g.node("Shape", {x.name})});
  if (!l.has("weight")) return {y, x.rank};
  Ints spatial;
  for (int64_t a = 1; a < x.rank - 1; ++a) spatial.push_back(a);
  const std::string axes = g.int64_constant(spatial);
  for (const auto& [name, op] : {std::pair{"weight", "Mul"}, std::pair{"bias", "Add"}}) {
    const std::string p = l.weight(g, name);
    y = g.node(op, {y, spatial.empty() ? p : g.node("Unsqueeze", {p, axes})});
  }
  return {y, x.rank};
}

}  // namespace

void add_norm_ops(OpTables& t) {
  t.exporters["BatchNorm1d"] = export_batch_norm;
  t.exporters["BatchNorm2d"] = export_batch_norm;
  t.importers["BatchNormalization"] = import_batch_norm;
  t.exporters["LayerNorm"] = export_layer_norm;
  t.importers["LayerNormalization"] = import_layer_norm;
  t.exporters["RMSNorm"] = export_rms_norm;
  t.exporters["GroupNorm"] = export_group_norm;
}

}  // namespace myelin::onnx_io
