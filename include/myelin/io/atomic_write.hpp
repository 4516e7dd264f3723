#pragma once
// Whole-file writes that never leave a half-written file.
#include <string>

namespace myelin::io {

/// Replaces `path` with `text` atomically: readers see the old file or the complete new one.
/// Throws IoError naming `path` on failure, leaving the old file (if any) untouched.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace myelin::io
