#pragma once
// The op mapping tables: for each myelin layer type the function that writes it as ONNX nodes,
// for each ONNX op type the function that reads it as myelin layers. One small function per
// pair, grouped by family in dense.cpp, conv.cpp, norm.cpp, recurrent.cpp, attention.cpp and
// embedding.cpp.
#include <map>
#include <string>
#include <vector>

#include "onnx/proto.hpp"

#include "myelin/nn/module.hpp"

namespace myelin::onnx_io {

/// Value: a tensor in the graph being written, by name, with its rank when known (0: unknown).
struct Value {
  std::string name;
  int64_t rank = 0;
  bool token_ids = false;  // INT64 token ids (the graph input of a model that starts with an Embedding), else float
};

/// ExportGraph: the graph being written; exporters add initializers and nodes to it.
class ExportGraph {
 public:
  explicit ExportGraph(onnx::GraphProto& graph) : graph_(graph) {}
  /// Adds `t` as an initializer named `name` (a state-dict name); returns the name.
  std::string initializer(const std::string& name, const Tensor& t);
  /// Adds an INT64 constant (shapes, axes) under a fresh name; returns the name.
  std::string int64_constant(const std::vector<int64_t>& values);
  /// Adds a float32 scalar constant under a fresh name; returns the name.
  std::string float_constant(float value);
  /// Adds a node of `op` with `inputs` and `attrs`; returns its output's fresh name.
  std::string node(const std::string& op, const std::vector<std::string>& inputs,
                   const std::vector<onnx::AttributeProto>& attrs = {});
  /// Writes layer `m` (state-dict prefix `prefix`, "" at the top) applied to `x`.
  Value layer(const nn::Module& m, const std::string& prefix, const Value& x);

 private:
  std::string fresh(const std::string& stem);
  onnx::GraphProto& graph_;
  int64_t counter_ = 0;
};

/// Layer: what an exporter gets: the module, its spec and its state-dict prefix.
struct Layer {
  const nn::Module& module;
  nn::ModuleSpec spec;
  std::string prefix;  // "3." for child 3 of the top Sequential
  /// The module's own tensor `name` (e.g. "weight", "out_proj.bias") added as an initializer
  /// under its state-dict name; throws Error when the module has none of that name.
  std::string weight(ExportGraph& g, const std::string& name) const;
  /// Whether the module has a tensor `name`.
  bool has(const std::string& name) const;
  Tensor tensor(const std::string& name) const;
  /// Error "layer '<prefix>' (<type>): <message>".
  [[noreturn]] void fail(const std::string& message) const;
};

using ExportFn = Value (*)(const Layer& layer, const Value& x, ExportGraph& g);

/// ImportGraph: what the importer knows of the whole graph: its nodes in order and constant
/// values (initializers, Constant nodes, bound inputs).
struct ImportGraph {
  std::vector<const onnx::NodeProto*> nodes;
  std::map<std::string, Tensor> constants;
  int64_t opset = 0;  // of the default domain
};

/// kUnknownRank: the rank of a chain value whose graph input declares no shape.
inline constexpr int64_t kUnknownRank = -1;

/// ImportNode: one ONNX node being read, with access to constants and the nodes after it.
/// Ranks are the importer's own, carried along the chain from the graph input's declared
/// shape (ONNX's shape inference is not run: it crashes on hostile graphs, see
/// docs/reliability.md); an importer that changes the rank says so with set_output_rank.
class ImportNode {
 public:
  ImportNode(const ImportGraph& graph, size_t index, int64_t input_rank)
      : node(*graph.nodes[index]), graph_(graph), index_(index), input_rank_(input_rank),
        output_rank_(input_rank) {}

