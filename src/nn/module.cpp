// Module: parameter/buffer registration, naming, state dicts and modes.
#include "myelin/nn/module.hpp"

#include "backend/backend.hpp"
#include "myelin/error.hpp"

namespace myelin::nn {
namespace {
thread_local const ForwardHook* t_forward_hook = nullptr;
}  // namespace

ScopedForwardHook::ScopedForwardHook(ForwardHook hook)
    : hook_(std::move(hook)), previous_(t_forward_hook) {
  t_forward_hook = &hook_;
}

ScopedForwardHook::~ScopedForwardHook() { t_forward_hook = previous_; }

Tensor Module::operator()(const Tensor& x) {
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
