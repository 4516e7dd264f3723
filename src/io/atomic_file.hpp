#pragma once
// AtomicFile: writes a file so that readers see either its old content or the complete new one.
#include <cstddef>
#include <string>

namespace myelin::io {

/// AtomicFile: a temporary file next to `path` (same directory, so the final rename is atomic)
/// that commit() flushes to disk and renames over `path`.
///
/// Requires: the directory of `path` exists and is writable.
/// Ensures: until commit() returns, `path` is untouched; if the AtomicFile is destroyed without a
/// successful commit() (an exception on the way), the temporary file is removed. A successful
/// commit() also removes temporary files of `path` left by writers that were killed (their
/// process no longer exists); failing to remove one is not an error.
/// Every failure throws IoError starting with `path` and giving the system's reason.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Appends `bytes` bytes.
  void write(const void* data, size_t bytes);
  /// fsync, close, rename over `path`; call once, after the last write().
  void commit();

 private:
  [[noreturn]] void fail(const std::string& action, int error) const;

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace myelin::io
