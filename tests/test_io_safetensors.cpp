// safetensors: round trips, the byte layout, dtype conversion, and rejection of bad files.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "myelin/myelin.hpp"
#include "scratch_dir.hpp"

namespace myelin::testing {
namespace {

using io::load_safetensors;
using io::save_safetensors;

// Asserts that `path` fails to load with an IoError naming the file and containing `expected`.
void expect_load_error(const std::string& path, const std::string& expected) {
  try {
    load_safetensors(path);
    ADD_FAILURE() << "loading " << path << " did not throw; expected: " << expected;
  } catch (const IoError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(path + ": ", 0), 0u) << what;
    EXPECT_NE(what.find(expected), std::string::npos) << "message: " << what << "\nexpected to contain: " << expected;
  }
}

std::vector<uint32_t> bits(const Tensor& t) {
  std::vector<uint32_t> out;
  for (float v : t.to_vector()) out.push_back(std::bit_cast<uint32_t>(v));
  return out;
}

TEST(Safetensors, RoundTripIsBitIdentical) {
  ScratchDir dir;
  Generator gen(7);
  Tensor weights = Tensor::normal({3, 4}, 0.f, 1.f, &gen);
  // Values that a text or lossy path would change.
  weights.data()[0] = std::numeric_limits<float>::quiet_NaN();
  weights.data()[1] = -0.f;
  weights.data()[2] = std::numeric_limits<float>::infinity();
  weights.data()[3] = std::numeric_limits<float>::denorm_min();
  const Tensor matrix = Tensor::uniform({2, 3}, -1.f, 1.f, &gen);
  const io::NamedTensors tensors = {
      {"layer.weight", weights},
      {"scalar", Tensor::scalar(3.25f)},        // 0-d
      {"empty", Tensor::zeros({0})},            // no data
      {"empty_matrix", Tensor::zeros({2, 0, 3})},
      {"transposed", matrix.transpose(0, 1)},   // a non-contiguous view is written row-major
      {"z_last", Tensor::arange(5)},
  };
  const std::map<std::string, std::string> metadata = {
      {"labels", "cat,dog"}, {"empty", ""}, {"unicode \u00e9", "\u2713 \"quoted\"\n"}};
  const std::string path = dir.file("t.safetensors");
  save_safetensors(path, tensors, metadata);

  const io::TensorFile file = load_safetensors(path);
  EXPECT_EQ(file.metadata, io::with_checksum(tensors, metadata));  // plus the content's checksums
  ASSERT_EQ(file.tensors.size(), tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    SCOPED_TRACE(tensors[i].first);
    EXPECT_EQ(file.tensors[i].first, tensors[i].first);  // written order is kept
    EXPECT_EQ(file.tensors[i].second.shape(), tensors[i].second.shape());
    EXPECT_EQ(bits(file.tensors[i].second), bits(tensors[i].second));
  }
}

TEST(Safetensors, FileLayoutFollowsTheFormat) {
  ScratchDir dir;
  const std::string path = dir.file("t.safetensors");
  const io::NamedTensors tensors = {{"a", Tensor::from_vector({1.f, -2.f}, {2})}, {"s", Tensor::scalar(0.5f)}};
  save_safetensors(path, tensors, {{"k", "v"}});
  const std::map<std::string, std::string> sums = io::with_checksum(tensors, {{"k", "v"}});
  const std::string bytes = read_bytes(path);
  uint64_t length = 0;
  for (int i = 0; i < 8; ++i) length |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  EXPECT_EQ(length % 8, 0u) << "header padded so the data is 8-byte aligned";
  ASSERT_EQ(bytes.size(), 8 + length + 12);
  const std::string json =
      R"({"__metadata__":{"checksum":")" + sums.at(io::kChecksumKey) + R"(","k":"v","tensor_checksums":")" +
      sums.at(io::kTensorChecksumsKey) + R"("},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
      R"("s":{"dtype":"F32","shape":[],"data_offsets":[8,12]}})";
  const std::string header = bytes.substr(8, length);
  EXPECT_EQ(header.substr(0, json.size()), json);
  EXPECT_EQ(header.substr(json.size()), std::string(length - json.size(), ' '));
  const float expected[3] = {1.f, -2.f, 0.5f};
  EXPECT_EQ(std::memcmp(bytes.data() + 8 + length, expected, sizeof(expected)), 0);
}

