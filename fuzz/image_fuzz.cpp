// Images (PNG, JPEG, BMP, GIF, PNM, ... through stb_image), as RGB and as grayscale.
#include "fuzz_file.hpp"
#include "myelin/data/image.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return myelin::fuzz::parse_file(data, size, ".img", [](const std::string& path) {
    myelin::data::read_image(path, 3);
    myelin::data::read_image(path, 1);
  });
}
