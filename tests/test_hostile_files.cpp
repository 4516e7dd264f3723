// Hostile files: sizes a file claims are checked before anything is allocated, and inputs the
// fuzz targets (fuzz/) found are rejected with an error naming the file. Each finding of a fuzz
// run gets a case here.
#include <gtest/gtest.h>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"
#include "scratch_dir.hpp"

namespace myelin::testing {
namespace {

TEST(HostileFiles, ImageHeaderClaimingBillionsOfPixelsIsRefusedBeforeDecoding) {
  ScratchDir dir;
  // 20 bytes of PGM header that claim 30000 x 30000 pixels: stb would allocate 900 MB first.
  const std::string path = dir.file("huge.pgm");
  write_bytes(path, "P5\n30000 30000\n255\n\x01");
  expect_error<IoError>([&] { data::read_image(path, 1); },
                        {path + ": the header claims 30000 x 30000 pixels", "more than the 67108864"});
}

// A model file whose architecture asks for a Linear layer of `in` x `out` and holds no weights.
std::string model_claiming(const ScratchDir& dir, const std::string& in, const std::string& out) {
  const std::string path = dir.file("model.safetensors");
  const std::string linear = R"({"type":"Linear","attrs":{"in_features":")" + in + R"(","out_features":")" + out +
                             R"(","bias":"false"},"children":[]})";
  io::save_safetensors(path, {}, {{"format", "myelin"}, {"format_version", "1"}, {"architecture", linear}});
  return path;
}

TEST(HostileFiles, ModelArchitectureClaimingTerabytesIsRefusedBeforeBuilding) {
  ScratchDir dir;
  const std::string path = model_claiming(dir, "1000000", "1000000");  // 4 TB of weights
  expect_error<IoError>([&] { io::load_model(path); },
                        {path + ": cannot rebuild the model", "needs far more memory than the file's 0 bytes of weights"});
}

TEST(HostileFiles, ModelArchitectureWhoseSizeOverflowsIsAnError) {
  ScratchDir dir;
  const std::string path = model_claiming(dir, "4611686018427387904", "4");  // 2^62 * 4 elements
  expect_error<IoError>([&] { io::load_model(path); }, {path + ": cannot rebuild the model", "more than 2^63 elements"});
}

}  // namespace
}  // namespace myelin::testing
