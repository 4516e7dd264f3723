// export_onnx: the model proto around the layers' nodes, checked by ONNX's checker.
#include <onnx/checker.h>

#include "myelin/error.hpp"
#include "myelin/io/atomic_write.hpp"
#include "myelin/io/onnx.hpp"
#include "onnx/op_table.hpp"

namespace myelin::io {

namespace {

// A tensor value of `shape` (float, or INT64 token ids), its dimensions < 1 symbolic (named
// `stem` + index).
void declare_value(onnx::ValueInfoProto& v, const std::string& name, const Shape& shape,
                   const std::string& stem, bool token_ids = false) {
  v.set_name(name);
  auto* type = v.mutable_type()->mutable_tensor_type();
  type->set_elem_type(token_ids ? onnx::TensorProto::INT64 : onnx::TensorProto::FLOAT);
  auto* dims = type->mutable_shape();
  for (size_t i = 0; i < shape.size(); ++i) {
    auto* d = dims->add_dim();
    if (shape[i] >= 1) d->set_dim_value(shape[i]);
    else d->set_dim_param(stem + std::to_string(i));
  }
}

}  // namespace

void export_onnx(const std::string& path, const nn::Module& module, const Shape& input_shape) {
  if (input_shape.empty()) throw Error("ONNX export: the input shape is empty");
  onnx::ModelProto model;
  model.set_ir_version(onnx::IR_VERSION);
  model.set_producer_name("myelin");
  model.set_producer_version(MYELIN_VERSION);
  auto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);
  onnx::GraphProto& graph = *model.mutable_graph();
  graph.set_name("myelin");
  const bool token_ids = onnx_io::reads_token_ids(module);
  declare_value(*graph.add_input(), "input", input_shape, "in", token_ids);

  onnx_io::ExportGraph g(graph);
  const onnx_io::Value out =
      g.layer(module, "", {"input", static_cast<int64_t>(input_shape.size()), token_ids});
  // The last node's output becomes the graph output "output" (an Identity when no node ran).
  if (graph.node_size() == 0 || graph.node(graph.node_size() - 1).output(0) != out.name)
    g.node("Identity", {out.name});
  graph.mutable_node(graph.node_size() - 1)->set_output(0, "output");
  // The checker wants the output's rank; its sizes are left symbolic.
  if (out.rank < 1) throw Error("ONNX export: the output's rank is unknown");
  declare_value(*graph.add_output(), "output", Shape(static_cast<size_t>(out.rank), -1), "out");

  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw Error(std::string("ONNX export: ONNX's checker rejects the model: ") + e.what());
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes)) throw IoError(path + ": could not serialise the ONNX model");
  write_file_atomically(path, bytes);
}

}  // namespace myelin::io
