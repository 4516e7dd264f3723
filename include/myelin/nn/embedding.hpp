#pragma once
// Embedding: a learned vector per token.
#include <cstdint>

#include "myelin/nn/module.hpp"

namespace myelin {
class Generator;
}

namespace myelin::nn {

/// Embedding: maps token indices (any shape, whole numbers stored as floats) to rows of
/// "weight" (num_embeddings, embedding_dim): (...) -> (..., embedding_dim). Weights start
/// N(0, 1) as torch.nn.Embedding; the row `padding_idx` (when in [0, num_embeddings); -1 for
/// none) starts at zero and gets no gradient.
/// Requires: sizes >= 1, padding_idx -1 or in range (else Error).
class Embedding : public Module {
 public:
  Embedding(int64_t num_embeddings, int64_t embedding_dim, int64_t padding_idx = -1,
            Generator* gen = nullptr);
  Tensor forward(const Tensor& indices) override;
  std::string type_name() const override { return "Embedding"; }
  std::string extra_repr() const override;
  const Tensor& weight() const { return weight_; }
  int64_t num_embeddings() const { return weight_.size(0); }
  int64_t embedding_dim() const { return weight_.size(1); }
  int64_t padding_idx() const { return padding_idx_; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  Tensor weight_;
  int64_t padding_idx_;
};

}  // namespace myelin::nn
