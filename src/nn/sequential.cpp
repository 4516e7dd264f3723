#include "myelin/nn/sequential.hpp"

#include <string>

#include "myelin/error.hpp"
#include "myelin/nn/activation.hpp"
#include "myelin/nn/pool.hpp"

namespace myelin::nn {

Sequential::Sequential(std::vector<ModulePtr> modules) {
  for (auto& m : modules) push_back(std::move(m));
}

Sequential& Sequential::push_back(ModulePtr module) {
  if (!module) throw Error("Sequential: cannot add a null module at index " + std::to_string(size()));
  register_module(std::to_string(size()), std::move(module));
  return *this;
}

ModulePtr Sequential::at(size_t i) const {
  if (i >= size())
    throw Error("Sequential: index " + std::to_string(i) + " is out of range for " +
                std::to_string(size()) + " layers");
  return children()[i].second;
}

Module& Sequential::operator[](size_t i) const { return *at(i); }

namespace {
// The max pool that follows a ReLU at `i`, or null. The pair runs as relu_max_pool: the same
// values and gradients without relu's full-size output, which costs a pass over memory each
// way (about 8% of a small CNN's training step).
const PoolBase* max_pool_after_relu(const std::vector<std::pair<std::string, ModulePtr>>& layers,
                                    size_t i) {
  if (i + 1 >= layers.size() || !dynamic_cast<const ReLU*>(layers[i].second.get())) return nullptr;
  const auto* pool = dynamic_cast<const PoolBase*>(layers[i + 1].second.get());
  return pool && pool->is_max() ? pool : nullptr;
}
}  // namespace

Tensor Sequential::forward(const Tensor& x) {
  const auto& layers = children();
  const bool fuse = !layer_calls_observed();
  Tensor y = x;
  for (size_t i = 0; i < layers.size(); ++i) {
    if (const PoolBase* pool = fuse ? max_pool_after_relu(layers, i) : nullptr) {
      y = pool->forward_after_relu(y);
      ++i;
      continue;
    }
    y = (*layers[i].second)(y);  // operator(): hooks see each layer
  }
  return y;
}

}  // namespace myelin::nn
