#pragma once
// Vocabulary: the byte values a text model reads and writes, as token ids 0..V-1.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::data {

/// Vocabulary: token id k stands for the byte symbols()[k]. all_bytes() maps every byte to
/// itself (V = 256); of_text() keeps only the bytes a text uses, sorted (a smaller output layer
/// for a character-level model). Saved with a model as the list of symbols.
class Vocabulary {
 public:
  /// Requires: distinct symbols in [0, 255], at least one (else Error).
  explicit Vocabulary(std::vector<int> symbols);
  static Vocabulary all_bytes();
  /// The distinct bytes of `bytes` (N), as read_bytes gives them. Requires N >= 1 and whole
  /// values in [0, 255] (else Error).
  static Vocabulary of_text(const Tensor& bytes);

  int64_t size() const { return static_cast<int64_t>(symbols_.size()); }
  const std::vector<int>& symbols() const { return symbols_; }
  /// Bytes (N) as token ids (N); a byte outside the vocabulary throws Error naming it and its position.
  Tensor encode(const Tensor& bytes) const;
  std::vector<int64_t> encode(std::string_view text) const;
  /// Token ids as text. Requires ids in [0, size()) (else Error).
  std::string decode(const std::vector<int64_t>& ids) const;

 private:
  int64_t id_of(int byte, int64_t position) const;
  std::vector<int> symbols_;
  std::vector<int> ids_;  // by byte value; -1 outside the vocabulary
};

}  // namespace myelin::data
