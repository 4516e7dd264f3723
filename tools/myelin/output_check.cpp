#include "output_check.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "myelin/error.hpp"

namespace myelin::cli {
namespace {

namespace fs = std::filesystem;

// Creates and removes a file in `dir`, as writing an output there will; the error when it fails.
std::string probe(const std::string& dir) {
  const std::string path = dir + "/.myelin-probe-" + std::to_string(::getpid());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return std::strerror(errno);
  ::close(fd);
  if (::unlink(path.c_str()) != 0) return std::strerror(errno);
  return "";
}

}  // namespace

void check_writable(const std::string& dir, const std::vector<OutputFile>& files) {
  for (const OutputFile& f : files) {
    const std::string path = dir + "/" + f.name;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (fs::is_directory(status))
      throw IoError(path + ": is a directory, so " + f.role + " cannot be written there (remove it, or choose "
                    "another --out)");
    if (fs::exists(status) && !fs::is_regular_file(status))
      throw IoError(path + ": is not a regular file, so " + f.role + " cannot be written there");
  }
  const std::string failure = probe(dir);
  if (!failure.empty() && !files.empty())
    throw IoError(dir + "/" + files.front().name + ": cannot be written: creating a file in " + dir + " fails (" +
                  failure + ")");
}

}  // namespace myelin::cli
