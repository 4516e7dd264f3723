#pragma once
// exp, sigmoid and tanh written so that loops over them vectorise (std::exp does not without
// -ffast-math). exp is a degree-6 polynomial on a range-reduced argument: relative error about
// 2e-7 over the float range, well below what training or the reference tests notice.
#include <bit>
#include <cstdint>

namespace myelin::backend::cpu {

inline float fast_exp(float x) {
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kLn2Hi = 0.693359375f;  // ln 2 split in two, so n * kLn2Hi is exact
  constexpr float kLn2Lo = -2.12194440e-4f;
  // Adding 1.5 * 2^23 rounds to an integer held in the low mantissa bits: no float-to-int
  // conversion or floor, which GCC does not vectorise under the default -ftrapping-math.
  constexpr float kShift = 12582912.f;
  x = x < -87.f ? -87.f : (x > 88.f ? 88.f : x);
  const float t = x * kLog2e + kShift;
  const float n = t - kShift;                   // round(x / ln 2)
  const float r = x - n * kLn2Hi - n * kLn2Lo;  // |r| <= ln(2) / 2
  // Minimax polynomial for exp(r) on that interval.
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.f;
  const int32_t k = std::bit_cast<int32_t>(t) - std::bit_cast<int32_t>(kShift);
  return p * std::bit_cast<float>((k + 127) << 23);  // p * 2^n
}

inline float fast_sigmoid(float x) { return 1.f / (1.f + fast_exp(-x)); }

// tanh(x) = 2 sigmoid(2x) - 1; the absolute error near 0 stays below 1e-7.
inline float fast_tanh(float x) { return 2.f / (1.f + fast_exp(-2.f * x)) - 1.f; }

}  // namespace myelin::backend::cpu
