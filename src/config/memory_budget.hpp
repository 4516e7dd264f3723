#pragma once
// MemoryBudget: the memory a config's model needs to train, added up layer by layer while
// build_model builds it, and refused above a limit (the machine's memory, or --max-memory).
// Internal to src/config.
#include <cstdint>
#include <string>

namespace myelin::config {

/// The machine's physical memory in bytes (the default limit of a model's memory).
uint64_t physical_memory_bytes();

/// `bytes` for people: "980 bytes", "1.5 KiB", "16.0 GiB".
std::string bytes_text(uint64_t bytes);

/// MemoryBudget: what one training step of a model holds at least: every parameter twice (the
/// weight and its gradient) and every layer's output for a batch of `batch` examples, 4 bytes
/// a number. Sums saturate, so no count from a config can wrap around.
class MemoryBudget {
 public:
  /// `limit_bytes` 0 means physical_memory_bytes(); `batch` is the examples in one batch.
  MemoryBudget(uint64_t limit_bytes, int64_t batch);

  /// The bytes left under the limit.
  uint64_t left() const { return used_ < limit_ ? limit_ - used_ : 0; }

  /// Adds a built layer called `who` ("model.toml:12: layer 3 (Conv2d)") with `parameters`
  /// numbers and an output of `outputs_per_sample` numbers per example.
  /// Throws Error "<who> needs ... more than the limit of ..." when the sum passes the limit.
  void add_layer(const std::string& who, int64_t parameters, int64_t outputs_per_sample);

  /// Throws Error "<who> asks for ... more than the ... left ..." for a layer whose building
  /// (or zero-batch run) asked for a buffer of `asked` bytes with `left` left under the limit.
  [[noreturn]] void refuse(const std::string& who, uint64_t asked, uint64_t left) const;

 private:
  std::string limit_text() const;
  uint64_t limit_, used_ = 0;
  int64_t batch_;
  bool limit_given_;
};

}  // namespace myelin::config
