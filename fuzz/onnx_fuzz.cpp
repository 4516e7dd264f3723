// ONNX models (protobuf wire format, graph checks, node conversion) and single TensorProtos.
#include "fuzz_file.hpp"
#include "myelin/io/onnx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return myelin::fuzz::parse_file(data, size, ".onnx", [](const std::string& path) {
    try {
      myelin::io::import_onnx(path);
    } catch (const myelin::Error&) {
    }
    myelin::io::load_onnx_tensor(path);
  });
}
