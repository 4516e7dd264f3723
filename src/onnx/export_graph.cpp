#include <algorithm>

#include "myelin/error.hpp"
#include "onnx/op_table.hpp"

namespace myelin::onnx_io {

std::string ExportGraph::fresh(const std::string& stem) {
  return stem + "_" + std::to_string(counter_++);
}

std::string ExportGraph::initializer(const std::string& name, const Tensor& t) {
  *graph_.add_initializer() = to_proto(name, t);
  return name;
}

std::string ExportGraph::int64_constant(const std::vector<int64_t>& values) {
  const std::string name = fresh("const");
  *graph_.add_initializer() = int64_proto(name, values);
  return name;
}

std::string ExportGraph::float_constant(float value) {
  const std::string name = fresh("const");
  *graph_.add_initializer() = to_proto(name, Tensor::scalar(value));
  return name;
}

std::string ExportGraph::node(const std::string& op, const std::vector<std::string>& inputs,
                              const std::vector<onnx::AttributeProto>& attrs) {
  onnx::NodeProto* n = graph_.add_node();
  n->set_op_type(op);
  n->set_name(fresh(op));
  for (const std::string& in : inputs) n->add_input(in);
  const std::string out = n->name() + "_out";
  n->add_output(out);
  for (const auto& a : attrs) *n->add_attribute() = a;
  return out;
}

Value ExportGraph::layer(const nn::Module& m, const std::string& prefix, const Value& x) {
  Layer l{m, m.spec(), prefix};
  const auto& table = op_tables().exporters;
  const auto it = table.find(l.spec.type);
  if (it == table.end())
    l.fail("no ONNX export for this layer type (docs/interop.md lists the supported ones)");
  return it->second(l, x, *this);
}

// ---- Layer ----

bool Layer::has(const std::string& name) const {
  for (const auto& [n, t] : module.state_dict())
    if (n == name) return true;
  return false;
}

Tensor Layer::tensor(const std::string& name) const {
  for (const auto& [n, t] : module.state_dict())
    if (n == name) return t;
  fail("has no tensor '" + name + "'");
}

std::string Layer::weight(ExportGraph& g, const std::string& name) const {
  return g.initializer(prefix + name, tensor(name));
}

void Layer::fail(const std::string& message) const {
  // The prefix without its trailing dot names the layer ("3" for "3.").
  std::string text = "ONNX export: layer ";
  if (prefix.empty()) text += "the model";
  else text.append("'").append(prefix, 0, prefix.size() - 1).append("'");
  throw Error(text + " (" + spec.type + "): " + message);
}

// ---- the tables ----

const OpTables& op_tables() {
  static const OpTables tables = [] {
    OpTables t;
    add_dense_ops(t);
    add_conv_ops(t);
    add_norm_ops(t);
    add_recurrent_ops(t);
    add_attention_ops(t);
    add_embedding_ops(t);
    return t;
  }();
  return tables;
}

}  // namespace myelin::onnx_io
