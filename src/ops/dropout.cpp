// Inverted dropout. The mask is drawn serially from the generator, so a seed gives the same
// mask whatever the thread count.
#include "autograd/function.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "myelin/random.hpp"

namespace myelin {

Tensor dropout(const Tensor& x, float p, bool training, Generator* gen) {
  if (p < 0.f || p >= 1.f)
    throw Error("dropout: probability must be in [0, 1), got " + std::to_string(p));
  if (!training || p == 0.f) return x;
  Generator& g = gen ? *gen : default_generator();
  // mask holds 0 or 1/(1-p); the backward multiplies by the same mask.
  Tensor mask = Tensor::empty(x.shape());
  const float scale = 1.f / (1.f - p);
  float* m = mask.data();
  for (int64_t i = 0; i < mask.numel(); ++i) m[i] = g.uniform() < p ? 0.f : scale;
  Tensor y;
  {
    NoGradGuard no_grad;
    y = mul(x, mask);
  }
  return autograd::record("dropout", {x}, y,
                          [mask](const Tensor& grad) { return autograd::Grads{mul(grad, mask)}; });
}

}  // namespace myelin
