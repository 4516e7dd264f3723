#include "data/png_chunks.hpp"

#include <algorithm>
#include <cstdint>

namespace myelin::data {

std::string without_empty_png_data_chunks(std::string bytes) {
  static const std::string signature("\x89PNG\r\n\x1a\n", 8);
  if (bytes.compare(0, signature.size(), signature) != 0) return bytes;
  // A chunk: 4-byte big-endian data length, 4-byte type, the data, a 4-byte CRC. The kept
  // chunks move down over the dropped ones in place; with none dropped nothing moves.
  const auto length_at = [&](size_t at) {
    uint32_t n = 0;
    for (size_t i = 0; i < 4; ++i) n = n << 8 | static_cast<unsigned char>(bytes[at + i]);
    return n;
  };
  size_t read = signature.size(), write = read;
  while (bytes.size() - read >= 12) {
    const uint64_t size = 12 + uint64_t{length_at(read)};
    if (size > bytes.size() - read) break;
    if (size > 12 || bytes.compare(read + 4, 4, "IDAT") != 0) {
      if (write != read) std::copy(bytes.begin() + read, bytes.begin() + read + size, bytes.begin() + write);
      write += size;
    }
    read += size;
  }
  if (write != read) {
    std::copy(bytes.begin() + read, bytes.end(), bytes.begin() + write);
    bytes.resize(bytes.size() - (read - write));
  }
  return bytes;
}

}  // namespace myelin::data
