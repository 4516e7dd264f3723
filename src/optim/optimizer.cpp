// The optimizer base: parameters, per-parameter state, and the step loop that hands each
// parameter to the subclass's update rule.
#include "myelin/optim/optimizer.hpp"

#include <cmath>
#include <set>

#include "myelin/error.hpp"
#include "optim/scalars.hpp"

namespace myelin::optim {

Optimizer::Optimizer(std::vector<Tensor> params, double lr, const std::string& type)
    : type_(type), params_(std::move(params)), steps_(params_.size(), 0),
      buffers_(params_.size()) {
  if (params_.empty()) throw Error(type_ + ": got an empty parameter list");
  std::set<const myelin::detail::TensorImpl*> seen;
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor& p = params_[i];
    const std::string which = type_ + ": parameter " + std::to_string(i);
    if (!p.defined()) throw Error(which + " is undefined");
    if (!p.is_leaf() || !p.requires_grad())
      throw Error(which + " must be a leaf that requires grad (call requires_grad_())");
    if (!p.is_contiguous())
      throw Error(which + " of shape " + to_string(p.shape()) + " is not contiguous");
    if (!seen.insert(p.impl().get()).second) throw Error(which + " is listed twice");
  }
  set_lr(lr);
}

void Optimizer::set_lr(double lr) {
  detail::check_setting(std::isfinite(lr) && lr >= 0, type_, "lr", lr, "finite and >= 0");
  lr_ = static_cast<float>(lr);
}

int Optimizer::add_buffer(const std::string& name, float initial) {
  if (buffer_names_.size() == static_cast<size_t>(kMaxBuffers))
    throw Error(type_ + ": more than " + std::to_string(kMaxBuffers) + " buffers per parameter");
  buffer_names_.push_back(name);
  for (size_t i = 0; i < params_.size(); ++i)
    buffers_[i].push_back(Tensor::full(params_[i].shape(), initial));
  return static_cast<int>(buffer_names_.size()) - 1;
}

void Optimizer::step() {
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor& p = params_[i];
    Tensor g = p.grad();
    if (!g.defined()) continue;
    if (g.shape() != p.shape())
      throw ShapeError(type_ + ".step: gradient of parameter " + std::to_string(i) +
                       " has shape " + to_string(g.shape()) + ", the parameter " +
                       to_string(p.shape()));
    g = g.contiguous();
    Update u{p.data(), g.data(), {}, p.numel(), ++steps_[i], lr_};
    for (size_t b = 0; b < buffers_[i].size(); ++b) u.buffers[b] = buffers_[i][b].data();
    update(u);
  }
}

void Optimizer::zero_grad() {
  for (Tensor& p : params_) p.set_grad(Tensor());
}

std::vector<std::pair<std::string, Tensor>> Optimizer::state() const {
  std::vector<std::pair<std::string, Tensor>> out;
  out.emplace_back("lr", Tensor::scalar(static_cast<float>(lr_)));
  for (size_t i = 0; i < params_.size(); ++i) {
    const std::string prefix = std::to_string(i) + ".";
    out.emplace_back(prefix + "step", Tensor::scalar(static_cast<float>(steps_[i])));
    for (size_t b = 0; b < buffer_names_.size(); ++b)
      out.emplace_back(prefix + buffer_names_[b], buffers_[i][b]);
  }
  return out;
}

void Optimizer::load_state(const std::map<std::string, Tensor>& state) {
  detail::check_state(state, this->state(), type_);
  std::vector<int64_t> steps(params_.size());
  for (size_t i = 0; i < params_.size(); ++i) {
    const std::string key = std::to_string(i) + ".step";
    steps[i] = detail::to_count(state.at(key).item(), type_, key);
  }
  const float lr = state.at("lr").item();
  detail::check_setting(std::isfinite(lr) && lr >= 0, type_ + ".load_state", "entry 'lr'", lr,
                        "finite and >= 0");
  // All checked: now change this optimizer.
  lr_ = lr;
  steps_ = std::move(steps);
  for (size_t i = 0; i < params_.size(); ++i)
    for (size_t b = 0; b < buffer_names_.size(); ++b)
      buffers_[i][b].copy_(state.at(std::to_string(i) + "." + buffer_names_[b]));
}

}  // namespace myelin::optim
