#pragma once
// Reverse-mode automatic differentiation: a define-by-run tape of Nodes.
#include <cstdint>
#include <memory>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin {

/// Node: one recorded operation in the graph. `next[i]` is the node that receives the gradient
/// of input i (null when input i needs none). `apply` maps the gradient of the output to the
/// gradients of the inputs, one per entry of `next` (an undefined Tensor means zero).
/// A node holds only what its backward needs (the op decides what to save).
class Node {
 public:
  virtual ~Node() = default;
  virtual std::vector<Tensor> apply(const Tensor& grad_output) = 0;
  virtual const char* name() const = 0;
  std::vector<std::shared_ptr<Node>> next;
  uint64_t sequence = 0;  // creation order; later nodes run first in backward
};

/// True unless a NoGradGuard is alive on this thread.
bool grad_enabled();

/// NoGradGuard: while alive, ops on this thread record nothing and save nothing (inference).
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

/// Runs backward from `root` with gradient `grad` (shape of root); accumulates into leaves.
void run_backward(const Tensor& root, const Tensor& grad);

}  // namespace myelin
