// IDX reader: every element type raw and gzip, and the malformed files it must reject.
#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "myelin/data/idx.hpp"
#include "myelin/error.hpp"
#include "temp_dir.hpp"

namespace myelin::testing {
namespace {

using data::read_idx;

void put_big_endian(std::string& out, uint64_t bits, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((bits >> (8 * i)) & 0xff);
}

// The bytes of an IDX file: magic, sizes, then `values` encoded as element type `type`.
std::string idx_bytes(unsigned char type, const std::vector<uint32_t>& dims, const std::vector<double>& values) {
  std::string out{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (uint32_t d : dims) put_big_endian(out, d, 4);
  for (double v : values) {
    switch (type) {
      case 0x08: put_big_endian(out, static_cast<uint8_t>(v), 1); break;
      case 0x09: put_big_endian(out, static_cast<uint8_t>(static_cast<int8_t>(v)), 1); break;
      case 0x0B: put_big_endian(out, static_cast<uint16_t>(static_cast<int16_t>(v)), 2); break;
      case 0x0C: put_big_endian(out, static_cast<uint32_t>(static_cast<int32_t>(v)), 4); break;
      case 0x0D: put_big_endian(out, std::bit_cast<uint32_t>(static_cast<float>(v)), 4); break;
      case 0x0E: put_big_endian(out, std::bit_cast<uint64_t>(v), 8); break;
    }
  }
  return out;
}

// Runs `f`, which must throw IoError; returns its message.
template <class F>
std::string io_error_of(F&& f) {
  try {
    f();
  } catch (const IoError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an IoError";
  return "";
}

struct TypeCase {
  const char* name;
  unsigned char code;
  std::vector<double> values;  // six values, exactly representable in the type and in float
};

const TypeCase kTypes[] = {
    {"ubyte", 0x08, {0, 1, 2, 127, 200, 255}},
    {"sbyte", 0x09, {-128, -1, 0, 1, 64, 127}},
    {"short", 0x0B, {-32768, -1234, 0, 1, 300, 32767}},
    {"int", 0x0C, {-100000, -1, 0, 7, 65536, 16777216}},
    {"float", 0x0D, {-1.5, 0, 0.25, 3.75, 1e-3, 1e20}},
    {"double", 0x0E, {-2.5, 0, 0.125, 1024, -7.75, 1e10}},
};

class IdxRoundTrip : public ::testing::TestWithParam<std::tuple<TypeCase, bool>> {};

TEST_P(IdxRoundTrip, ReadsWhatWasWritten) {
  const auto& [type, gzip] = GetParam();
  TempDir dir;
  const std::string bytes = idx_bytes(type.code, {2, 3}, type.values);
  const std::string path = gzip ? dir.write_gz("x.idx.gz", bytes) : dir.write("x.idx", bytes);
  const Tensor t = read_idx(path);
  ASSERT_EQ(t.shape(), (Shape{2, 3}));
  const std::vector<float> got = t.to_vector();
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], static_cast<float>(type.values[i])) << "element " << i;
}

INSTANTIATE_TEST_SUITE_P(AllTypes, IdxRoundTrip, ::testing::Combine(::testing::ValuesIn(kTypes), ::testing::Bool()),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param).name) + (std::get<1>(info.param) ? "_gz" : "_raw");
                         });

TEST(IdxReader, ShapeComesFromTheHeader) {
  TempDir dir;
  std::vector<double> values(24);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i);
  const Tensor t = read_idx(dir.write("x", idx_bytes(0x08, {2, 3, 4}, values)));
  EXPECT_EQ(t.shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(t.at({1, 2, 3}), 23.f);
}

TEST(IdxReader, LargerThanOneReadChunk) {
  // 1.5 Mi elements span two of the reader's 1 MiB chunks.
  const uint32_t n = 3 << 19;
  std::vector<double> values(n);
  for (uint32_t i = 0; i < n; ++i) values[i] = static_cast<double>(i % 251);
  TempDir dir;
  const Tensor t = read_idx(dir.write("big.idx", idx_bytes(0x08, {n}, values)));
  ASSERT_EQ(t.numel(), n);
  EXPECT_EQ(t.data()[n - 1], static_cast<float>((n - 1) % 251));
  EXPECT_EQ(t.data()[(1 << 20) + 5], static_cast<float>(((1 << 20) + 5) % 251));
}

