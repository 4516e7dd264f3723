#pragma once
// The element types of safetensors files that myelin reads, and their conversion to float32.
#include <cstdint>
#include <string>

namespace myelin::io {

/// DType: one safetensors element type.
struct DType {
  const char* name;  // as in the header: "F32", "BF16", ...
  int64_t size;      // bytes per element
  /// Converts `n` little-endian elements at `src` to float32 at `dst`; null for F32 itself,
  /// which is read straight into the tensor.
  void (*to_float)(const unsigned char* src, int64_t n, float* dst);
};

/// The dtype called `name`, or null when myelin cannot read it.
const DType* find_dtype(const std::string& name);
/// The readable dtypes' names, "F64, F32, ..." (for error messages).
std::string readable_dtypes();

}  // namespace myelin::io