// Without metadata of its own a file holds only the checksums; one without any loads too
// (test_io_checksum.cpp).
TEST(Safetensors, MetadataIsOptional) {
  ScratchDir dir;
  const std::string path = dir.file("t.safetensors");
  save_safetensors(path, {{"a", Tensor::ones({1})}});
  const auto metadata = load_safetensors(path).metadata;
  EXPECT_EQ(metadata.size(), 2u);
  EXPECT_TRUE(metadata.count(io::kChecksumKey) && metadata.count(io::kTensorChecksumsKey));
  save_safetensors(path, {}, {{"only", "metadata"}});
  const io::TensorFile file = load_safetensors(path);
  EXPECT_TRUE(file.tensors.empty());
  EXPECT_EQ(file.metadata.at("only"), "metadata");
}

// A file as another writer (PyTorch's safetensors) could make it: other dtypes, header keys in
// an order unrelated to the data, metadata last, no padding.
TEST(Safetensors, ReadsOtherDtypesAsFloat32) {
  struct Raw {
    std::string name, dtype, shape;
    std::string data;
  };
  auto le = [](auto v) { return std::string(reinterpret_cast<const char*>(&v), sizeof(v)); };
  std::string half_data;
  for (uint16_t h : {0x3C00, 0xC000, 0x0001, 0x7BFF, 0x7C00, 0x8000, 0x7E00, 0x3555}) half_data += le(h);
  std::string bf16_data;
  for (uint16_t h : {0x3F80, 0x4049, 0xFF80}) bf16_data += le(h);
  const std::vector<Raw> raws = {
      {"f64", "F64", "[2]", le(0.1) + le(-2.5)},
      {"f16", "F16", "[2,4]", half_data},
      {"bf16", "BF16", "[3]", bf16_data},
      {"i64", "I64", "[2]", le(int64_t{-3}) + le(int64_t{1} << 40)},
      {"flags", "BOOL", "[3]", std::string("\x00\x01\x02", 3)},
      {"u8", "U8", "[1]", std::string("\xff", 1)},
      {"f32", "F32", "[]", le(1.5f)},
  };
  std::string data, entries;
  for (auto it = raws.rbegin(); it != raws.rend(); ++it) {  // header in reverse data order
    size_t begin = 0;
    for (const Raw& r : raws) {
      if (r.name == it->name) break;
      begin += r.data.size();
    }
    entries += "\"" + it->name + "\":{\"dtype\":\"" + it->dtype + "\",\"shape\":" + it->shape +
               ",\"data_offsets\":[" + std::to_string(begin) + "," + std::to_string(begin + it->data.size()) + "]},";
  }
  for (const Raw& r : raws) data += r.data;
  ScratchDir dir;
  const std::string path = dir.file("torch.safetensors");
  write_bytes(path, safetensors_bytes("{" + entries + R"("__metadata__":{"format":"pt"}})", data));

  const io::TensorFile file = load_safetensors(path);
  EXPECT_EQ(file.metadata.at("format"), "pt");
  ASSERT_EQ(file.tensors.size(), raws.size());
  std::map<std::string, Tensor> t(file.tensors.begin(), file.tensors.end());
  for (size_t i = 0; i < raws.size(); ++i) EXPECT_EQ(file.tensors[i].first, raws[i].name) << "data order";

  EXPECT_EQ(t["f64"].to_vector(), (std::vector<float>{0.1f, -2.5f}));  // rounded to nearest
  EXPECT_EQ(t["f16"].shape(), (Shape{2, 4}));
  const std::vector<float> h = t["f16"].to_vector();
  EXPECT_EQ(h[0], 1.f);
  EXPECT_EQ(h[1], -2.f);
  EXPECT_EQ(h[2], std::ldexp(1.f, -24));  // smallest subnormal half
  EXPECT_EQ(h[3], 65504.f);               // largest half
  EXPECT_EQ(h[4], std::numeric_limits<float>::infinity());
  EXPECT_EQ(h[5], 0.f);
  EXPECT_TRUE(std::signbit(h[5]));
  EXPECT_TRUE(std::isnan(h[6]));
  EXPECT_EQ(h[7], 0.333251953125f);  // 0x3555 = 1365/4096
  EXPECT_EQ(t["bf16"].to_vector(), (std::vector<float>{1.f, 3.140625f, -std::numeric_limits<float>::infinity()}));
  EXPECT_EQ(t["i64"].to_vector(), (std::vector<float>{-3.f, 1099511627776.f}));
  EXPECT_EQ(t["flags"].to_vector(), (std::vector<float>{0.f, 1.f, 1.f}));
  EXPECT_EQ(t["u8"].to_vector(), (std::vector<float>{255.f}));
  EXPECT_EQ(t["f32"].shape(), Shape{});
  EXPECT_EQ(t["f32"].item(), 1.5f);
}

