#pragma once
// ONNX export and import: a module as an ONNX model (opset 17) for serving elsewhere, and an
// ONNX model's chain of supported ops as a myelin module that predicts and trains on.
// docs/interop.md lists the ops each way.
#include <map>
#include <string>
#include <utility>

#include "myelin/nn/module.hpp"
#include "myelin/tensor.hpp"

namespace myelin::io {

/// The ONNX opset export writes (ONNX 1.12's newest, the first with LayerNormalization).
inline constexpr int64_t kOnnxOpset = 17;

/// Writes `module` as an ONNX model to `path`: one graph input "input" of `input_shape` (a
/// dimension < 1 is left symbolic, e.g. {-1, 1, 28, 28} for any batch), one output "output",
/// the weights as initializers under their state-dict names, each layer as the ONNX ops that
/// compute it in evaluation mode (Dropout as an inference-mode Dropout, i.e. the identity).
/// The model is validated with ONNX's checker before it is written (atomically).
/// Throws Error naming the layer (its state-dict prefix and type) that ONNX cannot express or
/// this exporter does not know, IoError starting with `path` when it cannot be written.
void export_onnx(const std::string& path, const nn::Module& module, const Shape& input_shape);

/// ImportedModel: an ONNX model read as a myelin module.
struct ImportedModel {
  nn::ModulePtr module;  // a Sequential of the imported layers, in eval mode
  Shape input_shape;     // the graph input's shape as declared, -1 for symbolic dimensions
};

/// Reads an ONNX model whose graph is a chain: each node consumes the previous node's output
/// (the graph's first input for the first) plus constants (initializers, Constant nodes, or
/// graph inputs given in `bound_inputs`, as ONNX's node test cases pass weights), and the graph
/// output 0 is the end of the chain (other graph outputs are not produced). Each node becomes a
/// layer (a Gemm a Linear, an LSTM an LSTM, ...) holding the weights, so the module predicts as
/// the ONNX model does and can be fine-tuned.
/// Shapes are checked through the whole chain: a zero input of the graph input's declared shape
/// (a symbolic dimension taken as 1) runs through each layer as it is built, so weights that do
/// not fit what reaches them are an error at their node. (With a symbolic dimension other than
/// the first, a layer refusing size 1 ends the check instead.)
/// Refused before any node is read: more than one graph input that is not a constant, an input
/// that is not a tensor of float32-representable values (or of INT64/INT32 token ids read by a
/// first Gather), a declared input of more than 2^24 elements, an opset newer than kOnnxOpset,
/// ops of another domain.
/// Throws IoError starting with `path` when the file is not a valid ONNX model; Error starting
/// with `path` and naming the node (index, name, op type) and the attribute, input or shape at
/// fault, or the graph input, when the graph is outside what myelin expresses.
ImportedModel import_onnx(const std::string& path,
                          const std::map<std::string, Tensor>& bound_inputs = {});

/// Reads one serialized ONNX TensorProto (as the node test cases' input_*.pb / output_*.pb) of
/// float, double, an integer type or bool: its name and its value converted to float32.
/// Throws IoError starting with `path` when it is malformed or holds another type.
std::pair<std::string, Tensor> load_onnx_tensor(const std::string& path);

}  // namespace myelin::io
