#pragma once
// What an imported graph starts from: its opset and its one input, checked against what myelin
// can represent before any node is read.
#include <string>

#include "onnx/op_table.hpp"

namespace myelin::onnx_io {

/// The default domain's opset of `model` (0 when it imports none).
/// Throws Error when it is newer than kOnnxOpset, the newest the importer knows (a newer opset
/// may change what an op means), or when another domain's opset is imported and a node uses it.
int64_t checked_opset(const onnx::ModelProto& model);

/// ChainInput: the graph input the chain of nodes starts from.
struct ChainInput {
  std::string name;
  Shape shape;                    // as declared, -1 for a symbolic dimension; empty when undeclared
  int64_t rank = kUnknownRank;    // shape's size, or kUnknownRank when the shape is undeclared
  bool token_ids = false;         // an integer input: an Embedding's token ids
};

/// The one graph input of `g`'s graph that is not a constant.
/// Throws Error when there is none or more than one (naming them), when it is not a tensor, or
/// when its element type is not one whose values float32 holds (FLOAT, DOUBLE rounded, FLOAT16,
/// BFLOAT16, 8- and 16-bit integers) or, read by the first node as an Embedding's token ids (a
/// Gather's indices, or a Cast before one), INT64 or INT32. STRING, BOOL, complex and wider
/// integer inputs are refused.
ChainInput chain_input(const onnx::GraphProto& graph, const ImportGraph& g);

}  // namespace myelin::onnx_io
