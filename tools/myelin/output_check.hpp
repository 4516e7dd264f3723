#pragma once
// Checking a run's outputs before its first epoch, so an unwritable path is found in a second
// rather than after training.
#include <string>
#include <vector>

namespace myelin::cli {

/// An output file a command writes: its name in the output directory and what it holds.
struct OutputFile {
  std::string name;  // e.g. "model.safetensors"
  std::string role;  // e.g. "the final model"
};

/// Checks that every one of `files` can be written in `dir` (an existing directory): no path
/// is a directory or another non-file, and a probe file can be created and removed in `dir`
/// (the outputs are written as a temporary file there, then renamed).
/// Throws IoError starting with the path at fault and saying why.
void check_writable(const std::string& dir, const std::vector<OutputFile>& files);

}  // namespace myelin::cli
