#pragma once
// How an op joins the graph: compute the output, then `record` it with a backward closure.
//
//   Tensor y = ...forward...;
//   return record("relu", {x}, y, [ys = saved(y)](const Tensor& g) {
//     return Grads{...gradient of x...};
//   });
//
// The closure is kept only when some input requires a gradient and grad mode is on; it must
// capture just what backward reads. Save an op's own output with `saved(y)` (a handle without
// the graph link), or the node would own itself.
#include <initializer_list>
#include <span>
#include <utility>
#include <vector>

#include "myelin/anomaly.hpp"
#include "myelin/autograd.hpp"
#include "myelin/tensor.hpp"

namespace myelin::autograd {

using Grads = std::vector<Tensor>;

// The node that receives gradients for `t`: its grad_fn, a leaf's accumulator, or null.
std::shared_ptr<Node> gradient_edge(const Tensor& t);
uint64_t next_sequence();

inline Tensor saved(const Tensor& t) { return t.detach(); }

template <class Backward>
class FunctionNode final : public Node {
 public:
  FunctionNode(const char* name, Backward backward) : name_(name), backward_(std::move(backward)) {}
  std::vector<Tensor> apply(const Tensor& grad_output) override { return backward_(grad_output); }
  const char* name() const override { return name_; }

 private:
  const char* name_;
  Backward backward_;
};

// Attaches `backward` to `out` as its grad_fn when any of `inputs` requires a gradient.
// `backward` returns one gradient per input, in order (undefined = none).
// Under DetectAnomaly: checks an op's forward output (see check_finite), and remembers for
// backward's reports which scope recorded `node`.
void check_forward(const char* op, const Tensor& out);
void remember_scope(const Node* node);
// The scope that recorded `node` ("" if none was remembered); forgets it.
std::string recorded_scope(const Node* node);

template <class Backward>
Tensor record(const char* name, std::span<const Tensor> inputs, Tensor out, Backward&& backward) {
  if (anomaly_detection_enabled()) check_forward(name, out);
  bool needed = false;
  if (grad_enabled())
    for (const Tensor& t : inputs) needed = needed || (t.defined() && t.requires_grad());
  if (!needed) return out;
  auto node = std::make_shared<FunctionNode<std::decay_t<Backward>>>(
      name, std::forward<Backward>(backward));
  node->next.reserve(inputs.size());
  for (const Tensor& t : inputs) node->next.push_back(t.defined() ? gradient_edge(t) : nullptr);
  node->sequence = next_sequence();
  if (anomaly_detection_enabled()) remember_scope(node.get());
  out.impl()->grad_fn = std::move(node);
  out.impl()->requires_grad = true;
  return out;
}

template <class Backward>
Tensor record(const char* name, std::initializer_list<Tensor> inputs, Tensor out,
              Backward&& backward) {
  return record(name, std::span<const Tensor>(inputs.begin(), inputs.size()), std::move(out),
                std::forward<Backward>(backward));
}

}  // namespace myelin::autograd
