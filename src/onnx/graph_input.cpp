// The opset and the graph input an import starts from, refused when myelin cannot represent them.
#include "onnx/graph_input.hpp"

#include "myelin/error.hpp"
#include "myelin/io/onnx.hpp"

namespace myelin::onnx_io {
namespace {

bool is_default_domain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

// Values float32 holds (DOUBLE rounded): myelin reads these inputs as float32.
bool is_float_type(int32_t type) {
  switch (type) {
    case onnx::TensorProto::FLOAT:
    case onnx::TensorProto::DOUBLE:
    case onnx::TensorProto::FLOAT16:
    case onnx::TensorProto::BFLOAT16:
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::UINT16:
      return true;
    default:
      return false;
  }
}

bool is_token_id_type(int32_t type) { return type == onnx::TensorProto::INT64 || type == onnx::TensorProto::INT32; }

std::string type_name(int32_t type) {
  const std::string name = onnx::TensorProto::DataType_IsValid(type)
                               ? onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(type))
                               : "";
  return name.empty() ? "type " + std::to_string(type) : name;
}

// Whether the first node reads `input` as an Embedding's token ids: as a Gather's indices, or
// through a Cast to an integer type (which the Cast importer checks is followed by a Gather).
bool read_as_token_ids(const ImportGraph& g, const std::string& input) {
  if (g.nodes.empty()) return false;
  const onnx::NodeProto& first = *g.nodes.front();
  if (first.op_type() == "Gather") return first.input_size() > 1 && first.input(1) == input;
  return first.op_type() == "Cast" && first.input_size() > 0 && first.input(0) == input;
}

}  // namespace

int64_t checked_opset(const onnx::ModelProto& model) {
  int64_t opset = 0;
  for (const auto& o : model.opset_import())
    if (is_default_domain(o.domain())) opset = o.version();
  if (opset > io::kOnnxOpset)
    throw Error("ONNX import: the model uses opset " + std::to_string(opset) + ", newer than opset " +
                std::to_string(io::kOnnxOpset) + ", the newest this importer knows (ops may mean something else "
                "there); export the model for opset " + std::to_string(io::kOnnxOpset) + " or older");
  const auto& nodes = model.graph().node();
  for (int i = 0; i < nodes.size(); ++i)
    if (!is_default_domain(nodes[i].domain()))
      throw Error("ONNX import: node " + std::to_string(i) + " '" + nodes[i].name() + "' (" + nodes[i].op_type() +
                  "): ops of domain '" + nodes[i].domain() + "' are not supported (only ONNX's own ops are)");
  return opset;
}

ChainInput chain_input(const onnx::GraphProto& graph, const ImportGraph& g) {
  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const auto& v : graph.input())
    if (!g.constants.count(v.name())) inputs.push_back(&v);
  if (inputs.empty()) throw Error("ONNX import: the graph has no input that is not a constant");
  if (inputs.size() > 1) {
    std::string names;
    for (size_t i = 0; i < inputs.size() && i < 5; ++i) names += (i ? ", '" : "'") + inputs[i]->name() + "'";
    if (inputs.size() > 5) names += ", ...";
    throw Error("ONNX import: the graph has " + std::to_string(inputs.size()) + " inputs that are not constants (" +
                names + "); myelin's models take one input (a chain of layers from it)");
  }
  const onnx::ValueInfoProto& v = *inputs.front();
  const std::string where = "ONNX import: graph input '" + v.name() + "'";
  if (!v.type().has_tensor_type()) throw Error(where + " is not a tensor; myelin's models take a tensor");
  const auto& type = v.type().tensor_type();
  const int32_t elem = type.elem_type();
  ChainInput in;
  in.name = v.name();
  in.token_ids = is_token_id_type(elem) && read_as_token_ids(g, v.name());
  if (!is_float_type(elem) && !in.token_ids)
    throw Error(where + " holds " + type_name(elem) +
                " values; myelin's layers take float32 (read from FLOAT, DOUBLE, FLOAT16, BFLOAT16 or 8- and "
                "16-bit integers), or INT64 or INT32 token ids read by a first Gather (an Embedding)");
  if (type.has_shape()) {
    in.rank = type.shape().dim_size();
    for (const auto& d : type.shape().dim()) in.shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
  }
  return in;
}

}  // namespace myelin::onnx_io
