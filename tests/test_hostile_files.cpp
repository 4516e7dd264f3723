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
  // 33 bytes of PNG signature and header chunk that claim 30000 x 30000 pixels: stb would
  // allocate 900 MB first.
  const std::string path = dir.file("huge.png");
  const std::string signature("\x89PNG\r\n\x1a\n", 8), chunk("\0\0\0\x0d" "IHDR", 8);
  const std::string size("\0\0\x75\x30\0\0\x75\x30", 8), format("\x08\0\0\0\0", 5), crc(4, '\0');
  write_bytes(path, signature + chunk + size + format + crc);
  expect_error<IoError>([&] { data::read_image(path, 1); },
                        {path + ": the header claims 30000 x 30000 pixels", "more than the 67108864"});
}

// Found by image_fuzz: a truncated 16-bit PGM made stb_image read past its buffer. PGM/PPM
// decoding is off, so it is a clear error naming the file.
TEST(HostileFiles, TruncatedSixteenBitPgmIsAnError) {
  ScratchDir dir;
  const std::string path = dir.file("short.pgm");
  write_bytes(path, std::string("P5\n2 2\n2552\n255\n\0\n\0@\x80\xff", 22));
  expect_error<IoError>([&] { data::read_image(path, 1); }, {path});
}

// Found by image_fuzz under UBSan: a PNG whose image data starts with an empty IDAT chunk made
// Debian's stb_image pass a null buffer to memcpy. Empty data chunks are dropped before decoding.
TEST(HostileFiles, PngStartingWithAnEmptyDataChunkIsAnError) {
  const std::string path = std::string(MYELIN_FIXTURE_DIR) + "/image_fuzz/crash-empty-idat.png";
  expect_error<IoError>([&] { data::read_image(path, 3); }, {path});
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
  // 2^62 * 4 elements: a setting beyond ModuleSpec::kMaxIntSetting is refused before any size is computed.
  const std::string path = model_claiming(dir, "4611686018427387904", "4");
  expect_error<IoError>([&] { io::load_model(path); },
                        {path + ": cannot rebuild the model", "'in_features' must be between -2147483648 and 2147483648"});
}

}  // namespace
}  // namespace myelin::testing
