#include "viz/network_columns.hpp"

namespace myelin::viz {
namespace {

std::string detail_of(const nn::LayerSummary& l) {
  std::string d = (l.name.empty() ? "" : l.name + " ") + "(" + l.type + ")";
  return l.settings.empty() ? d : d + ": " + l.settings;
}

// Layers drawn as a tag on the column before them: shape-keeping layers without weights
// (activations, dropout) and normalisations, which act on each neuron or channel in place.
bool folds_into(const nn::LayerSummary& l, const Column& previous) {
  if (l.output_shape != previous.shape) return false;
  return l.num_parameters == 0 || l.type.find("Norm") != std::string::npos;
}

}  // namespace

std::vector<Column> network_columns(const nn::ModelSummary& s) {
  std::vector<Column> columns;
  Column input;
  input.kind = s.input_shape.size() == 1 ? Column::Kind::Neurons : Column::Kind::Box;
  input.type = "Input";
  input.shape = s.input_shape;
  input.detail = "input: " + myelin::to_string(s.input_shape) + " per sample";
  columns.push_back(input);

  for (const nn::LayerSummary& l : s.layers) {
    Column& previous = columns.back();
    const bool vector_out = l.output_shape.size() == 1;
    if (l.type != "Linear" && folds_into(l, previous)) {
      previous.tags.push_back(l.type);
      previous.tag_details.push_back(detail_of(l));
      continue;
    }
    Column c;
    c.type = l.type;
    c.shape = l.output_shape;
    c.parameters = l.num_parameters;
    c.detail = detail_of(l);
    if (vector_out && l.type == "Linear") {
      c.kind = Column::Kind::Neurons;
      c.fully_connected = previous.kind == Column::Kind::Neurons;
    } else if (vector_out && l.num_parameters == 0) {
      c.kind = Column::Kind::Neurons;  // a reshape to a vector, e.g. Flatten
    }
    columns.push_back(std::move(c));
  }
  return columns;
}

}  // namespace myelin::viz
