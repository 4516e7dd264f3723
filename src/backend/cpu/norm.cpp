// Batch normalisation, fused: each channel's statistics, normalisation and affine map in a few
// passes over its planes, and the backward pass in two, threaded over channels. (Composed of
// elementwise ops and reductions, one batch norm cost about ten full-size passes each way,
// with as many broadcasting loops and temporaries.)
#include <cstdint>

#include "backend/backend.hpp"
#include "backend/cpu/strided.hpp"

namespace myelin::backend {
namespace {

// Calls body(channel) for every channel, shared out over the threads when the job is worth it.
// Each channel's sums run on one thread, in a fixed order: the result does not depend on the
// thread count.
template <class Body>
void over_channels(int64_t c, int64_t per_channel, Body body) {
#pragma omp parallel for schedule(static) if (c > 1 && c * per_channel > cpu::kParallelGrain)
  for (int64_t ch = 0; ch < c; ++ch) body(ch);
}

// Running sums in kLanes independent lanes (the adds do not wait on one another), totalled in
// double at the end of each plane.
constexpr int64_t kLanes = 16;

// The sums of f(i) and g(i) for i in [0, l) of one plane, added to sf and sg. (conv's bias
// gradient keeps its lanes across planes instead: plane_sums.hpp.)
template <class F, class G>
void add_sums_of_plane(int64_t l, F f, G g, double& sf, double& sg) {
  float lanes_f[kLanes] = {}, lanes_g[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= l; i += kLanes)
#pragma omp simd
    for (int64_t j = 0; j < kLanes; ++j) lanes_f[j] += f(i + j), lanes_g[j] += g(i + j);
  for (; i < l; ++i) sf += f(i), sg += g(i);
  for (int64_t j = 0; j < kLanes; ++j) sf += lanes_f[j], sg += lanes_g[j];
}

// The sum of f(i) for i in [0, l) of one plane.
template <class F>
double plane_sum(int64_t l, F f) {
  double sum = 0, none = 0;
  add_sums_of_plane(l, f, [](int64_t) { return 0.f; }, sum, none);
  return sum;
}

}  // namespace

void batch_norm_statistics(const float* x, float* mean, float* var, int64_t n, int64_t c,
                           int64_t l) {
  const double count = static_cast<double>(n * l);
  over_channels(c, n * l, [&](int64_t ch) {
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) {
      const float* p = x + (i * c + ch) * l;
      sum += plane_sum(l, [p](int64_t k) { return p[k]; });
    }
    const float m = static_cast<float>(sum / count);
    double squares = 0;  // around the mean: no cancellation however far the data lie from 0
    for (int64_t i = 0; i < n; ++i) {
      const float* p = x + (i * c + ch) * l;
      squares += plane_sum(l, [p, m](int64_t k) { return (p[k] - m) * (p[k] - m); });
    }
    mean[ch] = m;
    var[ch] = static_cast<float>(squares / count);
  });
}

void batch_norm_apply(const float* x, const float* mean, const float* invstd, const float* weight,
                      const float* bias, float* y, int64_t n, int64_t c, int64_t l) {
  over_channels(c, n * l, [&](int64_t ch) {
    // y = x * scale + shift: (x - mean) * invstd * weight + bias
    const float scale = invstd[ch] * (weight ? weight[ch] : 1.f);
    const float shift = (bias ? bias[ch] : 0.f) - mean[ch] * scale;
    for (int64_t i = 0; i < n; ++i) {
      const float* p = x + (i * c + ch) * l;
      float* q = y + (i * c + ch) * l;
#pragma omp simd
      for (int64_t k = 0; k < l; ++k) q[k] = p[k] * scale + shift;
    }
  });
}

void batch_norm_backward(const float* x, const float* gy, const float* mean, const float* invstd,
                         const float* weight, bool batch_statistics, float* gx, float* gw,
                         float* gb, int64_t n, int64_t c, int64_t l) {
  const double count = static_cast<double>(n * l);
  over_channels(c, n * l, [&](int64_t ch) {
    const float m = mean[ch], s = invstd[ch], w = weight ? weight[ch] : 1.f;
    // sum_dy = sum of gy, sum_dy_xhat = sum of gy * xhat, xhat = (x - mean) * invstd
    double sum_dy = 0, sum_dy_xhat = 0;
    for (int64_t i = 0; i < n; ++i) {
      const float* p = x + (i * c + ch) * l;
      const float* g = gy + (i * c + ch) * l;
      add_sums_of_plane(
          l, [g](int64_t k) { return g[k]; }, [p, g, m, s](int64_t k) { return g[k] * ((p[k] - m) * s); },
          sum_dy, sum_dy_xhat);
    }
    if (gw) gw[ch] = static_cast<float>(sum_dy_xhat);
    if (gb) gb[ch] = static_cast<float>(sum_dy);
    if (!gx) return;
    // With batch statistics the mean and variance depend on x too:
    //   gx = w invstd (gy - mean(gy) - xhat mean(gy xhat)); with fixed ones gx = w invstd gy.
    const float k = w * s;
    const float mean_dy = batch_statistics ? static_cast<float>(sum_dy / count) : 0.f;
    const float mean_dy_xhat = batch_statistics ? static_cast<float>(sum_dy_xhat / count) : 0.f;
    for (int64_t i = 0; i < n; ++i) {
      const float* p = x + (i * c + ch) * l;
      const float* g = gy + (i * c + ch) * l;
      float* q = gx + (i * c + ch) * l;
#pragma omp simd
      for (int64_t e = 0; e < l; ++e) q[e] = k * (g[e] - mean_dy - (p[e] - m) * s * mean_dy_xhat);
    }
  });
}

}  // namespace myelin::backend
