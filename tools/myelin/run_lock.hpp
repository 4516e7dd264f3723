#pragma once
// RunLock: one `myelin train` at a time in a run directory, so two runs cannot overwrite each
// other's model, checkpoint and metrics (the last writer winning, or a mix after a crash).
#include <string>

namespace myelin::cli {

/// The lock file a run holds in its directory.
inline constexpr const char* kRunLockName = ".myelin-run.lock";

/// RunLock: an exclusive flock on DIR/.myelin-run.lock for as long as the object lives. The
/// file says who holds it ("pid 1234, started 2026-12-05 10:20:31 UTC"). The kernel releases a
/// flock when its process ends in any way (exit, crash, SIGKILL), so a dead run never blocks
/// the next one; a clean end also removes the file.
class RunLock {
 public:
  /// Takes the lock on `dir` (an existing directory) without waiting.
  /// Throws Error "<dir> is in use by another run (pid ..., started ...)" when another process
  /// holds it, IoError naming the lock file when it cannot be created or locked.
  explicit RunLock(const std::string& dir);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace myelin::cli
