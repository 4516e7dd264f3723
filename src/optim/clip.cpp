#include "myelin/optim/clip.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "backend/backend.hpp"
#include "backend/cpu/strided.hpp"
#include "optim/scalars.hpp"

namespace myelin::optim {
namespace {

// Sum of squares of x[begin, end) in double.
double block_sum_of_squares(const float* x, int64_t begin, int64_t end) {
  double acc = 0;
#pragma omp simd reduction(+ : acc)
  for (int64_t i = begin; i < end; ++i) acc += static_cast<double>(x[i]) * x[i];
  return acc;
}

// Sum of squares of x: (n) in double. Fixed blocks, summed in order, keep the result
// independent of how many threads ran them.
double sum_of_squares(const float* x, int64_t n) {
  constexpr int64_t kBlock = backend::cpu::kParallelGrain;
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  if (blocks <= 1) return block_sum_of_squares(x, 0, n);
  std::vector<double> partial(blocks);
#pragma omp parallel for
  for (int64_t b = 0; b < blocks; ++b)
    partial[b] = block_sum_of_squares(x, b * kBlock, std::min(n, (b + 1) * kBlock));
  double total = 0;
  for (double s : partial) total += s;
  return total;
}

}  // namespace

double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm) {
  detail::check_setting(std::isfinite(max_norm) && max_norm >= 0, "clip_grad_norm_", "max_norm",
                        max_norm, "finite and >= 0");
  double total = 0;
  for (const Tensor& p : parameters) {
    const Tensor g = p.defined() ? p.grad() : Tensor();
    if (g.defined()) total += sum_of_squares(g.contiguous().data(), g.numel());
  }
  const double norm = std::sqrt(total);
  const double scale = max_norm / (norm + 1e-6);
  if (scale < 1) {
    for (const Tensor& p : parameters) {
      Tensor g = p.defined() ? p.grad() : Tensor();
      if (!g.defined()) continue;
      Tensor c = g.contiguous();
      backend::unary(backend::Unary::MulScalar, c.data(), c.data(), c.numel(),
                     static_cast<float>(scale));
      if (!c.shares_storage(g)) g.copy_(c);
    }
  }
  return norm;
}

}  // namespace myelin::optim
