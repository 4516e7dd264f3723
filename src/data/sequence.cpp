// Sliding-window and next-token datasets.
#include "myelin/data/sequence.hpp"

#include <cstring>
#include <fstream>
#include <iterator>

#include "myelin/error.hpp"

namespace myelin::data {

namespace {

void check_columns(const std::vector<int64_t>& cols, int64_t F, const char* what) {
  if (cols.empty()) throw Error(std::string("WindowDataset: no ") + what + " columns given");
  for (int64_t c : cols)
    if (c < 0 || c >= F)
      throw Error(std::string("WindowDataset: ") + what + " column " + std::to_string(c) +
                  " is outside [0, " + std::to_string(F) + ")");
}

}  // namespace

WindowDataset::WindowDataset(Tensor series, std::vector<int64_t> input_columns,
                             std::vector<int64_t> target_columns, int64_t window, int64_t horizon)
    : series_(series.detach().contiguous()),
      inputs_(std::move(input_columns)),
      targets_(std::move(target_columns)),
      window_(window),
      horizon_(horizon) {
  if (series_.dim() != 2)
    throw ShapeError("WindowDataset: series must be (N, F), got " + to_string(series_.shape()));
  if (window < 1 || horizon < 1)
    throw Error("WindowDataset: window and horizon must be >= 1, got " + std::to_string(window) +
                " and " + std::to_string(horizon));
  check_columns(inputs_, series_.size(1), "input");
  check_columns(targets_, series_.size(1), "target");
  if (window > series_.size(0) || horizon > series_.size(0) - window)  // no sum, which could overflow
    throw Error("WindowDataset: " + std::to_string(series_.size(0)) + " rows are fewer than window + horizon = " +
                std::to_string(static_cast<uint64_t>(window) + static_cast<uint64_t>(horizon)));
}

Example WindowDataset::get(int64_t i) const {
  if (i < 0 || i >= size())
    throw Error("WindowDataset: index " + std::to_string(i) + " is outside [0, " + std::to_string(size()) + ")");
  const int64_t F = series_.size(1), nin = static_cast<int64_t>(inputs_.size());
  const int64_t nt = static_cast<int64_t>(targets_.size());
  const float* s = series_.data();
  Tensor input = Tensor::empty({window_, nin});
  Tensor target = Tensor::empty({horizon_ * nt});
  for (int64_t t = 0; t < window_; ++t)
    for (int64_t c = 0; c < nin; ++c) input.data()[t * nin + c] = s[(i + t) * F + inputs_[c]];
  for (int64_t t = 0; t < horizon_; ++t)
    for (int64_t c = 0; c < nt; ++c)
      target.data()[t * nt + c] = s[(i + window_ + t) * F + targets_[c]];
  return {input, target};
}

TokenSequenceDataset::TokenSequenceDataset(Tensor tokens, int64_t seq_len, int64_t stride)
    : tokens_(tokens.detach().contiguous()), seq_len_(seq_len), stride_(stride == 0 ? seq_len : stride) {
  if (tokens_.dim() != 1) throw Error("TokenSequenceDataset: tokens must be 1-D, got " + to_string(tokens_.shape()));
  if (seq_len < 1 || stride_ < 1)
    throw Error("TokenSequenceDataset: seq_len and stride must be >= 1, got " + std::to_string(seq_len) +
                " and " + std::to_string(stride_));
  if (tokens_.size(0) < seq_len + 1)
    throw Error("TokenSequenceDataset: " + std::to_string(tokens_.size(0)) +
                " tokens are too few for one window of " + std::to_string(seq_len) + " plus its target");
}

int64_t TokenSequenceDataset::size() const { return (tokens_.size(0) - seq_len_ - 1) / stride_ + 1; }

Example TokenSequenceDataset::get(int64_t i) const {
  if (i < 0 || i >= size())
    throw Error("TokenSequenceDataset: index " + std::to_string(i) + " is outside [0, " +
                std::to_string(size()) + ")");
  const int64_t s = i * stride_;
  return {tokens_.slice(0, s, s + seq_len_), tokens_.slice(0, s + 1, s + seq_len_ + 1)};
}

Batch TokenSequenceDataset::get_batch(std::span<const int64_t> indices) const {
  if (indices.empty()) throw Error("TokenSequenceDataset: empty batch");
  const int64_t B = static_cast<int64_t>(indices.size()), T = seq_len_;
  Batch b{Tensor::empty({B, T}), Tensor::empty({B, T})};
  for (int64_t r = 0; r < B; ++r) {
    if (indices[r] < 0 || indices[r] >= size())
      throw Error("TokenSequenceDataset: index " + std::to_string(indices[r]) + " is outside [0, " +
                  std::to_string(size()) + ")");
    const float* src = tokens_.data() + indices[r] * stride_;
    std::memcpy(b.inputs.data() + r * T, src, sizeof(float) * T);
    std::memcpy(b.targets.data() + r * T, src + 1, sizeof(float) * T);
  }
  return b;
}

Tensor read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open the file");
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IoError(path + ": read failed");
  Tensor t = Tensor::empty({static_cast<int64_t>(bytes.size())});
  for (size_t i = 0; i < bytes.size(); ++i) t.data()[i] = static_cast<float>(bytes[i]);
  return t;
}

}  // namespace myelin::data
