// Attention and RMS normalisation, composed from recorded ops (matmul, softmax, reductions),
// so their gradients come from those ops' rules.
#include <cmath>
#include <limits>

#include "myelin/autograd.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin {

namespace {

// Additive mask (B or 1, 1, Tq, Tk): 0 where a query may see a key, -inf elsewhere.
Tensor attention_mask(int64_t Tq, int64_t Tk, bool causal, const Tensor& key_padding_mask) {
  const float inf = std::numeric_limits<float>::infinity();
  const int64_t B = key_padding_mask.defined() ? key_padding_mask.size(0) : 1;
  const Tensor pad = key_padding_mask.defined() ? key_padding_mask.detach().contiguous() : Tensor();
  Tensor m = Tensor::zeros({B, 1, Tq, Tk});
  float* p = m.data();
  for (int64_t b = 0; b < B; ++b)
    for (int64_t i = 0; i < Tq; ++i)
      for (int64_t j = 0; j < Tk; ++j) {
        const bool future = causal && j > i + Tk - Tq;
        const bool padded = pad.defined() && pad.data()[b * Tk + j] != 0.f;
        if (future || padded) p[(b * Tq + i) * Tk + j] = -inf;
      }
  return m;
}

}  // namespace

Tensor scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v, bool causal,
                                    const Tensor& key_padding_mask) {
  if (q.dim() < 2 || k.dim() != q.dim() || v.dim() != q.dim() || q.size(-1) != k.size(-1) ||
      k.size(-2) != v.size(-2))
    throw ShapeError("scaled_dot_product_attention: q " + to_string(q.shape()) + ", k " +
                     to_string(k.shape()) + " and v " + to_string(v.shape()) +
                     " do not fit (expected (..., Tq, d), (..., Tk, d), (..., Tk, dv))");
  const int64_t Tq = q.size(-2), Tk = k.size(-2);
  if (key_padding_mask.defined() &&
      (q.dim() != 4 || key_padding_mask.shape() != Shape{q.size(0), Tk}))
    throw ShapeError("scaled_dot_product_attention: key_padding_mask " +
                     to_string(key_padding_mask.shape()) + " does not fit q " + to_string(q.shape()) +
                     " (expected (B, Tk) with q (B, heads, Tq, d))");
  if (causal && Tq > Tk)
    throw ShapeError("scaled_dot_product_attention: causal attention needs Tq <= Tk, got " +
                     std::to_string(Tq) + " and " + std::to_string(Tk));
  Tensor scores = matmul(q, k.transpose(-1, -2)) * (1.f / std::sqrt(static_cast<float>(q.size(-1))));
  if (causal || key_padding_mask.defined()) {
    Tensor mask = attention_mask(Tq, Tk, causal, key_padding_mask);
    if (q.dim() != 4) mask = mask.reshape({Tq, Tk});  // only causal reaches here
    scores = scores + mask;
  }
  return matmul(softmax(scores, -1), v);
}

Tensor rms_norm(const Tensor& x, const Tensor& weight, float eps) {
  if (x.dim() < 1 || weight.dim() != 1 || weight.size(0) != x.size(-1))
    throw ShapeError("rms_norm: weight " + to_string(weight.shape()) + " does not fit input " +
                     to_string(x.shape()) + " (expected (D) for (..., D))");
  const Tensor inv = pow(mean(x * x, {-1}, true) + eps, -0.5f);
  return x * inv * weight;
}

}  // namespace myelin