TEST(Safetensors, RejectsTruncatedFiles) {
  ScratchDir dir;
  const std::string good = dir.file("good.safetensors");
  save_safetensors(good, {{"a", Tensor::ones({4})}, {"b", Tensor::ones({2, 2})}}, {{"k", "v"}});
  const std::string bytes = read_bytes(good);
  uint64_t length = 0;
  for (int i = 0; i < 8; ++i) length |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  const std::string path = dir.file("cut.safetensors");
  const std::vector<std::pair<size_t, std::string>> cuts = {
      {0, "too few"},
      {5, "too few"},
      {8, "header length field says"},
      {8 + length / 2, "header length field says"},
      {8 + length, "run past the end of the data section (0 bytes)"},
      {8 + length + 17, "run past the end of the data section (17 bytes)"},
      {bytes.size() - 1, "run past the end"},
  };
  for (const auto& [cut, expected] : cuts) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    write_bytes(path, bytes.substr(0, cut));
    expect_load_error(path, expected);
  }
}

TEST(Safetensors, RejectsHeaderLongerThanTheFile) {
  ScratchDir dir;
  const std::string path = dir.file("t.safetensors");
  write_bytes(path, safetensors_bytes("{}", "", uint64_t{1} << 40));
  expect_load_error(path, "header length field says 1099511627776 bytes but only 2 follow it");
}

TEST(Safetensors, RejectsHostileShapesBeforeAllocating) {
  ScratchDir dir;
  const std::string path = dir.file("t.safetensors");
  const std::string data(16, '\0');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"w":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,16]}})",
       "tensor 'w': shape (1000000, 1000000) of F32 claims 4000000000000 bytes but its data_offsets [0, 16) span 16"},
      {R"({"w":{"dtype":"F32","shape":[1000000000000],"data_offsets":[0,4000000000000]}})",
       "tensor 'w': data_offsets [0, 4000000000000) run past the end of the data section (16 bytes)"},
      {R"({"w":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,16]}})",
       "tensor 'w': shape [4294967296,4294967296] has more than 2^63 elements"},
      {R"({"w":{"dtype":"F64","shape":[0,4294967296,4294967296],"data_offsets":[0,16]}})",
       "has more than 2^63 elements"},
      {R"({"w":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,16]}})",
       "claims more than 2^64 bytes"},
      {R"({"w":{"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,16]}})",
       "shape entry must be a non-negative integer"},
  };
  for (const auto& [header, expected] : cases) {
    SCOPED_TRACE(header);
    write_bytes(path, safetensors_bytes(header, data));
    expect_load_error(path, expected);
  }
}

TEST(Safetensors, RejectsMalformedHeaders) {
  ScratchDir dir;
  const std::string path = dir.file("t.safetensors");
  const std::string entry = R"({"dtype":"F32","shape":[1],"data_offsets":[0,4]})";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "does not start with '{'"},
      {"[1, 2]", "does not start with '{'"},
      {R"({"a":)", "header is not valid JSON"},
      {R"({"a":)" + entry + "} trailing", "header is not valid JSON"},
      {R"({"a":)" + entry + R"(,"a":)" + entry + "}", "the key 'a' twice"},
      {R"({"a":{"dtype":"F32","dtype":"F64","shape":[1],"data_offsets":[0,4]}})", "the key 'dtype' twice"},
      {R"({"a":5})", "tensor 'a': expected {dtype, shape, data_offsets}"},
      {R"({"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}})", "tensor 'a': dtype \"Q7\" is not supported"},
      {R"({"a":{"dtype":4,"shape":[1],"data_offsets":[0,4]}})", "tensor 'a': dtype 4 is not supported"},
      {R"({"a":{"shape":[1],"data_offsets":[0,4]}})", "tensor 'a': missing 'dtype'"},
      {R"({"a":{"dtype":"F32","data_offsets":[0,4]}})", "tensor 'a': missing 'shape'"},
      {R"({"a":{"dtype":"F32","shape":[1]}})", "tensor 'a': missing 'data_offsets'"},
      {R"({"a":{"dtype":"F32","shape":1,"data_offsets":[0,4]}})", "'shape' must be an array"},
      {R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", "shape entry must be a non-negative integer, got -1"},
      {R"({"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}})", "shape entry must be a non-negative integer"},
      {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", "'data_offsets' must be [begin, end]"},
      {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", "data_offsets [4, 0) end before they begin"},
      {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":["0",4]}})", "data_offsets begin must be a non-negative integer"},
      {R"({"__metadata__":{"k":1},"a":)" + entry + "}", "'__metadata__' entry 'k' must be a string"},
      {R"({"__metadata__":[],"a":)" + entry + "}", "'__metadata__' must be an object of strings"},
      {R"({"a":{"dtype":"F32","shape":[[[[[[[[[[1]]]]]]]]]],"data_offsets":[0,4]}})", "nests deeper"},
  };
  for (const auto& [header, expected] : cases) {
    SCOPED_TRACE(header);
    write_bytes(path, safetensors_bytes(header, std::string(4, '\0')));
    expect_load_error(path, expected);
  }
}

