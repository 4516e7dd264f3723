#pragma once
// Checksums of safetensors files, so a flipped bit on disk is an error at load time naming the
// tensor it hit, rather than silently wrong weights. save_safetensors writes them always and
// load_safetensors verifies them when present; these functions are the pieces, for files kept
// in memory.
#include <cstdint>
#include <map>
#include <string>

#include "myelin/io/safetensors.hpp"

namespace myelin::io {

/// The metadata key of the file's checksum, e.g. "crc32:1c291ca3": a CRC-32 over every other
/// metadata entry, then each tensor's name, shape and float32 data in order.
inline constexpr const char* kChecksumKey = "checksum";
/// The metadata key of the per-tensor checksums, e.g. "crc32:1c291ca3,0e3f5a21": the CRC-32 of
/// each tensor's float32 data, in the order of the tensors' data in the file.
inline constexpr const char* kTensorChecksumsKey = "tensor_checksums";

/// `metadata` with kChecksumKey and kTensorChecksumsKey set for `tensors` (values given for
/// those keys are replaced: they describe the content, so they are computed, never copied).
std::map<std::string, std::string> with_checksum(const NamedTensors& tensors,
                                                 std::map<std::string, std::string> metadata);

/// Recomputes the checksums of a loaded file and compares them with the stored ones.
/// Files without kChecksumKey (written by other tools or before myelin stored checksums) pass:
/// the checksum is a guard against corruption, not a required field. Files from before the
/// per-tensor checksums are checked as a whole.
/// `data_start` is where the data section begins in the file (8 + the header length), so
/// messages give a tensor's bytes in the file; 0 gives them relative to the data section.
/// Throws IoError starting with `path`: "checksum mismatch in tensor '<name>' (file bytes
/// [a, b))" when a tensor's data changed, "checksum mismatch ... outside the tensor data"
/// when only metadata, names or shapes did, or naming the malformed checksum entry.
void verify_checksum(const std::string& path, const TensorFile& file, uint64_t data_start = 0);

}  // namespace myelin::io
