// Embedding: a table lookup, forward (row gather) and backward (scatter-add) side by side.
#include <cmath>

#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin {

Tensor embedding(const Tensor& indices, const Tensor& weight, int64_t padding_idx) {
  if (weight.dim() != 2)
    throw ShapeError("embedding: weight must be (num_embeddings, dim), got " + to_string(weight.shape()));
  const int64_t V = weight.size(0), D = weight.size(1), n = indices.numel();
  const Tensor idx = indices.detach().contiguous();
  const float* p = idx.data();
  for (int64_t i = 0; i < n; ++i)
    if (!(p[i] >= 0.f && p[i] < static_cast<float>(V)) || p[i] != std::floor(p[i]))
      throw Error("embedding: index " + std::to_string(p[i]) + " at position " + std::to_string(i) +
                  " is not a whole number in [0, " + std::to_string(V) + ")");
  Shape shape = indices.shape();
  shape.push_back(D);
  const Tensor w = weight.detach().contiguous();
  Tensor out = Tensor::empty(shape);
  backend::embedding(w.data(), idx.data(), out.data(), n, D);
  return autograd::record("embedding", {weight}, out, [idx, V, D, n, padding_idx](const Tensor& g) {
    const Tensor gc = g.contiguous();
    Tensor gw = Tensor::zeros({V, D});
    backend::embedding_backward(gc.data(), idx.data(), gw.data(), n, D, padding_idx);
    return autograd::Grads{gw};
  });
}

}  // namespace myelin
