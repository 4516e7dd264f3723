// IDX files (MNIST's format), plain and gzip-compressed.
#include "fuzz_file.hpp"
#include "myelin/data/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return myelin::fuzz::parse_file(data, size, ".idx", [](const std::string& path) { myelin::data::read_idx(path); });
}
