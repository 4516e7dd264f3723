#pragma once
// Checksums of the files myelin writes (models, checkpoints), so a flipped bit on disk is an
// error at load time rather than silently wrong weights.
#include <map>
#include <string>

#include "myelin/io/safetensors.hpp"

namespace myelin::io {

/// The metadata key that holds the checksum, e.g. "crc32:1c291ca3".
inline constexpr const char* kChecksumKey = "checksum";

/// `metadata` plus kChecksumKey: a CRC-32 over the tensors (names, shapes, float32 data in
/// order) and every other metadata entry. What save_model and the CLI's checkpoints write.
/// Throws IoError (naming `path`) when `metadata` already sets kChecksumKey.
std::map<std::string, std::string> with_checksum(const std::string& path, const NamedTensors& tensors,
                                                 std::map<std::string, std::string> metadata);

/// Recomputes the checksum of a loaded file and compares it with the stored one.
/// Files without kChecksumKey (written by other tools or before myelin stored checksums) pass:
/// the checksum is a guard against corruption, not a required field.
/// Throws IoError starting with `path` on a mismatch or a malformed checksum entry.
void verify_checksum(const std::string& path, const TensorFile& file);

}  // namespace myelin::io
