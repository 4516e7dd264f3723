// NumPy .npy arrays.
#include "fuzz_file.hpp"
#include "myelin/data/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return myelin::fuzz::parse_file(data, size, ".npy", [](const std::string& path) { myelin::data::read_npy(path); });
}
