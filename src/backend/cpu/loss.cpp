// Loss kernels: the rows of a weighted, label-smoothed negative log-likelihood and their
// gradient, in one pass each (cross-entropy on W1-sized batches stays a handful of loops).
#include <cmath>

#include "backend/backend.hpp"
#include "backend/cpu/strided.hpp"

namespace myelin::backend {

// logp: (n, c), target: (n), weight: (c), loss: (n)
void nll_rows(const float* logp, const int64_t* target, const float* weight, float eps,
              float* loss, int64_t n, int64_t c) {
  const float smooth = eps / static_cast<float>(c);
#pragma omp parallel for if (n * c > cpu::kParallelGrain)
  for (int64_t i = 0; i < n; ++i) {
    const float* row = logp + i * c;
    const int64_t t = target[i];
    float smoothed = 0.f;  // sum_j weight_j * -logp_ij
    if (eps != 0.f)
      for (int64_t j = 0; j < c; ++j) smoothed -= weight[j] * row[j];
    loss[i] = (1.f - eps) * weight[t] * -row[t] + smooth * smoothed;
  }
}

// logp, gx: (n, c), target, scale: (n), weight: (c); logp is read only through the softmax
void nll_rows_backward(const float* logp, const int64_t* target, const float* weight, float eps,
                       const float* scale, float* gx, int64_t n, int64_t c,
                       bool through_softmax) {
  const float smooth = eps / static_cast<float>(c);
  float weight_sum = 0.f;
  for (int64_t j = 0; j < c; ++j) weight_sum += weight[j];
#pragma omp parallel for if (n * c > cpu::kParallelGrain)
  for (int64_t i = 0; i < n; ++i) {
    const float* row = through_softmax ? logp + i * c : nullptr;
    float* out = gx + i * c;
    const int64_t t = target[i];
    const float picked = (1.f - eps) * weight[t];
    const float q_sum = picked + smooth * weight_sum;  // sum_j q_ij
    for (int64_t j = 0; j < c; ++j) {
      const float q = smooth * weight[j] + (j == t ? picked : 0.f);
      out[j] = scale[i] * ((through_softmax ? std::exp(row[j]) * q_sum : 0.f) - q);
    }
  }
}

}  // namespace myelin::backend
