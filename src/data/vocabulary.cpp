// Vocabulary: a byte <-> token id table.
#include "myelin/data/vocabulary.hpp"

#include <cstdio>

#include "myelin/error.hpp"

namespace myelin::data {
namespace {

// A byte for messages: 'a', or \x0a for one that does not print.
std::string shown(int byte) {
  if (byte >= 32 && byte < 127) return std::string("'") + static_cast<char>(byte) + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", byte);
  return buf;
}

}  // namespace

Vocabulary::Vocabulary(std::vector<int> symbols) : symbols_(std::move(symbols)), ids_(256, -1) {
  if (symbols_.empty()) throw Error("Vocabulary: no symbols");
  for (size_t k = 0; k < symbols_.size(); ++k) {
    const int b = symbols_[k];
    if (b < 0 || b > 255) throw Error("Vocabulary: symbol " + std::to_string(b) + " is not a byte (0..255)");
    if (ids_[b] >= 0) throw Error("Vocabulary: symbol " + shown(b) + " appears twice");
    ids_[b] = static_cast<int>(k);
  }
}

Vocabulary Vocabulary::all_bytes() {
  std::vector<int> all(256);
  for (int b = 0; b < 256; ++b) all[b] = b;
  return Vocabulary(all);
}

Vocabulary Vocabulary::of_text(const Tensor& bytes) {
  std::vector<bool> used(256, false);
  const Tensor b = bytes.contiguous();
  for (int64_t i = 0; i < b.numel(); ++i) {
    const float v = b.data()[i];
    if (!(v >= 0 && v <= 255) || v != static_cast<float>(static_cast<int>(v)))
      throw Error("Vocabulary::of_text: value " + std::to_string(v) + " at position " + std::to_string(i) + " is not a byte");
    used[static_cast<size_t>(v)] = true;
  }
  std::vector<int> symbols;
  for (int s = 0; s < 256; ++s)
    if (used[s]) symbols.push_back(s);
  return Vocabulary(symbols);
}

int64_t Vocabulary::id_of(int byte, int64_t position) const {
  const int id = byte >= 0 && byte < 256 ? ids_[byte] : -1;
  if (id < 0)
    throw Error("byte " + shown(byte) + " at position " + std::to_string(position) +
                " is not in the model's vocabulary of " + std::to_string(size()) + " symbols");
  return id;
}

Tensor Vocabulary::encode(const Tensor& bytes) const {
  Tensor out = bytes.contiguous().clone();
  float* x = out.data();
  for (int64_t i = 0; i < out.numel(); ++i) x[i] = static_cast<float>(id_of(static_cast<int>(x[i]), i));
  return out;
}

std::vector<int64_t> Vocabulary::encode(std::string_view text) const {
  std::vector<int64_t> out;
  for (size_t i = 0; i < text.size(); ++i)
    out.push_back(id_of(static_cast<unsigned char>(text[i]), static_cast<int64_t>(i)));
  return out;
}

std::string Vocabulary::decode(const std::vector<int64_t>& ids) const {
  std::string out;
  for (int64_t id : ids) {
    if (id < 0 || id >= size())
      throw Error("Vocabulary: token " + std::to_string(id) + " is outside [0, " + std::to_string(size()) + ")");
    out += static_cast<char>(symbols_[id]);
  }
  return out;
}

}  // namespace myelin::data
