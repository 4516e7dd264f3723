#pragma once
// summary(): a Keras-style table of a model's layers, output shapes, parameters and FLOPs.
#include <cstdint>
#include <string>
#include <vector>

#include "myelin/nn/module.hpp"

namespace myelin::nn {

/// One layer (a module without children) as seen in one forward call.
struct LayerSummary {
  std::string name;          // qualified name as in the state dict ("1.0"); "" for a lone root
  std::string type;          // type_name()
  Shape output_shape;        // per sample: the batch-1 output's shape without its first dimension
  int64_t num_parameters;    // the layer's own parameter elements
  int64_t flops;             // Module::flops per sample
  std::string settings;      // extra_repr()
};

/// ModelSummary: the layers in the order they ran, and totals over the whole model.
/// Parameters owned directly by a container are in the totals but in no row; a layer called
/// twice has two rows.
struct ModelSummary {
  std::string type;              // the model's type_name()
  Shape input_shape;             // per sample, as given
  Shape output_shape;            // per sample
  std::vector<LayerSummary> layers;
  int64_t total_parameters = 0;
  int64_t trainable_parameters = 0;  // those with requires_grad
  int64_t total_flops = 0;           // per sample, summed over the rows
};

/// Runs `model` once on a zero batch of one sample of `input_shape` (without the batch
/// dimension) under NoGradGuard and in evaluation mode, recording every layer that runs
/// (through Module::operator(), see ScopedForwardHook), also inside custom containers.
/// Ensures: the model's train/eval modes, parameters and gradients are as before (in eval mode
/// dropout draws no random numbers). A forward error is rethrown (same type) naming the input shape
/// and the last layer that ran.
ModelSummary summary(Module& model, const Shape& input_shape);

/// An aligned table: "Layer (type) | Output shape | Param # | FLOPs | Settings", a row per
/// layer with the batch dimension shown as N, then the totals (with the float32 size in MB).
std::string to_string(const ModelSummary& s);
// Keeps myelin::to_string(Shape / Tensor) visible inside myelin::nn beside the overload above.
using myelin::to_string;

}  // namespace myelin::nn
