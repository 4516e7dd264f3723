#pragma once
// Datasets of sequences: sliding windows over a series, and next-token windows over text.
#include <cstdint>
#include <string>
#include <vector>

#include "myelin/data/dataset.hpp"

namespace myelin::data {

/// WindowDataset: sliding windows over a multivariate series (N, F) in time order (the generic
/// tensor-sequence dataset). Example i has
///   input:  rows [i, i + window) of the input columns      -> (window, input_columns)
///   target: rows [i + window, i + window + horizon) of the target columns, step-major
///           -> (horizon * target_columns)
/// so a model sees `window` steps and predicts the next `horizon` steps of the targets.
/// Requires: series 2-D, window and horizon >= 1, column indices in [0, F), at least one input
/// and one target column, and N >= window + horizon (else Error / ShapeError).
class WindowDataset : public Dataset {
 public:
  WindowDataset(Tensor series, std::vector<int64_t> input_columns,
                std::vector<int64_t> target_columns, int64_t window, int64_t horizon = 1);
  int64_t size() const override { return series_.size(0) - window_ - horizon_ + 1; }
  Example get(int64_t i) const override;
  const Tensor& series() const { return series_; }

 private:
  Tensor series_;
  std::vector<int64_t> inputs_;
  std::vector<int64_t> targets_;
  int64_t window_;
  int64_t horizon_;
};

/// TokenSequenceDataset: next-token windows over a token stream (N) (e.g. bytes as 0..255 in
/// floats). Example i starts at s = i * stride: input tokens[s, s + T), target tokens[s + 1,
/// s + T + 1), both (T). The stride defaults to T (windows that do not overlap).
/// Requires: tokens 1-D with N >= T + 1, T >= 1, stride >= 1 (else Error).
class TokenSequenceDataset : public Dataset {
 public:
  TokenSequenceDataset(Tensor tokens, int64_t seq_len, int64_t stride = 0);
  int64_t size() const override;
  Example get(int64_t i) const override;
  Batch get_batch(std::span<const int64_t> indices) const override;
  const Tensor& tokens() const { return tokens_; }

 private:
  Tensor tokens_;
  int64_t seq_len_;
  int64_t stride_;
};

/// The bytes of a file as tokens 0..255 (floats), shape (N). Throws IoError naming the file.
Tensor read_bytes(const std::string& path);

}  // namespace myelin::data
