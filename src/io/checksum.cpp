// CRC-32 (zlib's) over a safetensors file's content as loaded: one per tensor's data, and one
// over the whole (metadata, names, shapes, data) combined from those without a second pass.
#include "myelin/io/checksum.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "myelin/autograd.hpp"
#include "myelin/error.hpp"

namespace myelin::io {
namespace {

constexpr const char* kAlgorithm = "crc32:";
constexpr size_t kHexDigits = 8;

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

std::string hex(uLong crc) {
  char text[16];
  std::snprintf(text, sizeof text, "%08lx", static_cast<unsigned long>(crc));
  return text;
}

// One tensor's float32 data: its CRC and its byte count.
struct DataSum {
  uLong crc;
  uint64_t bytes;
};

std::vector<DataSum> data_sums(const NamedTensors& tensors) {
  NoGradGuard no_grad;
  std::vector<DataSum> out;
  for (const auto& [name, t] : tensors) {
    const Tensor dense = t.contiguous();
    const uint64_t bytes = static_cast<uint64_t>(dense.numel()) * sizeof(float);
    out.push_back({add(crc32(0, nullptr, 0), dense.data(), bytes), bytes});
  }
  return out;
}

std::string tensor_checksums_text(const std::vector<DataSum>& sums) {
  std::string text = kAlgorithm;
  for (size_t i = 0; i < sums.size(); ++i) text += (i ? "," : "") + hex(sums[i].crc);
  return text;
}

// The whole-file checksum (as myelin has always written it), its data part combined from the
// per-tensor sums.
std::string file_checksum(const NamedTensors& tensors, const std::vector<DataSum>& sums,
                          const std::map<std::string, std::string>& metadata) {
  uLong crc = crc32(0, nullptr, 0);
  for (const auto& [key, value] : metadata)
    if (key != kChecksumKey) crc = add(add(crc, key), value);
  for (size_t i = 0; i < tensors.size(); ++i) {
    crc = add(crc, tensors[i].first);
    for (int64_t d : tensors[i].second.shape()) crc = add(crc, &d, sizeof d);
    crc = crc32_combine(crc, sums[i].crc, static_cast<z_off_t>(sums[i].bytes));
  }
  return kAlgorithm + hex(crc);
}

// The per-tensor sums a kTensorChecksumsKey value lists, or throws naming the entry.
std::vector<uLong> parse_tensor_checksums(const std::string& path, const std::string& text) {
  const std::string expected = "expected 'crc32:' and 8 hex digits per tensor, separated by commas";
  auto malformed = [&] {
    const std::string shown = text.size() <= 40 ? text : text.substr(0, 37) + "...";
    throw IoError(path + ": metadata '" + kTensorChecksumsKey + "' is '" + shown + "', " + expected);
  };
  if (text.rfind(kAlgorithm, 0) != 0) malformed();
  std::vector<uLong> out;
  for (size_t at = std::char_traits<char>::length(kAlgorithm); at < text.size(); at += kHexDigits + 1) {
    if (text.size() - at < kHexDigits) malformed();
    const std::string digits = text.substr(at, kHexDigits);
    if (digits.find_first_not_of("0123456789abcdef") != std::string::npos) malformed();
    if (at + kHexDigits < text.size() && text[at + kHexDigits] != ',') malformed();
    out.push_back(std::stoul(digits, nullptr, 16));
  }
  return out;
}

std::string byte_range(uint64_t data_start, uint64_t begin, uint64_t end) {
  const std::string where = data_start ? "file bytes [" : "data section bytes [";
  return where + std::to_string(data_start + begin) + ", " + std::to_string(data_start + end) + ")";
}

// Throws naming the first tensor whose data does not match its stored sum.
void verify_tensors(const std::string& path, const TensorFile& file, const std::vector<DataSum>& sums,
                    const std::string& stored_text, uint64_t data_start) {
  const std::vector<uLong> stored = parse_tensor_checksums(path, stored_text);
  if (stored.size() != sums.size())
    throw IoError(path + ": metadata '" + kTensorChecksumsKey + "' lists " + std::to_string(stored.size()) +
                  " checksums for " + std::to_string(sums.size()) +
                  " tensors: the file is corrupt or was changed after it was written");
  uint64_t offset = 0;
  size_t bad = 0, first = sums.size(), first_offset = 0;
  for (size_t i = 0; i < sums.size(); ++i) {
    if (stored[i] != sums[i].crc && bad++ == 0) first = i, first_offset = offset;
    offset += sums[i].bytes;
  }
  if (bad == 0) return;
  const std::string others = bad > 1 ? " and " + std::to_string(bad - 1) + " more tensor(s)" : "";
  throw IoError(path + ": checksum mismatch in tensor '" + file.tensors[first].first + "' (" +
                byte_range(data_start, first_offset, first_offset + sums[first].bytes) + ")" + others +
                ": stored " + kAlgorithm + hex(stored[first]) + ", content gives " + kAlgorithm +
                hex(sums[first].crc) + ": the file is corrupt or was changed after it was written");
}

}  // namespace

std::map<std::string, std::string> with_checksum(const NamedTensors& tensors,
                                                 std::map<std::string, std::string> metadata) {
  const std::vector<DataSum> sums = data_sums(tensors);
  metadata[kTensorChecksumsKey] = tensor_checksums_text(sums);
  metadata[kChecksumKey] = file_checksum(tensors, sums, metadata);
  return metadata;
}

void verify_checksum(const std::string& path, const TensorFile& file, uint64_t data_start) {
  auto it = file.metadata.find(kChecksumKey);
  if (it == file.metadata.end()) return;
  const std::string& stored = it->second;
  if (stored.size() != std::char_traits<char>::length(kAlgorithm) + kHexDigits || stored.rfind(kAlgorithm, 0) != 0)
    throw IoError(path + ": metadata '" + kChecksumKey + "' is '" + stored.substr(0, 40) +
                  "', expected 'crc32:<8 hex digits>'");
  const std::vector<DataSum> sums = data_sums(file.tensors);
  auto per_tensor = file.metadata.find(kTensorChecksumsKey);
  if (per_tensor != file.metadata.end()) verify_tensors(path, file, sums, per_tensor->second, data_start);
  const std::string actual = file_checksum(file.tensors, sums, file.metadata);
  if (actual == stored) return;
  throw IoError(path + ": checksum mismatch (stored " + stored + ", content gives " + actual + ")" +
                (per_tensor != file.metadata.end()
                     ? " outside the tensor data (each tensor's data matches its own checksum; the metadata, "
                       "the tensor names or shapes differ)"
                     : "") +
                ": the file is corrupt or was changed after it was written");
}

}  // namespace myelin::io
