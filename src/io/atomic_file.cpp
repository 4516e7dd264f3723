// AtomicFile: temporary file, fsync, rename.
#include "io/atomic_file.hpp"

#include <fcntl.h>
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

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  const std::filesystem::path target(path_);
  if (!target.has_filename()) throw IoError(path_ + ": not a file name");
  // O_EXCL never reuses an existing file; a clash (a stale file of a dead process with our pid)
  // just moves on to the next number.
  for (int attempt = 0;; ++attempt) {
    const std::string name = std::string(".") + target.filename().string() + ".tmp" + std::to_string(::getpid()) +
                             "-" + std::to_string(temp_counter++);
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
