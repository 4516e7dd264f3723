#include <algorithm>

#include "myelin/error.hpp"
#include "onnx/op_table.hpp"

namespace myelin::onnx_io {

void ImportNode::fail(const std::string& message) const {
  throw Error("ONNX import: node " + std::to_string(index_) + " '" + node.name() + "' (" +
              node.op_type() + "): " + message);
}

const onnx::AttributeProto* ImportNode::find(const std::string& name) const {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

void ImportNode::allow_attributes(const std::vector<std::string>& known) const {
  for (const auto& a : node.attribute())
    if (std::find(known.begin(), known.end(), a.name()) == known.end())
      fail("attribute '" + a.name() + "' is not supported");
}

int64_t ImportNode::attr_int(const std::string& name, int64_t fallback) const {
  const auto* a = find(name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::INT) fail("attribute '" + name + "' must be an int");
  return a->i();
}

float ImportNode::attr_float(const std::string& name, float fallback) const {
  const auto* a = find(name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::FLOAT) fail("attribute '" + name + "' must be a float");
  return a->f();
}

std::string ImportNode::attr_string(const std::string& name, const std::string& fallback) const {
  const auto* a = find(name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::STRING) fail("attribute '" + name + "' must be a string");
  return a->s();
}

std::vector<int64_t> ImportNode::attr_ints(const std::string& name,
                                           const std::vector<int64_t>& fallback) const {
  const auto* a = find(name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::INTS) fail("attribute '" + name + "' must be a list of ints");
  return {a->ints().begin(), a->ints().end()};
}

std::vector<std::string> ImportNode::attr_strings(const std::string& name) const {
  const auto* a = find(name);
  if (!a) return {};
  if (a->type() != onnx::AttributeProto::STRINGS) fail("attribute '" + name + "' must be a list of strings");
  return {a->strings().begin(), a->strings().end()};
}

bool ImportNode::has_input(int i) const { return i < node.input_size() && !node.input(i).empty(); }

Tensor ImportNode::constant(int i) const {
  if (!has_input(i)) fail("input " + std::to_string(i) + " is missing");
  return constant_named(node.input(i));
}

Tensor ImportNode::constant_named(const std::string& name) const {
  const auto it = graph_.constants.find(name);
  if (it == graph_.constants.end())
    fail("input '" + name + "' must be a constant (an initializer), not computed by the graph");
  return it->second;
}

int64_t ImportNode::input_rank() const {
  if (!input_rank_known())
    fail("the rank of input '" + node.input(0) + "' is unknown (declare the graph input's shape)");
  return input_rank_;
}

void ImportNode::expect_input_rank(int64_t rank, const std::string& why) const {
  if (input_rank_known() && input_rank_ != rank)
    fail("input '" + node.input(0) + "' has rank " + std::to_string(input_rank_) + ", expected " +
         std::to_string(rank) + " (" + why + ")");
}

void ImportNode::add_layer(const nn::ModuleSpec& spec, const std::map<std::string, Tensor>& weights) {
  layers_.emplace_back(spec, weights);
}

const onnx::NodeProto* ImportNode::next_reading(const std::string& value, int input) const {
  const size_t i = index_ + taken_ + 1;
  if (i >= graph_.nodes.size()) return nullptr;
  const onnx::NodeProto* n = graph_.nodes[i];
  return n->input_size() > input && n->input(input) == value ? n : nullptr;
}

void ImportNode::take_next() {
  ++taken_;
  chain_output_ = 0;
}

ImportNode ImportNode::next_node() const {
  const size_t i = index_ + taken_ + 1;
  if (i >= graph_.nodes.size()) fail("a node must follow");
  return ImportNode(graph_, i, input_rank_);
}

void ImportNode::absorb(const ImportNode& inner) {
  taken_ += inner.nodes_taken();
  chain_output_ = inner.chain_output_;
  output_rank_ = inner.output_rank_;
  layers_.insert(layers_.end(), inner.layers_.begin(), inner.layers_.end());
}

std::string ImportNode::chain_value() const {
  const onnx::NodeProto& last = *graph_.nodes[index_ + taken_];
  if (chain_output_ >= last.output_size()) fail("output " + std::to_string(chain_output_) + " is missing");
  return last.output(chain_output_);
}

}  // namespace myelin::onnx_io
