// Sums that the convolutions' backward passes form inside their own parallel regions: a bias's
// gradient (the sum of each output plane of gy) and the total of the threads' partial sums.
#pragma once

#include <cstdint>
#include <vector>

namespace myelin::backend::cpu {

// A plane is summed into kLanes running sums, the lanes of several vectors, so that the adds
// do not wait on one another (one running sum made the bias gradient 3x slower than the
// kernel gradient beside it); the lanes are added up once, at the end.
constexpr int64_t kLanes = 64;

// The floats of a thread's plane sums for `channels` planes.
constexpr int64_t plane_sum_floats(int64_t channels) { return channels * kLanes; }

// sums (channels, kLanes) += the lanes of each plane of gy: (N, channels, L) over images
// [n0, n1); plane_sum_totals turns them into the planes' sums.
inline void add_plane_sums(const float* gy, int64_t n0, int64_t n1, int64_t channels,
                           int64_t plane, float* sums) {
  for (int64_t n = n0; n < n1; ++n)
    for (int64_t o = 0; o < channels; ++o) {
      const float* p = gy + (n * channels + o) * plane;
      float* lanes = sums + o * kLanes;
      int64_t i = 0;
      for (; i + kLanes <= plane; i += kLanes)
#pragma omp simd
        for (int64_t j = 0; j < kLanes; ++j) lanes[j] += p[i + j];
      const int64_t rest = plane - i;
#pragma omp simd
      for (int64_t j = 0; j < rest; ++j) lanes[j] += p[i + j];
    }
}

// out (count) = the sum of parts[t][offset, offset + count) over the threads' parts (null ones
// skipped), added in thread order: the result depends on the thread count, never on timing.
inline void sum_parts(const std::vector<float*>& parts, int64_t offset, int64_t count, float* out) {
  for (int64_t i = 0; i < count; ++i) out[i] = 0.f;
  for (const float* part : parts)
    if (part)
      for (int64_t i = 0; i < count; ++i) out[i] += part[offset + i];
}

// out (channels) = the totals of the threads' plane sums, each at parts[t] + offset, added
// in thread order and lane order.
inline void plane_sum_totals(const std::vector<float*>& parts, int64_t offset, int64_t channels,
                             float* out) {
  for (int64_t o = 0; o < channels; ++o) {
    float total = 0.f;
    for (const float* part : parts)
      if (part)
        for (int64_t j = 0; j < kLanes; ++j) total += part[offset + o * kLanes + j];
    out[o] = total;
  }
}

}  // namespace myelin::backend::cpu
