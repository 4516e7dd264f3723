#pragma once
// TempDir: a fresh directory for a test's files, removed with everything in it at the end.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace myelin::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "myelin-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("TempDir: mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

  // Writes `bytes` to `name` as they are; returns the full path.
  std::string write(const std::string& name, const std::string& bytes) const {
    const std::string p = file(name);
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("TempDir: cannot write " + p);
    return p;
  }

  // Writes `bytes` gzip-compressed to `name`; returns the full path.
  std::string write_gz(const std::string& name, const std::string& bytes) const {
    const std::string p = file(name);
    gzFile f = gzopen(p.c_str(), "wb");
    if (!f) throw std::runtime_error("TempDir: cannot write " + p);
    const int written = gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
    if (written != static_cast<int>(bytes.size())) throw std::runtime_error("TempDir: gzwrite failed for " + p);
    return p;
  }

 private:
  std::string path_;
};

}  // namespace myelin::testing
