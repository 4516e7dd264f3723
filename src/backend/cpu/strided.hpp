#pragma once
// Iteration over N-d index spaces where each operand has its own strides (0 = broadcast).
// Adjacent dimensions that are contiguous for every operand are merged first, so the common
// cases (contiguous, scalar broadcast, row broadcast) become one or two flat loops.
#include <array>
#include <cstdint>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::backend::cpu {

// Strides of `t` broadcast to `shape` (right-aligned; 0 where t has size 1 or no dimension).
inline Shape broadcast_strides(const Tensor& t, const Shape& shape) {
  Shape out(shape.size(), 0);
  const size_t lead = shape.size() - t.shape().size();
  for (size_t i = 0; i < t.shape().size(); ++i)
    out[lead + i] = t.shape()[i] == 1 ? 0 : t.strides()[i];
  return out;
}

// Calls body(offsets, n, inner_strides) for each innermost run of n elements, where
// offsets[k] is operand k's element offset at the start of the run.
template <size_t K, class Body>
void for_each_run(const Shape& shape, const std::array<Shape, K>& strides, Body&& body) {
  // Merge dimension i into i+1 when, for every operand, stride[i] == stride[i+1] * size[i+1].
  Shape dims;
  std::array<Shape, K> st;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 1) continue;
    bool merge = !dims.empty();
    for (size_t k = 0; k < K && merge; ++k)
      merge = st[k].back() == strides[k][i] * shape[i];
    if (merge) {
      dims.back() *= shape[i];
      for (size_t k = 0; k < K; ++k) st[k].back() = strides[k][i];
    } else {
      dims.push_back(shape[i]);
      for (size_t k = 0; k < K; ++k) st[k].push_back(strides[k][i]);
    }
  }
  std::array<int64_t, K> offsets{};
  std::array<int64_t, K> inner{};
  if (dims.empty()) {
    body(offsets, int64_t{1}, inner);
    return;
  }
  const size_t nd = dims.size();
  for (size_t k = 0; k < K; ++k) inner[k] = st[k][nd - 1];
  const int64_t n = dims[nd - 1];
  std::vector<int64_t> counter(nd, 0);
  int64_t outer = 1;
  for (size_t i = 0; i + 1 < nd; ++i) outer *= dims[i];
  for (int64_t r = 0; r < outer; ++r) {
    body(offsets, n, inner);
    // Advance the multi-index over the outer dimensions.
    for (int64_t i = static_cast<int64_t>(nd) - 2; i >= 0; --i) {
      for (size_t k = 0; k < K; ++k) offsets[k] += st[k][i];
      if (++counter[i] < dims[i]) break;
      for (size_t k = 0; k < K; ++k) offsets[k] -= st[k][i] * dims[i];
      counter[i] = 0;
    }
  }
}

// Work smaller than this runs on one thread: forking costs more than it saves.
constexpr int64_t kParallelGrain = 1 << 15;

// Runs body(i) for i in [0, n) as one vectorised loop, on all threads when n > kParallelGrain
// (small loops do not enter OpenMP at all). `body` must capture by value: each thread loops over
// its own copy, so captured pointers and constants live in registers. Looping through the shared
// closure of an OpenMP region, GCC does not vectorise (ReLU's backward ran as a scalar loop with
// a branch per element).
template <class Body>
inline void parallel_for(int64_t n, const Body& body) {
  if (n <= kParallelGrain) {
    const Body local = body;
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) local(i);
    return;
  }
#pragma omp parallel
  {
    const Body local = body;
#pragma omp for simd
    for (int64_t i = 0; i < n; ++i) local(i);
  }
}

}  // namespace myelin::backend::cpu
