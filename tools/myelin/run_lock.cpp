#include "run_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "myelin/error.hpp"

namespace myelin::cli {
namespace {

std::string reason(int err) { return std::strerror(err); }

// "pid 1234, started 2026-12-05 10:20:31 UTC": who holds the lock, as written in the file.
std::string holder_text() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return "pid " + std::to_string(::getpid()) + ", started " + when;
}

// The holder's line from the lock file open as `fd`, printable characters only.
std::string read_holder(int fd) {
  char buf[128];
  const ssize_t n = ::pread(fd, buf, sizeof buf, 0);
  std::string out;
  for (ssize_t i = 0; i < n && buf[i] != '\n'; ++i)
    if (std::isprint(static_cast<unsigned char>(buf[i]))) out += buf[i];
  return out.empty() ? "it started a moment ago and has not written its pid yet" : out;
}

// Whether `fd` is still the file at `path` (a run that ended removes its lock file; a process
// that opened it just before then holds a lock nobody else sees).
bool is_file_at(int fd, const std::string& path) {
  struct stat held{}, named{};
  return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
         held.st_ino == named.st_ino;
}

}  // namespace

RunLock::RunLock(const std::string& dir) : path_(dir + "/" + kRunLockName) {
  for (;;) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw IoError(path_ + ": cannot create the run's lock file: " + reason(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      const std::string holder = read_holder(fd_);
      ::close(fd_);
      if (err == EWOULDBLOCK)
        throw Error(dir + " is in use by another run (" + holder + ", holding " + path_ +
                    "): two runs into one directory overwrite each other's files; wait for it to end or "
                    "choose another --out");
      throw IoError(path_ + ": cannot lock the run directory: " + reason(err));
    }
    if (is_file_at(fd_, path_)) break;
    ::close(fd_);
  }
  const std::string text = holder_text() + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    const int err = errno;
    ::unlink(path_.c_str());
    ::close(fd_);
    throw IoError(path_ + ": cannot write the run's lock file: " + reason(err));
  }
}

RunLock::~RunLock() {
  ::unlink(path_.c_str());  // before the lock is released, so no one can lock the removed file
  ::close(fd_);
}

}  // namespace myelin::cli
