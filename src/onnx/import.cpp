// import_onnx: reads the model, checks it, and walks its chain of nodes into a Sequential,
// running a zero input of the declared shape through each layer as it is built.
// ONNX's shape inference is not run on these untrusted graphs: libonnx 1.12's trusts attribute
// lengths and input ranks (onnx_fuzz found a null dereference in convPoolShapeInference for a
// Conv whose weight has more axes than its input). The importers check what they read
// themselves and carry ranks along the chain.
#include <onnx/checker.h>

#include <fstream>
#include <sstream>

#include "myelin/error.hpp"
#include "myelin/io/onnx.hpp"
#include "myelin/nn/sequential.hpp"
#include "onnx/graph_input.hpp"
#include "onnx/op_table.hpp"
#include "onnx/shape_probe.hpp"

namespace myelin::io {

namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Builds one imported layer and copies its weights in (strictly: names and shapes must fit).
nn::ModulePtr build_layer(const nn::ModuleSpec& spec, const std::map<std::string, Tensor>& weights) {
  nn::ModulePtr m = nn::build_module(spec);
  std::map<std::string, Tensor> state;
  for (const auto& [name, t] : m->state_dict()) state[name] = t;
  for (const auto& [name, t] : weights) {
    if (!state.count(name)) throw Error("ONNX import: " + spec.type + " has no tensor '" + name + "'");
    state[name] = t;
  }
  m->load_state_dict(state, true);
  return m;
}

}  // namespace

ImportedModel import_onnx(const std::string& path, const std::map<std::string, Tensor>& bound_inputs) {
  onnx::ModelProto model;
  if (!model.ParseFromString(read_bytes(path)))
    throw IoError(path + ": not an ONNX model (the protobuf message does not parse)");
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw IoError(path + ": not a valid ONNX model: " + e.what());
  }
  try {
    const onnx::GraphProto& graph = model.graph();
    onnx_io::ImportGraph g;
    g.opset = onnx_io::checked_opset(model);
    for (const auto& p : graph.initializer())
      g.constants[p.name()] = onnx_io::from_proto(p, "initializer '" + p.name() + "'");
    for (const auto& [name, t] : bound_inputs) g.constants[name] = t;
    for (const auto& n : graph.node()) {
      if (n.op_type() != "Constant") {
        g.nodes.push_back(&n);
        continue;
      }
      if (n.attribute_size() != 1 || n.attribute(0).name() != "value")
        throw Error("ONNX import: Constant node '" + n.name() + "' must hold a tensor 'value'");
      g.constants[n.output(0)] = onnx_io::from_proto(n.attribute(0).t(), "Constant '" + n.output(0) + "'");
    }

    // The chain starts at the graph's one input that is not a constant.
    const onnx_io::ChainInput input = onnx_io::chain_input(graph, g);
    ImportedModel result;
    result.input_shape = input.shape;
    std::string value = input.name;
    int64_t rank = input.rank;
    onnx_io::ShapeProbe probe(input);
    if (graph.output_size() == 0) throw Error("ONNX import: the graph has no output");

    auto seq = std::make_shared<nn::Sequential>();
    const auto& importers = onnx_io::op_tables().importers;
    for (size_t i = 0; i < g.nodes.size();) {
      onnx_io::ImportNode n(g, i, rank);
      // The chain runs through input 0, or through a Gather's indices (an embedding lookup).
      const int in = n.node.op_type() == "Gather" && n.node.input_size() > 1 && n.node.input(1) == value ? 1 : 0;
      if (n.node.input_size() <= in || n.node.input(in) != value)
        n.fail("the graph is not a chain: input 0 must be '" + value + "', the previous node's output");
      const auto it = importers.find(n.node.op_type());
      if (it == importers.end())
        n.fail("op type not supported (docs/interop.md lists the supported ones)");
      it->second(n);
      for (const auto& [spec, weights] : n.layers()) {
        nn::ModulePtr layer;
        try {
          layer = build_layer(spec, weights);
        } catch (const Error& e) {
          n.fail(e.what());
        }
        probe.pass(n, *layer);
        seq->push_back(layer);
      }
      value = n.chain_value();
      rank = n.output_rank();
      i += n.nodes_taken();
    }
    if (value != graph.output(0).name())
      throw Error("ONNX import: graph output '" + graph.output(0).name() +
                  "' is not the end of the node chain ('" + value + "')");
    seq->eval();
    result.module = seq;
    return result;
  } catch (const IoError&) {
    throw;
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
}

std::pair<std::string, Tensor> load_onnx_tensor(const std::string& path) {
  onnx::TensorProto p;
  if (!p.ParseFromString(read_bytes(path)))
    throw IoError(path + ": not an ONNX tensor (the protobuf message does not parse)");
  try {
    return {p.name(), onnx_io::from_proto(p, "tensor '" + p.name() + "'")};
  } catch (const Error& e) {
    throw IoError(path + ": " + e.what());
  }
}

}  // namespace myelin::io
