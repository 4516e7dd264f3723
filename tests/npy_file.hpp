#pragma once
// The bytes of .npy files for tests: a header padded as NumPy pads it, then raw data.
#include <initializer_list>
#include <string>

namespace myelin::testing {

// A version-1 (or 2) .npy file with `header` (padded as NumPy does) and raw `data`.
inline std::string npy(const std::string& header, const std::string& data, int version = 1) {
  std::string h = header;
  const size_t pre = version == 1 ? 10 : 12;
  while ((pre + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  std::string out = std::string("\x93NUMPY", 6) + static_cast<char>(version) + '\0';
  out += static_cast<char>(h.size() & 0xff);
  out += static_cast<char>((h.size() >> 8) & 0xff);
  if (version != 1) out += std::string(2, '\0');
  return out + h + data;
}

// The bytes of `values`, in this machine's (little-endian) order.
template <class T, class Values = std::initializer_list<T>>
std::string bytes(const Values& values) {
  std::string out;
  for (T v : values) out.append(reinterpret_cast<const char*>(&v), sizeof v);
  return out;
}

}  // namespace myelin::testing
