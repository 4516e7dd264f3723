// Model files: safetensors plus the architecture in metadata, rebuilt into modules.
#include "fuzz_file.hpp"
#include "myelin/io/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return myelin::fuzz::parse_file(data, size, ".safetensors", [](const std::string& path) { myelin::io::load_model(path); });
}
