// summary(): one batch-1 forward with a forward hook that records each layer's output shape.
#include "myelin/nn/summary.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "myelin/autograd.hpp"
#include "myelin/error.hpp"

namespace myelin::nn {
namespace {

// Every module's qualified name, and the modules in pre-order (parents before children).
void walk(Module& m, const std::string& name, std::map<const Module*, std::string>& names,
          std::vector<Module*>& order) {
  names.emplace(&m, name);
  order.push_back(&m);
  for (const auto& [child_name, child] : m.children())
    walk(*child, name.empty() ? child_name : name + "." + child_name, names, order);
}

// Puts the model in eval mode and gives each module its own mode back when it ends.
class EvalModeScope {
 public:
  explicit EvalModeScope(const std::vector<Module*>& modules) {
    for (Module* m : modules) modes_.emplace_back(m, m->is_training());
    if (!modules.empty()) modules.front()->eval();
  }
  ~EvalModeScope() {
    // Pre-order: a parent's recursive train() is corrected by its children's own calls after it.
    for (auto& [m, training] : modes_) m->train(training);
  }
  EvalModeScope(const EvalModeScope&) = delete;
  EvalModeScope& operator=(const EvalModeScope&) = delete;

 private:
  std::vector<std::pair<Module*, bool>> modes_;
};

Shape per_sample(const Shape& batch_shape) {
  return batch_shape.empty() ? Shape{} : Shape(batch_shape.begin() + 1, batch_shape.end());
}

std::string batch_shape_text(const Shape& per_sample_shape) {
  std::string s = "(N";
  for (int64_t d : per_sample_shape) s += ", " + std::to_string(d);
  return s + (per_sample_shape.empty() ? ",)" : ")");
}

// 535818 -> "535,818".
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string layer_label(const LayerSummary& l) {
  return (l.name.empty() ? "" : l.name + " ") + "(" + l.type + ")";
}

// Re-throws the active myelin error with the summary's context, keeping its type.
[[noreturn]] void rethrow_with_context(const std::string& context) {
  try {
    throw;
  } catch (const ShapeError& e) {
    throw ShapeError(context + e.what());
  } catch (const Error& e) {
    throw Error(context + e.what());
  }
}

}  // namespace

ModelSummary summary(Module& model, const Shape& input_shape) {
  for (int64_t d : input_shape)
    if (d < 0) throw ShapeError("summary: input shape " + myelin::to_string(input_shape) + " has a negative size");
  std::map<const Module*, std::string> names;
  std::vector<Module*> order;
  walk(model, "", names, order);

  ModelSummary s;
  s.type = model.type_name();
  s.input_shape = input_shape;
  ScopedForwardHook hook([&](const Module& m, const Tensor& in, const Tensor& out) {
    if (!m.children().empty()) return;  // containers: their layers have rows
    auto it = names.find(&m);
    s.layers.push_back({it == names.end() ? "" : it->second, m.type_name(), per_sample(out.shape()),
                        m.num_parameters(), m.flops(in.shape(), out.shape()), m.extra_repr()});
  });
  Shape batch_shape{1};
  batch_shape.insert(batch_shape.end(), input_shape.begin(), input_shape.end());
  Tensor out;
  {
    EvalModeScope eval_mode(order);
    NoGradGuard no_grad;
    try {
      out = model(Tensor::zeros(batch_shape));
    } catch (const Error&) {
      rethrow_with_context("summary: forward of input " + batch_shape_text(input_shape) + " failed" +
                           (s.layers.empty() ? "" : " after layer " + layer_label(s.layers.back())) +
                           ": ");
    }
  }
  s.output_shape = per_sample(out.shape());
  for (const auto& [name, p] : model.named_parameters()) {
    s.total_parameters += p.numel();
    if (p.requires_grad()) s.trainable_parameters += p.numel();
  }
  for (const LayerSummary& l : s.layers) s.total_flops += l.flops;
  return s;
}

std::string to_string(const ModelSummary& s) {
  const std::vector<std::string> header = {"Layer (type)", "Output shape", "Param #", "FLOPs", "Settings"};
  const bool right_aligned[] = {false, false, true, true, false};
  std::vector<std::vector<std::string>> rows;
  for (const LayerSummary& l : s.layers)
    rows.push_back({layer_label(l), batch_shape_text(l.output_shape), grouped(l.num_parameters),
                    grouped(l.flops), l.settings});

  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& r : rows) width[c] = std::max(width[c], r[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(width[c] - cells[c].size(), ' ');
      out += right_aligned[c] ? pad + cells[c] : cells[c] + (c + 1 < cells.size() ? pad : "");
      if (c + 1 < cells.size()) out += "   ";
    }
    out.erase(out.find_last_not_of(' ') + 1);
    return out + "\n";
  };
  size_t total_width = 3 * (header.size() - 1);
  for (size_t w : width) total_width += w;
  const std::string thin(total_width, '-'), thick(total_width, '=');

  char megabytes[32];
  std::snprintf(megabytes, sizeof megabytes, "%.2f MB",
                static_cast<double>(s.total_parameters) * sizeof(float) / (1024.0 * 1024.0));
  std::string out = "Model: " + s.type + ", input " + batch_shape_text(s.input_shape) + "\n";
  out += thin + "\n" + line(header) + thick + "\n";
  for (const auto& r : rows) out += line(r);
  out += thick + "\n";
  out += "Output shape: " + batch_shape_text(s.output_shape) + "\n";
  out += "Total params: " + grouped(s.total_parameters) + " (" + megabytes + ")\n";
  out += "Trainable params: " + grouped(s.trainable_parameters) + "\n";
  out += "Non-trainable params: " + grouped(s.total_parameters - s.trainable_parameters) + "\n";
  out += "FLOPs per sample: " + grouped(s.total_flops) + "\n";
  return out;
}

}  // namespace myelin::nn
