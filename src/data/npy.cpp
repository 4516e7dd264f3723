// .npy reader. Layout: "\x93NUMPY", major, minor, header length (2 bytes little-endian in
// version 1, 4 bytes in versions 2 and 3), then a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with spaces, then the data.
#include "myelin/data/npy.hpp"

#include <bit>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include "myelin/error.hpp"

namespace myelin::data {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw IoError(path + ": " + what); }

constexpr uint64_t kMaxHeader = 1 << 16;  // NumPy itself writes a few hundred bytes

// The value text of `key` in the header dict, up to the next top-level comma or closing brace.
std::string dict_value(const std::string& path, const std::string& header, const std::string& key) {
  const size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) fail(path, "the .npy header has no '" + key + "' entry: " + header);
  size_t i = header.find(':', k);
  if (i == std::string::npos) fail(path, "the .npy header's '" + key + "' entry has no value: " + header);
  ++i;
  while (i < header.size() && header[i] == ' ') ++i;
  size_t e = i;
  int depth = 0;
  while (e < header.size() && !(depth == 0 && (header[e] == ',' || header[e] == '}'))) {
    if (header[e] == '(') ++depth;
    if (header[e] == ')') --depth;
    ++e;
  }
  return header.substr(i, e - i);
}

Shape parse_shape(const std::string& path, const std::string& text) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')')
    fail(path, "the .npy shape " + text + " is not a tuple");
  Shape shape;
  std::string digits;
  for (size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits += c;
      if (digits.size() > 15) fail(path, "the .npy shape " + text + " has an impossibly large size");
    } else if (c == ',' || c == ')') {
      if (!digits.empty()) shape.push_back(std::stoll(digits));
      else if (c == ',') fail(path, "the .npy shape " + text + " is malformed");
      digits.clear();
    } else if (c != ' ') {
      fail(path, "the .npy shape " + text + " is malformed");
    }
  }
  return shape;
}

struct Dtype {
  char kind;  // 'f', 'i', 'u', 'b'
  int64_t bytes;
  bool big_endian;
};

Dtype parse_dtype(const std::string& path, const std::string& text) {
  if (text.size() < 5 || text.front() != '\'' || text.back() != '\'')
    fail(path, "unsupported .npy dtype " + text + " (structured and object arrays cannot be read)");
  const std::string d = text.substr(1, text.size() - 2);
  const char order = d[0], kind = d[1];
  const std::string size = d.substr(2);
  const bool known_size = size == "1" || size == "2" || size == "4" || size == "8";
  const bool ok = (order == '<' || order == '>' || order == '|' || order == '=') && known_size &&
                  ((kind == 'f' && size != "1") || kind == 'i' || kind == 'u' || (kind == 'b' && size == "1"));
  if (!ok)
    fail(path, "unsupported .npy dtype '" + d + "' (expected float16/32/64, int8-64, uint8-64 or bool" +
                   (kind == 'O' ? "; object arrays cannot be read" : "") + ")");
  return {kind, std::stoll(size), order == '>'};
}

float half_to_float(uint16_t h) {
  const uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ffu;
  if (exp == 0) {  // zero or subnormal: mant * 2^-24
    const float v = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -v : v;
  }
  if (exp == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mant << 13));
  return std::bit_cast<float>(sign | ((exp + 112) << 23) | (mant << 13));
}

// One element at p, in the file's byte order, as float.
float element(const unsigned char* p, const Dtype& t) {
  uint64_t u = 0;
  for (int64_t b = 0; b < t.bytes; ++b) {
    const int64_t at = t.big_endian ? b : t.bytes - 1 - b;
    u = (u << 8) | p[at];
  }
  switch (t.kind) {
    case 'f':
      if (t.bytes == 2) return half_to_float(static_cast<uint16_t>(u));
      if (t.bytes == 4) return std::bit_cast<float>(static_cast<uint32_t>(u));
      return static_cast<float>(std::bit_cast<double>(u));
    case 'i': {
      const int shift = static_cast<int>(64 - 8 * t.bytes);  // sign-extend
      return static_cast<float>(static_cast<int64_t>(u << shift) >> shift);
    }
    case 'b': return u != 0 ? 1.f : 0.f;
    default: return static_cast<float>(u);
  }
}

}  // namespace

Tensor read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail(path, std::string("cannot open: ") + std::strerror(errno));
  const uint64_t length = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  unsigned char pre[12] = {};
  in.read(reinterpret_cast<char*>(pre), 10);
  if (in.gcount() < 10 || std::memcmp(pre, "\x93NUMPY", 6) != 0)
    fail(path, "not a .npy file (it does not start with \\x93NUMPY and a version)");
  const int major = pre[6];
  if (major < 1 || major > 3) fail(path, "unsupported .npy format version " + std::to_string(major));
  uint64_t header_len = pre[8] | (uint64_t{pre[9]} << 8);
  uint64_t data_start = 10;
  if (major >= 2) {
    in.read(reinterpret_cast<char*>(pre + 10), 2);
    if (in.gcount() < 2) fail(path, "truncated .npy preamble");
    header_len |= (uint64_t{pre[10]} << 16) | (uint64_t{pre[11]} << 24);
    data_start = 12;
  }
  if (header_len > kMaxHeader || data_start + header_len > length)
    fail(path, "the .npy header claims " + std::to_string(header_len) + " bytes, but the file has " +
                   std::to_string(length) + " (at most " + std::to_string(kMaxHeader) + " are accepted)");
  std::string header(static_cast<size_t>(header_len), '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_len));
  data_start += header_len;
  if (header.find('{') == std::string::npos || header.find('}') == std::string::npos)
    fail(path, "the .npy header is not a dict: " + header);

  if (dict_value(path, header, "fortran_order") != "False")
    fail(path, "the array is in Fortran (column-major) order; save it with numpy.ascontiguousarray first");
  const Dtype type = parse_dtype(path, dict_value(path, header, "descr"));
  const Shape shape = parse_shape(path, dict_value(path, header, "shape"));
  uint64_t count = 1;
  for (int64_t s : shape) {
    if (s != 0 && count > (uint64_t{1} << 40) / static_cast<uint64_t>(s))
      fail(path, "the .npy shape " + to_string(shape) + " is larger than any file holds");
    count *= static_cast<uint64_t>(s);
  }
  const uint64_t data_bytes = count * static_cast<uint64_t>(type.bytes);
  if (data_start + data_bytes != length)
    fail(path, "the .npy header claims shape " + to_string(shape) + " (" + std::to_string(data_bytes) +
                   " bytes of data from byte offset " + std::to_string(data_start) + ") but the file has " +
                   std::to_string(length) + " bytes" + (data_start + data_bytes > length ? " (truncated)" : ""));

  Tensor out = Tensor::empty(shape);
  std::vector<unsigned char> raw(static_cast<size_t>(data_bytes));
  in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(data_bytes));
  if (static_cast<uint64_t>(in.gcount()) != data_bytes) fail(path, "read error in the .npy data");
  float* dst = out.data();
  for (uint64_t i = 0; i < count; ++i) dst[i] = element(raw.data() + i * type.bytes, type);
  return out;
}

}  // namespace myelin::data
