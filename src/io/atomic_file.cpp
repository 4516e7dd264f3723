// AtomicFile: temporary file, fsync, rename.
#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <system_error>

#include "myelin/error.hpp"

namespace myelin::io {
namespace {

std::string reason(int error) { return std::error_code(error, std::generic_category()).message(); }

// Unique within the process; the pid makes it unique across processes writing the same file.
std::atomic<uint64_t> temp_counter{0};

std::string temp_prefix(const std::filesystem::path& target) {
  std::string prefix(".");  // appended, not `"." + name`, which trips GCC 12's -Wrestrict
  prefix += target.filename().string();
  prefix += ".tmp";
  return prefix;
}

// The pid in a temporary file's name ".<name>.tmp<pid>-<n>", or 0 if `file` is not one.
pid_t writer_of(const std::string& file, const std::string& prefix) {
  if (file.compare(0, prefix.size(), prefix) != 0) return 0;
  const size_t dash = file.find('-', prefix.size());
  if (dash == std::string::npos || dash == prefix.size() || dash + 1 == file.size()) return 0;
  pid_t pid = 0;
  for (size_t i = prefix.size(); i < dash; ++i) {
    if (file[i] < '0' || file[i] > '9' || pid > 10'000'000) return 0;  // Linux pids stay below 2^22
    pid = pid * 10 + (file[i] - '0');
  }
  for (size_t i = dash + 1; i < file.size(); ++i)
    if (file[i] < '0' || file[i] > '9') return 0;
  return pid;
}

// Removes the temporary files of `target` whose writer no longer runs (a process killed in the
// middle of a write leaves its temporary file behind). A live writer's file is left alone.
void remove_stale_temporaries(const std::filesystem::path& target) {
  const std::string prefix = temp_prefix(target);
  const std::filesystem::path dir = target.parent_path().empty() ? "." : target.parent_path();
  std::error_code error;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const pid_t pid = writer_of(it->path().filename().string(), prefix);
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) std::filesystem::remove(it->path(), error);
  }
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  const std::filesystem::path target(path_);
  if (!target.has_filename()) throw IoError(path_ + ": not a file name");
  // O_EXCL never reuses an existing file; a clash (a stale file of a dead process with our pid)
  // just moves on to the next number.
  for (int attempt = 0;; ++attempt) {
    const std::string name = temp_prefix(target) + std::to_string(::getpid()) + "-" + std::to_string(temp_counter++);
    temp_path_ = (target.parent_path() / name).string();
    fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0) return;
    if (errno != EEXIST || attempt == 100)
      throw IoError(path_ + ": cannot create a temporary file in its directory: " + reason(errno));
  }
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

void AtomicFile::fail(const std::string& action, int error) const {
  throw IoError(path_ + ": " + action + " failed: " + reason(error) + " (the file is unchanged)");
}

void AtomicFile::write(const void* data, size_t bytes) {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::write(fd_, p, bytes);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write", errno);
    }
    p += n;
    bytes -= static_cast<size_t>(n);
  }
}

void AtomicFile::commit() {
  if (::fsync(fd_) != 0) fail("fsync", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("close", errno);
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) fail("rename", errno);
  committed_ = true;
  remove_stale_temporaries(path_);
  // Make the rename itself durable. The new file is already in place, so a failure here only
  // weakens the guarantee after a power loss and is not reported.
  const std::filesystem::path dir = std::filesystem::path(path_).parent_path();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

}  // namespace myelin::io

#include "myelin/io/atomic_write.hpp"

namespace myelin::io {

void write_file_atomically(const std::string& path, const std::string& text) {
  AtomicFile file(path);
  file.write(text.data(), text.size());
  file.commit();
}

}  // namespace myelin::io