TEST(Safetensors, RejectsOverlapsAndGaps) {
  ScratchDir dir;
  const std::string path = dir.file("t.safetensors");
  auto entry = [](const char* name, int elements, int begin) {
    return "\"" + std::string(name) + R"(":{"dtype":"F32","shape":[)" + std::to_string(elements) +
           R"(],"data_offsets":[)" + std::to_string(begin) + "," + std::to_string(begin + 4 * elements) + "]}";
  };
  const std::vector<std::tuple<std::string, size_t, std::string>> cases = {
      {"{" + entry("a", 2, 0) + "," + entry("b", 2, 4) + "}", 12,
       "tensor 'b' data_offsets [4, 12) overlap tensor 'a' [0, 8)"},
      {"{" + entry("b", 2, 0) + "," + entry("a", 2, 0) + "}", 8, "data_offsets [0, 8) overlap tensor"},
      {"{" + entry("a", 1, 0) + "," + entry("b", 1, 8) + "}", 12, "data bytes [4, 8) belong to no tensor"},
      {"{" + entry("a", 1, 4) + "}", 8, "data bytes [0, 4) belong to no tensor"},
      {"{" + entry("a", 1, 0) + "}", 8, "data bytes [4, 8) belong to no tensor"},
      {"{" + entry("a", 2, 0) + "," + entry("e", 0, 4) + "}", 8, "tensor 'e' data_offsets [4, 4) overlap tensor 'a'"},
  };
  for (const auto& [header, data_size, expected] : cases) {
    SCOPED_TRACE(header);
    write_bytes(path, safetensors_bytes(header, std::string(data_size, '\0')));
    expect_load_error(path, expected);
  }
  // Empty tensors may sit at any boundary, in any header order.
  write_bytes(path, safetensors_bytes("{" + entry("e", 0, 8) + "," + entry("a", 2, 0) + "," + entry("f", 0, 0) + "}",
                                      std::string(8, '\0')));
  const io::TensorFile file = load_safetensors(path);
  ASSERT_EQ(file.tensors.size(), 3u);
  EXPECT_EQ(file.tensors[0].first, "f");
  EXPECT_EQ(file.tensors[1].first, "a");
  EXPECT_EQ(file.tensors[2].first, "e");
}

TEST(Safetensors, RejectsMissingFilesAndDirectories) {
  ScratchDir dir;
  expect_load_error(dir.file("absent.safetensors"), "cannot open");
  expect_load_error(dir.path().string(), "is a directory");
}

TEST(Safetensors, WriteRejectsBadTensorListsWithoutTouchingTheFile) {
  ScratchDir dir;
  const std::string path = dir.file("t.safetensors");
  save_safetensors(path, {{"old", Tensor::ones({1})}});
  const std::string before = read_bytes(path);
  const std::vector<std::pair<io::NamedTensors, std::string>> cases = {
      {{{"a", Tensor::ones({1})}, {"a", Tensor::ones({2})}}, "tensor 'a' is given twice"},
      {{{"__metadata__", Tensor::ones({1})}}, "'__metadata__' is reserved"},
      {{{"a", Tensor()}}, "tensor 'a' is undefined"},
      {{{"bad \xff utf8", Tensor::ones({1})}}, "must be valid UTF-8"},
  };
  for (const auto& [tensors, expected] : cases) {
    SCOPED_TRACE(expected);
    try {
      save_safetensors(path, tensors);
      ADD_FAILURE() << "no error";
    } catch (const IoError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
    EXPECT_EQ(read_bytes(path), before);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"t.safetensors"});
  }
}

TEST(Safetensors, SavesViewsOfParameters) {
  ScratchDir dir;
  Tensor w = Tensor::ones({2, 3}).requires_grad_();
  const std::string path = dir.file("t.safetensors");
  save_safetensors(path, {{"w", w.transpose(0, 1)}});
  EXPECT_EQ(load_safetensors(path).tensors[0].second.shape(), (Shape{3, 2}));
}

}  // namespace
}  // namespace myelin::testing
