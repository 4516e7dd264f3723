#include "data/png_chunks.hpp"

#include <cstdint>

namespace myelin::data {

std::string without_empty_png_data_chunks(const std::string& bytes) {
  static const std::string signature("\x89PNG\r\n\x1a\n", 8);
  if (bytes.compare(0, signature.size(), signature) != 0) return bytes;
  // A chunk: 4-byte big-endian data length, 4-byte type, the data, a 4-byte CRC.
  const auto length_at = [&](size_t at) {
    uint32_t n = 0;
    for (size_t i = 0; i < 4; ++i) n = n << 8 | static_cast<unsigned char>(bytes[at + i]);
    return n;
  };
  std::string out = signature;
  out.reserve(bytes.size());
  size_t at = signature.size();
  while (bytes.size() - at >= 12) {
    const uint64_t size = 12 + uint64_t{length_at(at)};
    if (size > bytes.size() - at) break;
    if (size > 12 || bytes.compare(at + 4, 4, "IDAT") != 0) out.append(bytes, at, size);
    at += size;
  }
  out.append(bytes, at, std::string::npos);
  return out;
}

}  // namespace myelin::data
