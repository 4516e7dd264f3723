#include "viz/network_columns.hpp"

#include <algorithm>

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

// The residual block a layer belongs to (its name up to ".body." or ".shortcut.", the outermost
// such block), and which branch; "" outside blocks.
struct Branch {
  std::string block, branch;
};
Branch branch_of(const std::string& name) {
  const std::string dotted = "." + name;
  size_t at = std::string::npos;
  for (const char* b : {".body.", ".shortcut."}) at = std::min(at, dotted.find(b));
  if (at == std::string::npos || at == 0) return {};
  const size_t end = dotted.find('.', at + 1);
  return {name.substr(0, at - 1), dotted.substr(at + 1, end - at - 1)};
}

// One box for the layers of a residual block, rows [begin, end) of `s`: the body's output shape,
// all parameters, the inner layers on hover, and a tag saying what is added ("+ x" for the
// identity, "+ Conv2d(x)" for a projection).
Column residual_column(const nn::ModelSummary& s, size_t begin, size_t end, const std::string& block) {
  Column c;
  c.type = "Residual";
  std::string body, shortcut;
  for (size_t i = begin; i < end; ++i) {
    const nn::LayerSummary& l = s.layers[i];
    c.parameters += l.num_parameters;
    std::string& list = branch_of(l.name).branch == "body" ? body : shortcut;
    list += (list.empty() ? "" : ", ") + l.type;
    if (&list == &body) c.shape = l.output_shape;
  }
  c.detail = block + " (Residual): body " + body + "; shortcut " + (shortcut.empty() ? "identity" : shortcut);
  c.tags.push_back(shortcut.empty() ? "+ x" : "+ " + shortcut.substr(0, shortcut.find(',')) + "(x)");
  c.tag_details.push_back(c.detail);
  return c;
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

  for (size_t i = 0; i < s.layers.size(); ++i) {
    const nn::LayerSummary& l = s.layers[i];
    if (const std::string block = branch_of(l.name).block; !block.empty()) {
      size_t end = i + 1;
      while (end < s.layers.size() && branch_of(s.layers[end].name).block == block) ++end;
      columns.push_back(residual_column(s, i, end, block));
      i = end - 1;
      continue;
    }
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
