#pragma once
// ShapeProbe: checks the shapes through an imported chain by running a zero tensor of the
// graph input's declared shape through each layer as it is built, so a layer whose weights do
// not fit what reaches it (a Gemm of 7 inputs after one of 8 outputs) is refused at its node.
#include <optional>

#include "myelin/nn/module.hpp"
#include "onnx/graph_input.hpp"

namespace myelin::onnx_io {

class ShapeProbe {
 public:
  /// A probe of `input`'s declared shape, a symbolic dimension taken as 1. Inactive when the
  /// shape is undeclared. Throws Error when the declared shape has more than 2^24 elements
  /// (the importer does not run such inputs, and no real layer takes them).
  explicit ShapeProbe(const ChainInput& input);

  /// Runs `layer` (in eval mode, without gradients) on what reached node `n`, and keeps its
  /// output for the next layer. Throws Error through n.fail naming the shape that reached the
  /// node and the layer's complaint when the layer refuses it. With a symbolic dimension other
  /// than the first, a size of 1 may be what the layer refuses, so the probe stops quietly
  /// instead. Each layer may allocate at most 512 MiB here (a hostile graph cannot make the
  /// import take the machine's memory, and the time the check takes stays bounded with it).
  void pass(const ImportNode& n, nn::Module& layer);

 private:
  std::optional<Tensor> x_;     // what reaches the next layer; empty when inactive
  bool conclusive_ = true;      // whether a refusal means the graph is inconsistent
  Shape declared_;
};

}  // namespace myelin::onnx_io
