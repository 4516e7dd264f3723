// safetensors files (header JSON, offsets, dtypes).
#include "fuzz_file.hpp"
#include "myelin/io/safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return myelin::fuzz::parse_file(data, size, ".safetensors",
                                  [](const std::string& path) { myelin::io::load_safetensors(path); });
}
