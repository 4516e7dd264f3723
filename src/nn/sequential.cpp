#include "myelin/nn/sequential.hpp"

#include <string>

#include "myelin/error.hpp"

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

Tensor Sequential::forward(const Tensor& x) {
  Tensor y = x;
  for (const auto& [name, child] : children()) y = (*child)(y);  // operator(): hooks see each layer
  return y;
}

}  // namespace myelin::nn
