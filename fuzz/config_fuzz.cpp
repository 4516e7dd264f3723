// TOML run configs (the parser, then every section's checks).
#include "fuzz_file.hpp"
#include "myelin/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return myelin::fuzz::parse_file(data, size, ".toml", [](const std::string& path) { myelin::config::load_config(path); });
}
