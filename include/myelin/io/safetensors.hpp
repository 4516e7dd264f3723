#pragma once
// safetensors files: named tensors plus a string-to-string metadata map, in the format of
// Hugging Face's safetensors library (so files move between myelin and PyTorch).
//
// Layout: an 8-byte little-endian header length N; N bytes of JSON header, padded with spaces
// to a multiple of 8 so the data that follows is 8-byte aligned; then the data section. The
// header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end)} (offsets
// relative to the data section, row-major little-endian data), and the optional key
// "__metadata__" to the string-to-string metadata.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::io {

/// Named tensors in order.
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

/// TensorFile: the content of a safetensors file.
struct TensorFile {
  NamedTensors tensors;                         // in the order of their data in the file
  std::map<std::string, std::string> metadata;  // the "__metadata__" map (empty when absent)
};

/// Writes `tensors` as F32 and `metadata` as "__metadata__" to `path`, with the checksums of
/// the content added to the metadata ("checksum" and "tensor_checksums", see checksum.hpp;
/// values given for them are replaced).
///
/// Tensors may have any shape (0-d and empty ones included) and any layout (views are written
/// row-major). Header entries and data are in the order given; "__metadata__" comes first.
/// Requires: tensors defined; names unique, not "__metadata__"; names and metadata valid UTF-8.
/// Ensures: atomic replacement (temporary file in the same directory, fsync, rename): on any
/// failure `path` keeps its old content and no temporary file is left behind.
/// Throws IoError starting with `path` and naming the tensor or field at fault.
void save_safetensors(const std::string& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata = {});

/// Reads a safetensors file. F32 tensors load exactly; F64, F16, BF16, I64, I32, I16, I8, U8
/// and BOOL tensors are converted to float32 (F64 rounds to nearest; integers beyond 2^24 lose
/// precision).
///
/// The whole header is validated before any tensor is allocated: header length against the
/// file size, well-formed JSON without duplicate keys, known dtypes, shape size * dtype size
/// equal to the data_offsets span, spans inside the data section and tiling it exactly (no
/// overlaps, no gaps, as the format requires), metadata values that are strings. A hostile
/// header therefore cannot make the reader allocate more than the file holds.
/// When the metadata holds a "checksum", the content is verified against it (verify_checksum):
/// a changed byte is an error naming the tensor and its bytes in the file.
/// Throws IoError starting with `path` and naming the tensor or field at fault.
TensorFile load_safetensors(const std::string& path);

}  // namespace myelin::io
