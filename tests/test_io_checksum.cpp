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

// A file written by another tool: the safetensors bytes of one F32 tensor, no metadata.
TEST(Checksum, FilesWithoutOneStillLoad) {
  ScratchDir dir;
  const std::string path = dir.file("plain.safetensors");
  const float data[2] = {1.f, -2.f};
  write_bytes(path, safetensors_bytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                                      std::string(reinterpret_cast<const char*>(data), sizeof data)));
  const io::TensorFile file = io::load_safetensors(path);
  EXPECT_TRUE(file.metadata.empty());
  EXPECT_EQ(file.tensors.at(0).second.data()[1], -2.f);
}

// Every safetensors file myelin writes carries both checksums, whoever calls save_safetensors.
TEST(Checksum, PlainSafetensorsFilesCarryThem) {
  ScratchDir dir;
  const std::string path = dir.file("t.safetensors");
  io::save_safetensors(path, {{"a", Tensor::ones({2, 3})}, {"b", Tensor::zeros({4})}});
  const io::TensorFile file = io::load_safetensors(path);
  EXPECT_EQ(file.metadata.at(io::kChecksumKey).rfind("crc32:", 0), 0u);
  EXPECT_EQ(file.metadata.at(io::kTensorChecksumsKey).size(), std::string("crc32:01234567,89abcdef").size());
}

// The byte offset in the file of tensor data byte `i` (after the 8-byte length and the header).
size_t data_start(const std::string& bytes) {
  uint64_t length = 0;
  for (int i = 0; i < 8; ++i) length |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  return 8 + length;
}

// A plain load names the tensor a flipped byte is in and that tensor's bytes in the file.
TEST(Checksum, AFlippedByteIsNamedByTensorAndByteRange) {
  ScratchDir dir;
  const std::string path = dir.file("t.safetensors");
  io::save_safetensors(path, {{"first", Tensor::ones({2})}, {"second", Tensor::ones({3})}}, {{"k", "v"}});
  const std::string good = read_bytes(path);
  const size_t start = data_start(good);
  std::string bad = good;
  bad[start + 8 + 5] ^= 0x01;  // in "second", which spans data bytes [8, 20)
  write_bytes(path, bad);
  const std::string range = "file bytes [" + std::to_string(start + 8) + ", " + std::to_string(start + 20) + ")";
  expect_error<IoError>([&] { io::load_safetensors(path); },
                        {path + ": checksum mismatch in tensor 'second'", range, "corrupt"});

  bad = good;
  bad[start] ^= 0x01;
  bad[start + 19] ^= 0x01;
  write_bytes(path, bad);
  expect_error<IoError>([&] { io::load_safetensors(path); }, {"tensor 'first'", "and 1 more tensor"});
}

TEST(Checksum, ChangedMetadataIsFoundOutsideTheTensorData) {
  ScratchDir dir;
  const std::string path = dir.file("t.safetensors");
  io::save_safetensors(path, {{"a", Tensor::ones({2})}}, {{"labels", "ab"}});
  std::string bytes = read_bytes(path);
  const std::string entry = "\"labels\":\"ab\"";
  bytes.replace(bytes.find(entry), entry.size(), "\"labels\":\"ba\"");
  write_bytes(path, bytes);
  expect_error<IoError>([&] { io::load_safetensors(path); },
                        {path + ": checksum mismatch", "outside the tensor data", "metadata"});
}

TEST(Checksum, MalformedTensorChecksumsAreNamed) {
  const io::NamedTensors tensors = {{"a", Tensor::ones({2})}};
  io::TensorFile file{tensors, io::with_checksum(tensors, {})};
  const struct {
    const char* value;
    const char* error;
  } cases[] = {
      {"crc32:0123456", "expected 'crc32:' and 8 hex digits per tensor"},
      {"crc32:0123456g", "expected 'crc32:' and 8 hex digits per tensor"},
      {"md5:01234567", "expected 'crc32:' and 8 hex digits per tensor"},
      {"crc32:01234567;89abcdef", "expected 'crc32:' and 8 hex digits per tensor"},
      {"crc32:", "lists 0 checksums for 1 tensors"},
      {"crc32:01234567,89abcdef", "lists 2 checksums for 1 tensors"},
  };
  for (const auto& c : cases) {
    file.metadata[io::kTensorChecksumsKey] = c.value;
    expect_error<IoError>([&] { io::verify_checksum("x.safetensors", file); }, {"x.safetensors", c.error});
  }
}

// The checksums describe the content, so values given for them are replaced by the right ones
// (a file loaded, edited and saved again verifies).
TEST(Checksum, IsComputedNotGiven) {
  ScratchDir dir;
  const std::string path = dir.file("t.safetensors");
  io::save_safetensors(path, {{"a", Tensor::ones({2})}},
                       {{io::kChecksumKey, "crc32:00000000"}, {io::kTensorChecksumsKey, "crc32:00000000"}});
  io::TensorFile file = io::load_safetensors(path);
  EXPECT_NE(file.metadata.at(io::kChecksumKey), "crc32:00000000");
  file.tensors[0].second = Tensor::zeros({2});
  io::save_safetensors(path, file.tensors, file.metadata);
  EXPECT_EQ(io::load_safetensors(path).tensors[0].second.data()[0], 0.f);
}

}  // namespace
}  // namespace myelin::testing
