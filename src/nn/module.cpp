// Module: parameter/buffer registration, naming, state dicts and modes.
#include "myelin/nn/module.hpp"

#include <optional>

#include "backend/backend.hpp"
#include "myelin/anomaly.hpp"
#include "myelin/error.hpp"

namespace myelin::nn {
namespace {
thread_local const ForwardHook* t_forward_hook = nullptr;

// Under anomaly detection: the modules running on this thread, outermost first, with their
// dotted names ("" for the outermost), so that reports name the layer as its weights are named.
thread_local std::vector<std::pair<const Module*, std::string>> t_running;

// Names `m` for anomaly reports while it runs, e.g. "layer 'encoder.0' (Linear)".
class LayerScope {
 public:
  explicit LayerScope(const Module& m) : path_(path_of(m)) {
    t_running.emplace_back(&m, path_);
    scope_.emplace(path_.empty() ? "the model (" + m.type_name() + ")" : "layer '" + path_ + "' (" + m.type_name() + ")");
  }
  ~LayerScope() { t_running.pop_back(); }
  LayerScope(const LayerScope&) = delete;
  LayerScope& operator=(const LayerScope&) = delete;
  std::string name(const std::string& tensor) const { return path_.empty() ? tensor : path_ + "." + tensor; }

 private:
  static std::string path_of(const Module& m) {
    if (t_running.empty()) return "";
    const auto& [parent, parent_path] = t_running.back();
    for (const auto& [name, child] : parent->children())
      if (child.get() == &m) return parent_path.empty() ? name : parent_path + "." + name;
    return parent_path;  // run by a module that did not register it: name the one that runs it
  }
  std::string path_;
  std::optional<AnomalyScope> scope_;
};
}  // namespace

ScopedForwardHook::ScopedForwardHook(ForwardHook hook)
    : hook_(std::move(hook)), previous_(t_forward_hook) {
  t_forward_hook = &hook_;
}

ScopedForwardHook::~ScopedForwardHook() { t_forward_hook = previous_; }

bool layer_calls_observed() { return t_forward_hook != nullptr || anomaly_detection_enabled(); }

Tensor Module::operator()(const Tensor& x) {
  std::optional<LayerScope> layer;
  if (anomaly_detection_enabled()) {
    layer.emplace(*this);
    for (const auto& [name, t] : params_) check_finite(t, "parameter '" + layer->name(name) + "'");
    for (const auto& [name, t] : buffers_) check_finite(t, "buffer '" + layer->name(name) + "'");
  }
  Tensor y = forward(x);
  if (t_forward_hook) (*t_forward_hook)(*this, x, y);
  return y;
}

ModuleSpec Module::spec() const {
  ModuleSpec s;
  s.type = type_name();
  describe(s);
  for (const auto& [name, child] : children_) s.children.emplace_back(name, child->spec());
  return s;
}

Tensor Module::register_parameter(const std::string& name, Tensor t) {
  t.requires_grad_(true);
  params_.emplace_back(name, t);
  return t;
}

Tensor Module::register_buffer(const std::string& name, Tensor t) {
  buffers_.emplace_back(name, t);
  return t;
}

void Module::collect(const std::string& prefix, bool params, bool buffers,
                     std::vector<std::pair<std::string, Tensor>>& out) const {
  if (params)
    for (const auto& [name, t] : params_) out.emplace_back(prefix + name, t);
  if (buffers)
    for (const auto& [name, t] : buffers_) out.emplace_back(prefix + name, t);
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", params, buffers, out);
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters() const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", true, false, out);
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_parameters()) out.push_back(t);
  return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers() const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", false, true, out);
  return out;
}

std::vector<std::pair<std::string, Tensor>> Module::state_dict() const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", true, true, out);
  return out;
}

void Module::load_state_dict(const std::map<std::string, Tensor>& state, bool strict) {
  size_t used = 0;
  for (auto& [name, t] : state_dict()) {
    auto it = state.find(name);
    if (it == state.end()) {
      if (strict) throw Error("load_state_dict: missing tensor '" + name + "' of shape " + to_string(t.shape()));
      continue;
    }
    if (it->second.shape() != t.shape())
      throw ShapeError("load_state_dict: tensor '" + name + "' has shape " + to_string(it->second.shape()) +
                       ", the model expects " + to_string(t.shape()));
    Tensor dst = t;
    backend::copy(it->second, dst);
    ++used;
  }
  if (strict && used != state.size()) {
    std::map<std::string, bool> known;
    for (auto& [name, t] : state_dict()) known[name] = true;
    for (auto& [name, t] : state)
      if (!known.count(name)) throw Error("load_state_dict: unexpected tensor '" + name + "' (not in the model)");
  }
}

int64_t Module::num_parameters() const {
  int64_t n = 0;
  for (auto& [name, t] : named_parameters()) n += t.numel();
  return n;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
  for (auto& [name, t] : named_parameters()) t.set_grad(Tensor());
}

}  // namespace myelin::nn
