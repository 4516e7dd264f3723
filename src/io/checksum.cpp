// CRC-32 (zlib's) over a safetensors file's content as loaded.
#include "myelin/io/checksum.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdio>

#include "myelin/autograd.hpp"
#include "myelin/error.hpp"

namespace myelin::io {
namespace {

constexpr const char* kAlgorithm = "crc32:";

uLong add(uLong crc, const void* data, size_t bytes) {
  const auto* p = static_cast<const Bytef*>(data);
  while (bytes > 0) {  // zlib's crc32 takes a 32-bit length
    const uInt n = static_cast<uInt>(std::min<size_t>(bytes, 1u << 30));
    crc = crc32(crc, p, n);
    p += n;
    bytes -= n;
  }
  return crc;
}

// Each string is preceded by its length, so ("ab", "c") and ("a", "bc") differ.
uLong add(uLong crc, const std::string& s) {
  const uint64_t n = s.size();
  return add(add(crc, &n, sizeof n), s.data(), s.size());
}

std::string checksum_of(const NamedTensors& tensors, const std::map<std::string, std::string>& metadata) {
  NoGradGuard no_grad;
  uLong crc = crc32(0, nullptr, 0);
  for (const auto& [key, value] : metadata)
    if (key != kChecksumKey) crc = add(add(crc, key), value);
  for (const auto& [name, t] : tensors) {
    crc = add(crc, name);
    for (int64_t d : t.shape()) crc = add(crc, &d, sizeof d);
    const Tensor dense = t.contiguous();
    crc = add(crc, dense.data(), static_cast<size_t>(dense.numel()) * sizeof(float));
  }
  char text[24];
  std::snprintf(text, sizeof text, "%s%08lx", kAlgorithm, static_cast<unsigned long>(crc));
  return text;
}

}  // namespace

std::map<std::string, std::string> with_checksum(const std::string& path, const NamedTensors& tensors,
                                                 std::map<std::string, std::string> metadata) {
  if (metadata.count(kChecksumKey))
    throw IoError(path + ": metadata may not set '" + kChecksumKey + "' (it is computed when saving)");
  metadata[kChecksumKey] = checksum_of(tensors, metadata);
  return metadata;
}

void verify_checksum(const std::string& path, const TensorFile& file) {
  auto it = file.metadata.find(kChecksumKey);
  if (it == file.metadata.end()) return;
  if (it->second.rfind(kAlgorithm, 0) != 0)
    throw IoError(path + ": metadata '" + kChecksumKey + "' is '" + it->second + "', expected 'crc32:<8 hex digits>'");
  const std::string actual = checksum_of(file.tensors, file.metadata);
  if (actual != it->second)
    throw IoError(path + ": checksum mismatch (stored " + it->second + ", content gives " + actual +
                  "): the file is corrupt or was changed after it was written");
}

}  // namespace myelin::io
