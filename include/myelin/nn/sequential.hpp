#pragma once
// Sequential: layers applied one after another.
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include "myelin/nn/module.hpp"

namespace myelin::nn {

/// Sequential: a chain of modules; forward feeds each one's output to the next (the input
/// itself when empty). Children are named "0", "1", ... in order, so parameters get PyTorch's
/// state-dict names ("0.weight", "2.bias", "3.1.weight" for nested chains).
///
///   auto net = std::make_shared<nn::Sequential>();
///   net->add<nn::Linear>(784, 512);
///   net->add<nn::ReLU>();
///   net->push_back(std::make_shared<nn::Linear>(512, 10));
class Sequential : public Module {
 public:
  Sequential() = default;
  /// Requires: no null module (else Error).
  explicit Sequential(std::vector<ModulePtr> modules);
  Sequential(std::initializer_list<ModulePtr> modules) : Sequential(std::vector<ModulePtr>(modules)) {}

  /// Appends `module` as child number size(). Requires: non-null (else Error).
  Sequential& push_back(ModulePtr module);
  /// Constructs an M from `args`, appends it and returns it.
  template <class M, class... Args>
  M& add(Args&&... args) {
    auto m = std::make_shared<M>(std::forward<Args>(args)...);
    push_back(m);
    return *m;
  }

  size_t size() const { return children().size(); }
  bool empty() const { return children().empty(); }
  /// Child `i`. Requires: i < size() (else Error naming the index and the size).
  Module& operator[](size_t i) const;
  /// Child `i` as a shared handle (same requirement).
  ModulePtr at(size_t i) const;

  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Sequential"; }
};

}  // namespace myelin::nn