TEST(IdxReader, TruncatedRawFileNamesFileAndOffset) {
  TempDir dir;
  std::string bytes = idx_bytes(0x08, {2, 3}, {1, 2, 3, 4, 5, 6});
  bytes.resize(bytes.size() - 2);  // header 12 bytes + 4 of the 6 data bytes
  const std::string path = dir.write("short.idx", bytes);
  const std::string msg = io_error_of([&] { read_idx(path); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte offset 16"), std::string::npos) << msg;
}

TEST(IdxReader, TruncatedGzipFileNamesFileAndOffset) {
  TempDir dir;
  std::string bytes = idx_bytes(0x0C, {2, 3}, {1, 2, 3, 4, 5, 6});
  bytes.resize(bytes.size() - 5);  // header 12 bytes + 19 of the 24 data bytes
  const std::string path = dir.write_gz("short.gz", bytes);
  const std::string msg = io_error_of([&] { read_idx(path); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte offset 31"), std::string::npos) << msg;
}

TEST(IdxReader, TruncatedHeader) {
  TempDir dir;
  const std::string path = dir.write("h.idx", std::string("\0\0\x08\x02\0\0", 6));
  const std::string msg = io_error_of([&] { read_idx(path); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte offset 6"), std::string::npos) << msg;
}

TEST(IdxReader, WrongMagicNamesFileAndOffset) {
  TempDir dir;
  std::string bytes = idx_bytes(0x08, {2}, {1, 2});
  bytes[1] = 0x05;
  const std::string path = dir.write("magic.idx", bytes);
  const std::string msg = io_error_of([&] { read_idx(path); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte offset 0"), std::string::npos) << msg;

  bytes = idx_bytes(0x07, {2}, {});
  bytes += "ab";
  const std::string type_path = dir.write("type.idx", bytes);
  const std::string type_msg = io_error_of([&] { read_idx(type_path); });
  EXPECT_NE(type_msg.find("0x07"), std::string::npos) << type_msg;
  EXPECT_NE(type_msg.find("byte offset 2"), std::string::npos) << type_msg;
}

TEST(IdxReader, HostileSizesAreRejectedBeforeAllocating) {
  TempDir dir;
  // 16 bytes claiming 10^12 ubyte elements: the length check must fire (offset 16), not the
  // allocator (4 TB of float32).
  const std::string path = dir.write("hostile.idx", idx_bytes(0x08, {10000, 10000, 10000}, {}));
  const std::string msg = io_error_of([&] { read_idx(path); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("ends at byte offset 16"), std::string::npos) << msg;

  const std::string gz = dir.write_gz("hostile.gz", idx_bytes(0x08, {10000, 10000, 10000}, {}));
  const std::string gz_msg = io_error_of([&] { read_idx(gz); });
  EXPECT_NE(gz_msg.find(gz), std::string::npos) << gz_msg;
  EXPECT_NE(gz_msg.find("gzip file of"), std::string::npos) << gz_msg;

  // Sizes whose product overflows 64 bits.
  const std::string huge = dir.write("overflow.idx", idx_bytes(0x0E, {0xffffffffu, 0xffffffffu, 0xffffffffu}, {}));
  const std::string huge_msg = io_error_of([&] { read_idx(huge); });
  EXPECT_NE(huge_msg.find("more data than any file holds"), std::string::npos) << huge_msg;
}

TEST(IdxReader, TrailingBytesAreRejected) {
  TempDir dir;
  const std::string path = dir.write_gz("extra.gz", idx_bytes(0x08, {2}, {1, 2}) + "xyz");
  const std::string msg = io_error_of([&] { read_idx(path); });
  EXPECT_NE(msg.find("after the IDX data at byte offset 10"), std::string::npos) << msg;
}

TEST(IdxReader, MissingFileNamesIt) {
  TempDir dir;
  const std::string path = dir.file("absent.idx");
  const std::string msg = io_error_of([&] { read_idx(path); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
}

}  // namespace
}  // namespace myelin::testing
