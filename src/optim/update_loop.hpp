#pragma once
// The shape of every optimizer's update: one fused loop over a parameter's elements, reading the
// gradient and the state buffers and writing each exactly once.
#include <cstdint>
#include <type_traits>

#include "backend/cpu/strided.hpp"

namespace myelin::optim::detail {

// Runs body(i) for i in [0, n) as one vectorised loop, on several threads when n is large.
// Elements are independent, so the result does not depend on the thread count.
// `body` must capture by value: each thread works on its own copy, so the captured pointers and
// constants live in registers (through a shared closure the compiler emits gathers instead).
template <class Body>
inline void for_each_index(int64_t n, const Body& body) {
#pragma omp parallel if (n > backend::cpu::kParallelGrain)
  {
    const Body local = body;
#pragma omp for simd
    for (int64_t i = 0; i < n; ++i) local(i);
  }
}

// Calls f with one std::bool_constant per run-time flag, so the loop body branches on the
// options at compile time (`if constexpr (centered)`) and stays branch-free per element.
template <class F>
inline void with_flags(F&& f) {
  f();
}
template <class F, class... Rest>
inline void with_flags(F&& f, bool first, Rest... rest) {
  if (first)
    with_flags([&](auto... flags) { f(std::true_type{}, flags...); }, rest...);
  else
    with_flags([&](auto... flags) { f(std::false_type{}, flags...); }, rest...);
}

}  // namespace myelin::optim::detail
