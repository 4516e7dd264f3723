#include "myelin/nn/sequential.hpp"

#include <string>
#include <typeinfo>

#include "myelin/error.hpp"
#include "myelin/nn/activation.hpp"
#include "myelin/nn/conv.hpp"
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
using Layers = std::vector<std::pair<std::string, ModulePtr>>;

// Layer i as an M, when it is exactly one (a subclass may do more in its forward), else null.
template <class M>
const M* layer_as(const Layers& layers, size_t i) {
  if (i >= layers.size()) return nullptr;
  const Module& m = *layers[i].second;
  return typeid(m) == typeid(M) ? static_cast<const M*>(&m) : nullptr;
}

// The max pool that follows a ReLU at `i`, or null. The pair runs as relu_max_pool: the same
// values and gradients without relu's full-size output, which costs a pass over memory each
// way (about 8% of a small CNN's training step).
const PoolBase* max_pool_after_relu(const Layers& layers, size_t i) {
  if (!layer_as<ReLU>(layers, i)) return nullptr;
  if (const auto* pool = layer_as<MaxPool2d>(layers, i + 1)) return pool;
  return layer_as<MaxPool1d>(layers, i + 1);
}
}  // namespace

Tensor Sequential::forward(const Tensor& x) {
  const Layers& layers = children();
  const bool fuse = !layer_calls_observed();
  Tensor y = x;
  for (size_t i = 0; i < layers.size(); ++i) {
    if (fuse) {
      // Conv2d, ReLU, MaxPool2d: one op that pools each image's output while it is in cache.
      const auto* conv = layer_as<Conv2d>(layers, i);
      const auto* pool = layer_as<MaxPool2d>(layers, i + 2);
      if (conv && layer_as<ReLU>(layers, i + 1) && pool) {
        y = conv->forward_relu_max_pool(y, pool->options());
        i += 2;
        continue;
      }
      if (const PoolBase* after_relu = max_pool_after_relu(layers, i)) {
        y = after_relu->forward_after_relu(y);
        ++i;
        continue;
      }
    }
    y = (*layers[i].second)(y);  // operator(): hooks see each layer
  }
  return y;
}

}  // namespace myelin::nn
