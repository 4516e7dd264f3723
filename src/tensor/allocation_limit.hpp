#pragma once
// AllocationLimit: a cap on the tensor storage one thread may allocate while the guard is alive,
// for building things whose size comes from an untrusted file (a model file's architecture):
// the file's claim is refused with an error before the memory is asked for.
#include <cstddef>
#include <string>

#include "myelin/error.hpp"

namespace myelin {

/// AllocationRefused: what AllocationLimit::charge throws: the guard's message, with the bytes
/// asked for and the bytes the guard had left, for callers that word their own message.
class AllocationRefused : public Error {
 public:
  AllocationRefused(const std::string& what, size_t asked, size_t left) : Error(what), asked(asked), left(left) {}
  size_t asked, left;
};

class AllocationLimit {
 public:
  // `message` is the error thrown (AllocationRefused) when the storage allocated under the guard
  // would exceed `bytes`; the bytes asked for are appended. Not nestable: one guard per thread.
  AllocationLimit(size_t bytes, std::string message);
  ~AllocationLimit();
  AllocationLimit(const AllocationLimit&) = delete;
  AllocationLimit& operator=(const AllocationLimit&) = delete;

  // Called by Storage before allocating, and by ops before other buffers whose size an input
  // decides: counts `bytes` against this thread's guard, if any.
  static void charge(size_t bytes);

 private:
  size_t left_;
  std::string message_;
};

}  // namespace myelin
