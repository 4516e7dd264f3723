#pragma once
// Seeds of per-example generators: nearby inputs (seed, epoch, index) must give unrelated streams.
#include <cstdint>

namespace myelin::data {

// SplitMix64 finaliser: nearby inputs give unrelated generator seeds.
inline uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// The seed of example `index`'s augmentation in `epoch`.
inline uint64_t example_seed(uint64_t seed, int64_t epoch, int64_t index) {
  return mix(seed ^ mix(static_cast<uint64_t>(epoch) ^ mix(static_cast<uint64_t>(index))));
}

}  // namespace myelin::data
