#pragma once
// A seeded random permutation, shared by the loader's shuffling and random_split.
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "myelin/random.hpp"

namespace myelin::data::detail {

// 0..n-1 shuffled by Fisher-Yates with draws from `gen` (portable: Generator::below).
inline std::vector<int64_t> random_permutation(int64_t n, Generator& gen) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[gen.below(i)]);
  return order;
}

}  // namespace myelin::data::detail
