// The backward pass: order the graph reachable from the root, then run each node once all the
// gradients flowing into it have been summed.
#include <atomic>
#include <string>
#include <unordered_map>

#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin {
namespace {

thread_local bool t_grad_enabled = true;
std::atomic<uint64_t> g_sequence{0};

// The sink of a leaf: adds incoming gradients into leaf.grad.
class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(const std::shared_ptr<detail::TensorImpl>& leaf) : leaf_(leaf) {}
  const char* name() const override { return "AccumulateGrad"; }
  std::vector<Tensor> apply(const Tensor& g) override {
    auto leaf = leaf_.lock();
    if (!leaf) return {};
    if (g.shape() != leaf->shape)
      throw ShapeError("backward: gradient of shape " + to_string(g.shape()) +
                       " for a leaf of shape " + to_string(leaf->shape));
    if (!leaf->grad) {
      // Take ownership when nothing else sees the buffer; otherwise copy.
      const bool owned = g.is_contiguous() && g.impl()->storage.use_count() == 1 && g.offset() == 0;
      leaf->grad = owned ? g.detach().impl() : g.contiguous().detach().impl();
    } else {
      Tensor acc(leaf->grad);
      backend::binary(backend::Binary::Add, acc, g, acc);
    }
    return {};
  }

 private:
  std::weak_ptr<detail::TensorImpl> leaf_;
};

}  // namespace

bool grad_enabled() { return t_grad_enabled; }
NoGradGuard::NoGradGuard() : previous_(t_grad_enabled) { t_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { t_grad_enabled = previous_; }

namespace autograd {

uint64_t next_sequence() { return g_sequence.fetch_add(1, std::memory_order_relaxed); }

std::shared_ptr<Node> gradient_edge(const Tensor& t) {
  if (!t.requires_grad()) return nullptr;
  if (t.grad_fn()) return t.grad_fn();
  auto& acc = t.impl()->grad_accumulator;
  if (!acc) acc = std::make_shared<AccumulateGrad>(t.impl());
  return acc;
}

}  // namespace autograd

void run_backward(const Tensor& root, const Tensor& grad) {
  if (!root.requires_grad())
    throw Error("backward: the tensor does not require grad (no parameter led to it)");
  if (grad.shape() != root.shape())
    throw ShapeError("backward: gradient shape " + to_string(grad.shape()) +
                     " does not match tensor shape " + to_string(root.shape()));
  NoGradGuard no_grad;  // backward formulas are not themselves recorded
  std::shared_ptr<Node> start = autograd::gradient_edge(root);

  // Count, for each node, how many edges of the reachable graph point into it.
  std::unordered_map<Node*, int> pending;
  std::vector<Node*> stack{start.get()};
  pending[start.get()] = 0;
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const auto& next : n->next) {
      if (!next) continue;
      auto [it, inserted] = pending.try_emplace(next.get(), 0);
      ++it->second;
      if (inserted) stack.push_back(next.get());
    }
  }

  std::unordered_map<Node*, Tensor> grads;
  grads[start.get()] = grad;
  std::vector<Node*> ready{start.get()};
  while (!ready.empty()) {
    Node* n = ready.back();
    ready.pop_back();
    // A node whose inputs all sent "no gradient" still runs, so its successors get released.
    Tensor g;
    if (auto it = grads.find(n); it != grads.end()) {
      g = std::move(it->second);
      grads.erase(it);
    }
    std::vector<Tensor> input_grads = g.defined() ? n->apply(g) : std::vector<Tensor>{};
    if (anomaly_detection_enabled()) {
      AnomalyScope scope(autograd::recorded_scope(n));  // report where the op ran in forward
      for (size_t i = 0; i < input_grads.size(); ++i)
        check_finite(input_grads[i], "the gradient from the backward of op '" + std::string(n->name()) +
                                         "' for its input " + std::to_string(i));
    }
    for (size_t i = 0; i < n->next.size(); ++i) {
      Node* next = n->next[i].get();
      if (!next) continue;
      if (i < input_grads.size() && input_grads[i].defined()) {
        auto it = grads.find(next);
        if (it == grads.end()) grads.emplace(next, std::move(input_grads[i]));
        else it->second = add(it->second, input_grads[i]);
      }
      if (--pending[next] == 0) ready.push_back(next);
    }
  }
}

}  // namespace myelin
