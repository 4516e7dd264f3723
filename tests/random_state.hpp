#pragma once
// Random weights and running statistics for a module, so that every tensor matters when two
// implementations' outputs are compared (ONNX round trips, PyTorch interop).
#include <algorithm>
#include <string>

#include "myelin/nn/module.hpp"
#include "myelin/random.hpp"

namespace myelin::testing {

// Parameters and running means U(-1, 1), running variances U(0.5, 1.5); counts untouched.
inline void randomise_state(nn::Module& m, Generator& gen) {
  for (auto& [name, t] : m.state_dict()) {
    if (name.find("num_batches_tracked") != std::string::npos) continue;
    const bool var = name.find("running_var") != std::string::npos;
    const Tensor r = Tensor::uniform(t.shape(), var ? 0.5f : -1.f, var ? 1.5f : 1.f, &gen);
    std::copy(r.data(), r.data() + r.numel(), t.data());
  }
}

}  // namespace myelin::testing
