// Conv1d/Conv2d <-> Conv, ConvTranspose2d <-> ConvTranspose, pools <-> MaxPool/AveragePool,
// GlobalAvgPool2d and AdaptiveAvgPool2d(1) <-> GlobalAveragePool, Upsample <-> Resize (nearest).
#include <algorithm>

#include "myelin/error.hpp"
#include "onnx/op_table.hpp"

namespace myelin::onnx_io {
namespace {

using Ints = std::vector<int64_t>;

// ONNX pads list every axis's start, then every axis's end.
Ints symmetric_pads(const Ints& padding) {
  Ints pads = padding;
  pads.insert(pads.end(), padding.begin(), padding.end());
  return pads;
}

// Sizes, strides, dilations and pads above this are refused as hostile: no real layer has
// them, and the layers' output-size arithmetic must not overflow.
constexpr int64_t kMaxSetting = int64_t{1} << 31;

// Attribute `name`: `axes` values (default `fallback` each), each in [low, kMaxSetting].
Ints ints_or(const ImportNode& n, const std::string& name, size_t axes, int64_t fallback, int64_t low) {
  const Ints v = n.attr_ints(name, Ints(axes, fallback));
  if (v.size() != axes)
    n.fail(name + " has " + std::to_string(v.size()) + " values, expected " + std::to_string(axes));
  for (int64_t x : v)
    if (x < low || x > kMaxSetting)
      n.fail(name + " value " + std::to_string(x) + " is outside [" + std::to_string(low) + ", 2^31]");
  return v;
}

// myelin's padding from ONNX's pads or auto_pad. Explicit pads must be symmetric. SAME_UPPER
// and SAME_LOWER (output size ceil(in / stride)) are read where every stride is 1, so that an
// axis's total pad, dilation * (kernel - 1), does not depend on the input's size: symmetric when
// even; when odd, SAME_UPPER's extra pad at the end is a convolution's padding "same"
// (`same_ok`), returned as an empty list.
Ints padding_of(const ImportNode& n, const Ints& kernel, const Ints& stride, const Ints& dilation, bool same_ok) {
  const size_t axes = kernel.size();
  const std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  if (auto_pad == "VALID") return Ints(axes, 0);
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    if (std::any_of(stride.begin(), stride.end(), [](int64_t v) { return v != 1; }))
      n.fail("auto_pad " + auto_pad + " with strides other than 1 is not supported (its pads depend on the "
             "input's size; give explicit pads)");
    Ints half;
    bool odd = false;
    for (size_t i = 0; i < axes; ++i) {
      const int64_t total = dilation[i] * (kernel[i] - 1);
      odd = odd || total % 2 != 0;
      half.push_back(total / 2);
    }
    if (!odd) return half;
    if (auto_pad == "SAME_UPPER" && same_ok) return {};
    n.fail("auto_pad " + auto_pad + " pads one side more than the other for kernel " + to_string(kernel) +
           (same_ok ? ": myelin's convolutions pad the end more (SAME_UPPER), not the start" : ": myelin's pools pad both alike"));
  }
  if (auto_pad != "NOTSET") n.fail("auto_pad " + auto_pad + " is not supported");
  const Ints pads = ints_or(n, "pads", 2 * axes, 0, 0);
  for (size_t i = 0; i < axes; ++i)
    if (pads[i] != pads[i + axes]) n.fail("asymmetric pads are not supported");
  return Ints(pads.begin(), pads.begin() + static_cast<int64_t>(axes));
}

// ---- convolutions ----

Value export_conv(const Layer& l, const Value& x, ExportGraph& g) {
  const nn::ModuleSpec& s = l.spec;
  const Ints kernel = s.get_ints("kernel_size"), dilation = s.get_ints("dilation");
  Ints padding;
  if (s.get_string("padding") == "same") {
    // PyTorch pads "same" with the odd pixel at the end, as auto_pad SAME_UPPER; written out
    // explicitly (stride 1): total dilation * (kernel - 1), the smaller half first.
    Ints begin, end;
    for (size_t i = 0; i < kernel.size(); ++i) {
      const int64_t total = dilation[i] * (kernel[i] - 1);
      begin.push_back(total / 2);
      end.push_back(total - total / 2);
    }
    padding = begin;
    padding.insert(padding.end(), end.begin(), end.end());
  } else {
    padding = symmetric_pads(s.get_ints("padding"));
  }
  std::vector<std::string> in{x.name, l.weight(g, "weight")};
  if (l.has("bias")) in.push_back(l.weight(g, "bias"));
  std::vector<onnx::AttributeProto> attrs{attr("kernel_shape", kernel), attr("strides", s.get_ints("stride")),
                                          attr("pads", padding), attr("dilations", dilation),
                                          attr("group", s.get_int("groups"))};
  const bool transposed = s.type == "ConvTranspose2d";
  if (transposed) attrs.push_back(attr("output_padding", s.get_ints("output_padding")));
  return {g.node(transposed ? "ConvTranspose" : "Conv", in, attrs), x.rank};
}

// W: (out, in / group, k...) for Conv; (in, out / group, k...) for ConvTranspose.
void import_conv(ImportNode& n) {
  const bool transposed = n.node.op_type() == "ConvTranspose";
  if (transposed)
    n.allow_attributes({"auto_pad", "dilations", "group", "kernel_shape", "output_padding", "pads", "strides"});
  else
    n.allow_attributes({"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
  const Tensor w = n.constant(1);
  if (w.dim() != 3 && w.dim() != 4) n.fail("weight " + to_string(w.shape()) + ": only 1-d and 2-d convolutions are supported");
  const size_t axes = static_cast<size_t>(w.dim()) - 2;
  if (transposed && axes != 2) n.fail("only 2-d transposed convolutions are supported");
  n.expect_input_rank(w.dim(), "N, C and the spatial axes, for a weight " + to_string(w.shape()));
  Ints kernel(w.shape().begin() + 2, w.shape().end());
  if (n.attr_ints("kernel_shape", kernel) != kernel)
    n.fail("kernel_shape does not match the weight " + to_string(w.shape()));
  // Groups split the weight's first axis (out channels, or in channels when transposed).
  const int64_t group = n.attr_int("group", 1);
  if (group < 1 || group > w.size(0))
    n.fail("group " + std::to_string(group) + " must be in [1, " + std::to_string(w.size(0)) + "]");
  nn::ModuleSpec s = spec_of(transposed ? "ConvTranspose2d" : axes == 1 ? "Conv1d" : "Conv2d");
  s.set("in_channels", transposed ? w.size(0) : w.size(1) * group);
  s.set("out_channels", transposed ? w.size(1) * group : w.size(0));
  s.set("kernel_size", kernel);
  const Ints stride = ints_or(n, "strides", axes, 1, 1), dilation = ints_or(n, "dilations", axes, 1, 1);
  // A transposed convolution's SAME sets its output size, in * stride: not a padding of the input.
  if (transposed && n.attr_string("auto_pad", "NOTSET").rfind("SAME", 0) == 0)
    n.fail("auto_pad " + n.attr_string("auto_pad", "") + " is not supported (give explicit pads)");
  const Ints padding = padding_of(n, kernel, stride, dilation, true);
  s.set("stride", stride);
  if (padding.empty()) s.set("padding", "same");
  else s.set("padding", padding);
  s.set("dilation", dilation);
  if (transposed) s.set("output_padding", ints_or(n, "output_padding", axes, 0, 0));
  s.set("groups", group);
  s.set("bias", n.has_input(2));
  std::map<std::string, Tensor> weights{{"weight", w}};
  if (n.has_input(2)) weights["bias"] = n.constant(2);
  n.add_layer(s, weights);
}

// ---- pools ----

Value export_pool(const Layer& l, const Value& x, ExportGraph& g) {
  const nn::ModuleSpec& s = l.spec;
  const bool max = s.type.rfind("Max", 0) == 0;
  std::vector<onnx::AttributeProto> attrs{attr("kernel_shape", s.get_ints("kernel_size")),
                                          attr("strides", s.get_ints("stride")),
                                          attr("pads", symmetric_pads(s.get_ints("padding")))};
  if (!max) attrs.push_back(attr("count_include_pad", int64_t{s.get_bool("count_include_pad", true)}));
  return {g.node(max ? "MaxPool" : "AveragePool", {x.name}, attrs), x.rank};
}

void import_pool(ImportNode& n) {
  const bool max = n.node.op_type() == "MaxPool";
  if (max) n.allow_attributes({"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"});
  else n.allow_attributes({"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"});
  const size_t axes = n.attr_ints("kernel_shape", {}).size();
  if (axes != 1 && axes != 2) n.fail("only 1-d and 2-d pooling is supported");
  n.expect_input_rank(static_cast<int64_t>(axes) + 2, "N, C and the spatial axes, for a kernel_shape of " +
                                                          std::to_string(axes) + " values");
  const Ints kernel = ints_or(n, "kernel_shape", axes, 1, 1);
  if (n.attr_int("ceil_mode", 0) != 0) n.fail("ceil_mode = 1 is not supported");
  const Ints dilation = ints_or(n, "dilations", axes, 1, 1);
  if (dilation != Ints(axes, 1)) n.fail("dilations other than 1 are not supported");
  if (n.attr_int("storage_order", 0) != 0) n.fail("storage_order = 1 is not supported");
  nn::ModuleSpec s = spec_of(std::string(max ? "MaxPool" : "AvgPool") + (axes == 1 ? "1d" : "2d"));
  const Ints stride = ints_or(n, "strides", axes, 1, 1), padding = padding_of(n, kernel, stride, dilation, false);
  if (axes == 1) {
    s.set("kernel_size", kernel[0]);
    s.set("stride", stride[0]);
    s.set("padding", padding[0]);
  } else {
    s.set("kernel_size", kernel);
    s.set("stride", stride);
    s.set("padding", padding);
  }
  if (!max) s.set("count_include_pad", n.attr_int("count_include_pad", 0) != 0);
  n.add_layer(s);
}

// GlobalAvgPool2d gives (N, C): GlobalAveragePool (N, C, 1, 1), then Flatten.
Value export_global_avg_pool(const Layer&, const Value& x, ExportGraph& g) {
  return {g.node("Flatten", {g.node("GlobalAveragePool", {x.name})}, {attr("axis", int64_t{1})}), 2};
}

Value export_adaptive_avg_pool(const Layer& l, const Value& x, ExportGraph& g) {
  if (l.spec.get_ints("output_size") != Ints{1, 1}) l.fail("only output_size 1 (GlobalAveragePool) is exported");
  return {g.node("GlobalAveragePool", {x.name}), x.rank};
}

void import_global_avg_pool(ImportNode& n) {
  n.allow_attributes({});
  if (n.input_rank() != 4) n.fail("only (N, C, H, W) inputs are supported");
  nn::ModuleSpec s = spec_of("AdaptiveAvgPool2d");
  s.set("output_size", Ints{1, 1});
  n.add_layer(s);
}

// ---- Upsample (nearest, by integer scales) ----

// A fixed output size: myelin reads source pixel i * in / out (integer division) along each
// axis; Resize would compute it in float and can pick another pixel, so each axis is a Gather
// of the indices computed in INT64: arange(out) * in / out, with `in` read from x's shape.
std::string gather_nearest(ExportGraph& g, const std::string& x, int64_t axis, int64_t out) {
  Ints steps(static_cast<size_t>(out));
  for (int64_t i = 0; i < out; ++i) steps[static_cast<size_t>(i)] = i;
  const std::string in = g.node("Shape", {x}, {attr("start", axis), attr("end", axis + 1)});
  const std::string index = g.node("Div", {g.node("Mul", {g.int64_constant(steps), in}), g.int64_constant({out})});
  return g.node("Gather", {x, index}, {attr("axis", axis)});
}

// By scale s myelin reads source pixel floor(i / s) for output pixel i: ONNX's asymmetric
// coordinates (i / s) with nearest_mode floor.
Value export_upsample(const Layer& l, const Value& x, ExportGraph& g) {
  if (l.spec.attrs.count("size")) {
    const Ints size = l.spec.get_ints("size");
    return {gather_nearest(g, gather_nearest(g, x.name, 2, size[0]), 3, size[1]), x.rank};
  }
  const Ints scale = l.spec.get_ints("scale_factor");
  const std::string scales = g.initializer(
      l.prefix + "onnx_scales", Tensor::from_vector({1.f, 1.f, float(scale[0]), float(scale[1])}, {4}));
  return {g.node("Resize", {x.name, "", scales},
                 {attr("mode", std::string("nearest")),
                  attr("coordinate_transformation_mode", std::string("asymmetric")),
                  attr("nearest_mode", std::string("floor"))}),
          x.rank};
}

// Resize of (N, C, H, W) by constant scales (1, 1, sh, sw), whole numbers, mode nearest: an
// Upsample when the source-pixel rule gives floor(i / s) at whole scales: asymmetric with floor
// (what export writes), tf_half_pixel_for_nn with floor, or the half-pixel rules ((i + 0.5) / s
// - 0.5, within 1/2 of floor(i / s)) with rounding (ONNX's defaults).
void import_resize(ImportNode& n) {
  n.allow_attributes({"mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside",
                      "extrapolation_value"});  // the last three do not affect these nearest rules
  if (n.opset() < 11) n.fail("opset " + std::to_string(n.opset()) + " Resize (before 11) is not supported");
  const std::string mode = n.attr_string("mode", "nearest");
  if (mode != "nearest") n.fail("mode " + mode + " is not supported (only nearest: an Upsample)");
  const std::string coords = n.attr_string("coordinate_transformation_mode", "half_pixel");
  const std::string rounding = n.attr_string("nearest_mode", "round_prefer_floor");
  const bool floor_rule = (coords == "asymmetric" || coords == "tf_half_pixel_for_nn") && rounding == "floor";
  const bool half_pixel_rule = (coords == "half_pixel" || coords == "pytorch_half_pixel") && rounding != "floor" &&
                               rounding != "ceil";
  if (!floor_rule && !half_pixel_rule)
    n.fail("coordinate_transformation_mode " + coords + " with nearest_mode " + rounding +
           " is not supported (myelin's Upsample reads pixel floor(i / scale))");
  n.expect_input_rank(4, "Upsample reads (N, C, H, W)");
  if (n.has_input(3)) n.fail("sizes are not supported (give constant scales)");
  const Tensor scales = n.constant(2);
  const float* sc = scales.data();
  const auto whole = [](float v) { return v >= 1.f && v <= 1e6f && v == float(int64_t(v)); };
  if (scales.numel() != 4 || sc[0] != 1.f || sc[1] != 1.f || !whole(sc[2]) || !whole(sc[3]))
    n.fail("scales " + to_string(scales) + " must be (1, 1, sh, sw) with whole sh, sw >= 1 on (N, C, H, W)");
  nn::ModuleSpec s = spec_of("Upsample");
  s.set("scale_factor", Ints{int64_t(sc[2]), int64_t(sc[3])});
  s.set("mode", "nearest");
  n.add_layer(s);
}

}  // namespace

void add_conv_ops(OpTables& t) {
  for (const char* type : {"Conv1d", "Conv2d", "ConvTranspose2d"}) t.exporters[type] = export_conv;
  t.importers["Conv"] = import_conv;
  t.importers["ConvTranspose"] = import_conv;
  for (const char* type : {"MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d"}) t.exporters[type] = export_pool;
  t.importers["MaxPool"] = import_pool;
  t.importers["AveragePool"] = import_pool;
  t.exporters["GlobalAvgPool2d"] = export_global_avg_pool;
  t.exporters["AdaptiveAvgPool2d"] = export_adaptive_avg_pool;
  t.importers["GlobalAveragePool"] = import_global_avg_pool;
  t.exporters["Upsample"] = export_upsample;
  t.importers["Resize"] = import_resize;
}

}  // namespace myelin::onnx_io
