#pragma once
// AllocationLimit: a cap on the tensor storage one thread may allocate while the guard is alive,
// for building things whose size comes from an untrusted file (a model file's architecture):
// the file's claim is refused with an error before the memory is asked for.
#include <cstddef>
#include <string>

namespace myelin {

class AllocationLimit {
 public:
  // `message` is the error thrown (IoError) when the storage allocated under the guard would
  // exceed `bytes`; the bytes asked for are appended. Not nestable: one guard per thread.
  AllocationLimit(size_t bytes, std::string message);
  ~AllocationLimit();
  AllocationLimit(const AllocationLimit&) = delete;
  AllocationLimit& operator=(const AllocationLimit&) = delete;

  // Called by Storage before allocating: counts `bytes` against this thread's guard, if any.
  static void charge(size_t bytes);

 private:
  size_t left_;
  std::string message_;
};

}  // namespace myelin
