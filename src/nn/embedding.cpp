#include "myelin/nn/embedding.hpp"

#include "myelin/error.hpp"
#include "myelin/nn/init.hpp"
#include "myelin/ops.hpp"

namespace myelin::nn {

Embedding::Embedding(int64_t num_embeddings, int64_t embedding_dim, int64_t padding_idx,
                     Generator* gen)
    : padding_idx_(padding_idx) {
  if (num_embeddings < 1 || embedding_dim < 1)
    throw Error("Embedding: num_embeddings and embedding_dim must be >= 1, got " +
                std::to_string(num_embeddings) + " and " + std::to_string(embedding_dim));
  if (padding_idx < -1 || padding_idx >= num_embeddings)
    throw Error("Embedding: padding_idx must be -1 (none) or in [0, " +
                std::to_string(num_embeddings) + "), got " + std::to_string(padding_idx));
  weight_ = register_parameter("weight", Tensor::empty({num_embeddings, embedding_dim}));
  init::normal_(weight_, 0.0, 1.0, gen);
  if (padding_idx >= 0) {
    Tensor row = weight_.select(0, padding_idx);
    row.fill_(0.f);
  }
}

Tensor Embedding::forward(const Tensor& indices) { return embedding(indices, weight_, padding_idx_); }

std::string Embedding::extra_repr() const {
  std::string s = std::to_string(num_embeddings()) + ", " + std::to_string(embedding_dim());
  if (padding_idx_ >= 0) s += ", padding_idx=" + std::to_string(padding_idx_);
  return s;
}

void Embedding::describe(ModuleSpec& spec) const {
  spec.set("num_embeddings", num_embeddings());
  spec.set("embedding_dim", embedding_dim());
  spec.set("padding_idx", padding_idx_);
}

}  // namespace myelin::nn
