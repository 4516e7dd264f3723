#pragma once
// Optimizer: the base of every optimizer (SGD, Adam, AdamW, RMSprop, Adagrad).
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::optim {

/// Optimizer: updates a fixed list of parameters in place from their gradients, outside
/// autograd. It owns the per-parameter state (a step count and the buffers its rule declares,
/// e.g. "exp_avg"), allocated once at construction, so step() allocates nothing.
///
/// Requires: parameters are defined, contiguous leaves that require a gradient, each listed once.
/// Ensures: step() updates each parameter whose grad() is defined and advances its step count;
/// a parameter without a gradient, and its state, are left untouched (as in PyTorch).
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  /// The learning rate. It is held at float32 precision, so a checkpoint restores it exactly.
  double lr() const { return lr_; }
  /// Requires: lr finite and >= 0 (else Error).
  void set_lr(double lr);

  /// One update of every parameter with a defined gradient. A gradient whose shape differs from
  /// its parameter throws ShapeError; a non-contiguous gradient is copied first.
  void step();
  /// Resets every gradient to undefined, so the next backward hands its buffer to the parameter
  /// without a copy.
  void zero_grad();

  const std::vector<Tensor>& parameters() const { return params_; }

  /// The state for a checkpoint: "lr", then per parameter i "i.step" (a 0-d tensor; exact up to
  /// 2^24 steps) and "i.<buffer>" for each buffer of the rule (e.g. "0.momentum_buffer").
  /// Buffers are the live tensors, not copies: clone them to keep a snapshot while training on.
  std::vector<std::pair<std::string, Tensor>> state() const;
  /// Restores what state() gave, copying values into this optimizer's buffers. Every entry must be
  /// present with its shape and no other entry may be (else Error naming the entry; nothing is
  /// changed then).
  void load_state(const std::map<std::string, Tensor>& state);

  /// The type, e.g. "Adam".
  virtual std::string type_name() const = 0;
  /// The settings for logs, e.g. "lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0".
  virtual std::string describe() const = 0;

 protected:
  /// At most this many buffers per parameter (Adam with amsgrad, centred RMSprop with momentum).
  static constexpr int kMaxBuffers = 3;

  /// What a rule sees for one parameter: n elements of the parameter, its gradient and its
  /// buffers (in the order they were added), all contiguous; `step` counts this update (1 first).
  struct Update {
    float* param;
    const float* grad;
    std::array<float*, kMaxBuffers> buffers;
    int64_t n;
    int64_t step;
    double lr;
  };

  /// `type` names the optimizer in errors (type_name() cannot be called from here).
  Optimizer(std::vector<Tensor> params, double lr, const std::string& type);
  /// Adds a per-parameter buffer named `name`, filled with `initial`; call from the subclass
  /// constructor. Returns its index in Update::buffers.
  int add_buffer(const std::string& name, float initial);
  /// The update rule: changes u.param (and the buffers) in place.
  virtual void update(const Update& u) = 0;

 private:
  std::string type_;
  std::vector<Tensor> params_;
  double lr_ = 0;
  std::vector<int64_t> steps_;               // per parameter
  std::vector<std::string> buffer_names_;    // per buffer kind
  std::vector<std::vector<Tensor>> buffers_;  // [parameter][buffer kind]
};

}  // namespace myelin::optim
