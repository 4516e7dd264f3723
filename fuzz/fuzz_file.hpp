#pragma once
// What every fuzz target shares: myelin's readers take paths, so each input is written to a
// file first; a myelin::Error is the expected answer to a bad file, anything else (another
// exception, a crash, a sanitizer report, a leak, a huge allocation) is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "myelin/error.hpp"

namespace myelin::fuzz {

// Writes `data` to this process's scratch file with extension `ext` and returns its path.
inline std::string as_file(const uint8_t* data, size_t size, const std::string& ext) {
  const std::string path = "/tmp/myelin-fuzz-" + std::to_string(::getpid()) + ext;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) __builtin_trap();  // the fuzzer's environment is broken, not the parser
  if (size > 0) std::fwrite(data, 1, size, f);
  std::fclose(f);
  return path;
}

// Runs `parse` on the input as a file; myelin::Error is a clean rejection.
template <class Parse>
int parse_file(const uint8_t* data, size_t size, const std::string& ext, Parse parse) {
  const std::string path = as_file(data, size, ext);
  try {
    parse(path);
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace myelin::fuzz
