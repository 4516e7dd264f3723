// Checksums of model files: a flipped byte anywhere in the payload is an error on load; files
// without a checksum (other tools, older myelin) still load.
#include <gtest/gtest.h>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"
#include "scratch_dir.hpp"

namespace myelin::testing {
namespace {

nn::ModulePtr small_model() {
  Generator gen(3);
  return nn::build_module(
      [] {
        nn::ModuleSpec spec;
        spec.type = "Sequential";
        nn::ModuleSpec linear;
        linear.type = "Linear";
        linear.set("in_features", int64_t{3});
        linear.set("out_features", int64_t{2});
        spec.children.emplace_back("0", linear);
        return spec;
      }(),
      &gen);
}

TEST(Checksum, ModelFilesCarryOneThatVerifies) {
  ScratchDir dir;
  const std::string path = dir.file("m.safetensors");
  io::save_model(path, *small_model(), {{"labels", "a,b"}});
  const io::TensorFile file = io::load_safetensors(path);
  ASSERT_TRUE(file.metadata.count(io::kChecksumKey));
  EXPECT_EQ(file.metadata.at(io::kChecksumKey).rfind("crc32:", 0), 0u);
  EXPECT_NO_THROW(io::verify_checksum(path, file));
  EXPECT_NO_THROW(io::load_model(path));
}

TEST(Checksum, EveryFlippedDataByteIsDetected) {
  ScratchDir dir;
  const std::string path = dir.file("m.safetensors");
  io::save_model(path, *small_model());
  const std::string good = read_bytes(path);
  const size_t data_bytes = (3 * 2 + 2) * sizeof(float);
  for (size_t i = good.size() - data_bytes; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] ^= 0x10;
    write_bytes(path, bad);
    expect_error<IoError>([&] { io::load_model(path); }, {path + ": checksum mismatch", "corrupt"});
  }
}

TEST(Checksum, CoversMetadataAndShapes) {
  ScratchDir dir;
  const std::string path = dir.file("m.safetensors");
  io::save_model(path, *small_model(), {{"labels", "a,b"}});
  io::TensorFile file = io::load_safetensors(path);
  file.metadata["labels"] = "b,a";
  expect_error<IoError>([&] { io::verify_checksum(path, file); }, "checksum mismatch");

  file = io::load_safetensors(path);
  file.tensors[0].second = file.tensors[0].second.reshape({3, 2});
  expect_error<IoError>([&] { io::verify_checksum(path, file); }, "checksum mismatch");

  file = io::load_safetensors(path);
  file.metadata[io::kChecksumKey] = "md5:0";
  expect_error<IoError>([&] { io::verify_checksum(path, file); }, "expected 'crc32:<8 hex digits>'");
}

TEST(Checksum, FilesWithoutOneStillLoad) {
  ScratchDir dir;
  const std::string path = dir.file("m.safetensors");
  io::save_model(path, *small_model());
  io::TensorFile file = io::load_safetensors(path);
  file.metadata.erase(io::kChecksumKey);
  io::save_safetensors(path, file.tensors, file.metadata);
  EXPECT_NO_THROW(io::load_model(path));
}

TEST(Checksum, IsComputedNotGiven) {
  expect_error<IoError>([] { io::with_checksum("x.safetensors", {}, {{io::kChecksumKey, "crc32:0"}}); },
                        "x.safetensors: metadata may not set 'checksum'");
}

}  // namespace
}  // namespace myelin::testing
