#pragma once
// Errors thrown by myelin. Every message names the op, layer, file or key at fault and says
// what was expected, so a user can fix the cause without reading the source.
#include <stdexcept>
#include <string>

namespace myelin {

/// Error: the base of every exception myelin throws.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

/// ShapeError: an op got tensors whose shapes do not fit together.
class ShapeError : public Error {
 public:
  using Error::Error;
};

/// IoError: a file could not be read or written, or its content is malformed.
/// The message starts with the file's path.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace myelin
