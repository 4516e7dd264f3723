#pragma once
// How network_svg reads a model summary: the columns it draws, left to right.
#include <string>
#include <vector>

#include "myelin/nn/summary.hpp"

namespace myelin::viz {

// One drawn column: the input, or a layer that is not folded into the column before it.
struct Column {
  enum class Kind { Neurons, Box };
  Kind kind = Kind::Box;
  std::string type;  // "Input", "Linear", "Conv2d", ...
  Shape shape;       // per sample
  int64_t parameters = 0;
  bool fully_connected = false;   // joined to the previous column neuron to neuron
  std::string detail;             // "name (type): settings", shown on hover
  std::vector<std::string> tags;  // folded layers: "ReLU", "Dropout"
  std::vector<std::string> tag_details;
};

// The columns for `s`, following the rules in network_svg's spec (myelin/viz/network.hpp).
std::vector<Column> network_columns(const nn::ModelSummary& s);

}  // namespace myelin::viz
