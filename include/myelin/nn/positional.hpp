#pragma once
// Positional encodings: adding where-in-the-sequence information to token vectors.
#include <cstdint>

#include "myelin/nn/incremental.hpp"
#include "myelin/nn/module.hpp"

namespace myelin {
class Generator;
}

namespace myelin::nn {

/// PositionalEncoding: adds a vector per position to batch-first inputs (B, T, dim), position
/// t getting row `start + t` of a (max_len, dim) table; forward() starts at 0, and
/// forward_incremental() continues from the steps already seen.
///   learned:    the table is the parameter "weight", drawn from N(0, 0.02^2);
///   sinusoidal: fixed, table[p, 2i] = sin(p / 10000^(2i / dim)), table[p, 2i + 1] = cos(...)
///               (the Transformer paper's); no parameters.
/// Requires: max_len, dim >= 1 (else Error); inputs (B, T, dim) with start + T <= max_len
/// (else ShapeError).
class PositionalEncoding : public Module, public Incremental {
 public:
  PositionalEncoding(int64_t max_len, int64_t dim, bool learned, Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override { return add_at(x, 0); }
  Tensor forward_incremental(const Tensor& x_new, StepCache& cache) override;
  std::string type_name() const override;
  std::string extra_repr() const override;
  const Tensor& table() const { return table_; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  Tensor add_at(const Tensor& x, int64_t start) const;
  Tensor table_;
  bool learned_;
};

/// The learned kind, registered as "LearnedPositionalEncoding".
class LearnedPositionalEncoding : public PositionalEncoding {
 public:
  LearnedPositionalEncoding(int64_t max_len, int64_t dim, Generator* gen = nullptr)
      : PositionalEncoding(max_len, dim, true, gen) {}
};

/// The sinusoidal kind, registered as "SinusoidalPositionalEncoding".
class SinusoidalPositionalEncoding : public PositionalEncoding {
 public:
  SinusoidalPositionalEncoding(int64_t max_len, int64_t dim)
      : PositionalEncoding(max_len, dim, false) {}
};

}  // namespace myelin::nn