  const onnx::NodeProto& node;
  /// Error "node <index> '<name>' (<op>): <message>".
  [[noreturn]] void fail(const std::string& message) const;
  /// Throws when the node has an attribute outside `known`.
  void allow_attributes(const std::vector<std::string>& known) const;
  int64_t attr_int(const std::string& name, int64_t fallback) const;
  float attr_float(const std::string& name, float fallback) const;
  std::string attr_string(const std::string& name, const std::string& fallback) const;
  std::vector<int64_t> attr_ints(const std::string& name, const std::vector<int64_t>& fallback) const;
  std::vector<std::string> attr_strings(const std::string& name) const;
  int64_t opset() const { return graph_.opset; }
  /// Whether input `i` is given (present and not the empty name).
  bool has_input(int i) const;
  /// Input `i` as a constant; throws naming the input when it is missing or not constant.
  Tensor constant(int i) const;
  /// The constant value named `name` (e.g. an input of a node taken with take_next).
  Tensor constant_named(const std::string& name) const;
  /// The rank of input 0; throws when unknown.
  int64_t input_rank() const;
  bool input_rank_known() const { return input_rank_ != kUnknownRank; }
  /// Throws "input '<x>' has rank r, expected <rank> (<why>)" when the rank is known and differs.
  void expect_input_rank(int64_t rank, const std::string& why) const;
  /// The rank of the chain value after this layer (the input's unless set).
  void set_output_rank(int64_t rank) { output_rank_ = rank; }
  int64_t output_rank() const { return output_rank_; }

  /// Appends a layer built from `spec` with `weights` (local state-dict names) copied in;
  /// tensors not given keep their initial values (e.g. num_batches_tracked).
  void add_layer(const nn::ModuleSpec& spec, const std::map<std::string, Tensor>& weights = {});
  const std::vector<std::pair<nn::ModuleSpec, std::map<std::string, Tensor>>>& layers() const {
    return layers_;
  }

  /// The chain goes on from output `output` of this node, or (after take_next) of the last
  /// node taken. Recurrent ops use it to read ONNX's layout fix-ups as part of the layer.
  void set_chain_output(int output) { chain_output_ = output; }
  /// The node after the last one taken when it reads `value` as its input `input`, else null.
  const onnx::NodeProto* next_reading(const std::string& value, int input = 0) const;
  /// Takes that node into this layer; the chain continues from its output 0.
  void take_next();
  /// The node after the last one taken, to be read by its own importer as part of this layer
  /// (a batch-first recurrent layer starts with a Transpose); its input rank is this node's.
  ImportNode next_node() const;
  /// Takes `inner` (from next_node) into this layer: its nodes, layers, chain output and rank.
  void absorb(const ImportNode& inner);
  /// The chain's value after this layer, and how many nodes the layer took.
  std::string chain_value() const;
  size_t nodes_taken() const { return 1 + taken_; }

 private:
  const onnx::AttributeProto* find(const std::string& name) const;
  const ImportGraph& graph_;
  size_t index_;
  int64_t input_rank_, output_rank_;
  size_t taken_ = 0;
  int chain_output_ = 0;
  std::vector<std::pair<nn::ModuleSpec, std::map<std::string, Tensor>>> layers_;
};

using ImportFn = void (*)(ImportNode& n);

/// The tables, filled once by the family files' add_*_ops functions.
struct OpTables {
  std::map<std::string, ExportFn> exporters;  // by myelin type name
  std::map<std::string, ImportFn> importers;  // by ONNX op type
};
const OpTables& op_tables();

/// An empty spec of layer type `type`, for importers to fill.
inline nn::ModuleSpec spec_of(const std::string& type) {
  nn::ModuleSpec s;
  s.type = type;
  return s;
}

void add_dense_ops(OpTables& t);
void add_conv_ops(OpTables& t);
void add_norm_ops(OpTables& t);
void add_recurrent_ops(OpTables& t);
void add_attention_ops(OpTables& t);
void add_embedding_ops(OpTables& t);

/// Whether the model's first layer (through Sequentials' first children) is an Embedding: its
/// graph input is then INT64 token ids.
bool reads_token_ids(const nn::Module& m);

}  // namespace myelin::onnx_io
