#include "myelin/nn/flatten.hpp"

namespace myelin::nn {

Flatten::Flatten(int64_t start_dim, int64_t end_dim) : start_dim_(start_dim), end_dim_(end_dim) {}

std::string Flatten::extra_repr() const {
  return "start_dim=" + std::to_string(start_dim_) + ", end_dim=" + std::to_string(end_dim_);
}

void Flatten::describe(ModuleSpec& spec) const {
  spec.set("start_dim", start_dim_);
  spec.set("end_dim", end_dim_);
}

}  // namespace myelin::nn
