#pragma once
// The bytes of IDX files of unsigned bytes for tests (the MNIST format: a magic number, big-endian
// dimensions, then the data).
#include <cstdint>
#include <string>
#include <vector>

namespace myelin::testing {

// An IDX file of unsigned bytes with the given dimensions.
inline std::string idx_bytes(const std::vector<int32_t>& dims, const std::vector<uint8_t>& values) {
  std::string s = {0, 0, 0x08, static_cast<char>(dims.size())};
  for (int32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((d >> shift) & 0xff);
  s.append(values.begin(), values.end());
  return s;
}

}  // namespace myelin::testing
