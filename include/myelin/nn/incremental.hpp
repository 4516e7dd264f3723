#pragma once
// Incremental: layers that can read a sequence in pieces, for fast autoregressive generation.
#include <cstdint>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::nn {

/// StepCache: what an Incremental layer keeps of the inputs it has already seen (a recurrent
/// layer's state, an attention layer's keys and values) and how many steps that was.
/// Starts empty; only the layer that filled it reads it.
struct StepCache {
  std::vector<Tensor> tensors;
  int64_t steps = 0;
};

/// Incremental: a layer whose output for new steps depends on earlier steps only through a
/// cache. forward_incremental(x_new, cache) returns what forward() would return for the new
/// steps of the whole sequence fed so far (up to float rounding), and updates the cache.
/// Inputs are batch first: (B, T_new, ...).
class Incremental {
 public:
  virtual ~Incremental() = default;
  virtual Tensor forward_incremental(const Tensor& x_new, StepCache& cache) = 0;
};

}  // namespace myelin::nn
