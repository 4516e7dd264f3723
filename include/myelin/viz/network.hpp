#pragma once
// A picture of a network as SVG: layers of neurons joined by their weights.
#include <string>
#include <vector>

#include "myelin/nn/summary.hpp"

namespace myelin::viz {

/// What network_svg draws.
struct NetworkDrawOptions {
  std::string title;  ///< "" gives "Network: <model type>"
  /// Circles drawn per column at most; a larger layer shows its first and last neurons with
  /// "⋮" between and its true size written under it. At least 3.
  int max_neurons = 10;
  std::vector<std::string> input_names;   ///< optional labels beside the input neurons
  std::vector<std::string> output_names;  ///< optional labels beside the output neurons (classes)
};

/// An SVG picture (complete document text) of the model that `summary` describes, left to right:
/// - the input, each Linear layer and each Flatten as a column of neurons (circles), labelled
///   with its type, its size ("512 neurons") and its parameter count; consecutive columns joined
///   by a Linear layer are connected neuron to neuron (its weights);
/// - a layer that keeps its input's shape and has no parameters (activations, Dropout) or is a
///   normalisation ("...Norm...") is written as a tag ("ReLU") on the column it follows;
/// - the layers of a residual block (named "<block>.body.*" and "<block>.shortcut.*") as one box
///   "Residual" with the body's output shape, the block's parameters, the inner layers on hover,
///   and a tag for what is added: "+ x" (the identity) or "+ Conv2d(x)" (a projection);
/// - any other layer (Conv2d, pools, LSTM, layers the drawer does not know) as a box labelled
///   with its type and per-sample output shape ("Conv2d 32×26×26"), joined to its neighbours by
///   an arrow; boxes are taller for larger feature maps;
/// - a title and a caption with the parameter, size and FLOP totals.
/// Requires: options.max_neurons >= 3 (Error otherwise).
/// Ensures: the same input gives the same bytes; all text is XML-escaped. Never fails on an
/// unknown layer type or shape.
std::string network_svg(const nn::ModelSummary& summary, const NetworkDrawOptions& options = {});

}  // namespace myelin::viz
