#include "config/memory_budget.hpp"

#include <unistd.h>

#include <cstdio>

#include "myelin/error.hpp"

namespace myelin::config {
namespace {

constexpr uint64_t kBytesPerNumber = sizeof(float);

uint64_t saturating_mul(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

uint64_t saturating_add(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

uint64_t non_negative(int64_t v) { return v < 0 ? 0 : static_cast<uint64_t>(v); }

}  // namespace

uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return UINT64_MAX;  // unknown: no limit but the explicit one
  return saturating_mul(static_cast<uint64_t>(pages), static_cast<uint64_t>(page_size));
}

std::string bytes_text(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  static const char* const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes) / 1024;
  int unit = 0;
  for (; v >= 1024 && unit < 5; ++unit) v /= 1024;
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", v, units[unit]);
  return text;
}

MemoryBudget::MemoryBudget(uint64_t limit_bytes, int64_t batch)
    : limit_(limit_bytes > 0 ? limit_bytes : physical_memory_bytes()), batch_(batch), limit_given_(limit_bytes > 0) {}

std::string MemoryBudget::limit_text() const {
  return "the memory limit of " + bytes_text(limit_) +
         (limit_given_ ? " (--max-memory)" : " (the machine's memory; --max-memory sets another)");
}

void MemoryBudget::add_layer(const std::string& who, int64_t parameters, int64_t outputs_per_sample) {
  const uint64_t weights = saturating_mul(2 * kBytesPerNumber, non_negative(parameters));
  const uint64_t outputs = saturating_mul(saturating_mul(kBytesPerNumber, non_negative(outputs_per_sample)),
                                          non_negative(batch_));
  const uint64_t layer = saturating_add(weights, outputs);
  used_ = saturating_add(used_, layer);
  if (used_ <= limit_) return;
  throw Error(who + " needs " + bytes_text(layer) + " to train: " + bytes_text(weights) + " for its " +
              std::to_string(parameters) + " parameters (weights and gradients) and " + bytes_text(outputs) +
              " for its outputs (" + std::to_string(outputs_per_sample) + " numbers per example, batch of " +
              std::to_string(batch_) + "); the model up to it needs " + bytes_text(used_) + ", more than " +
              limit_text());
}

void MemoryBudget::refuse(const std::string& who, uint64_t asked, uint64_t left) const {
  throw Error(who + " asks for " + bytes_text(asked) + " at once while it is built and run on one example, " +
              "more than the " + bytes_text(left) + " left of " + limit_text());
}

}  // namespace myelin::config
