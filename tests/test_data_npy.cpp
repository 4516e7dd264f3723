// .npy reader on files written here: dtypes, byte orders, versions, and hostile headers.
#include <gtest/gtest.h>

#include <cstring>

#include "myelin/myelin.hpp"
#include "npy_file.hpp"
#include "temp_dir.hpp"

namespace myelin::data {
namespace {

using myelin::testing::TempDir;

using myelin::testing::bytes;
using myelin::testing::npy;

TEST(DataNpy, ReadsCommonDtypes) {
  TempDir dir;
  const Tensor f4 = read_npy(dir.write("f4.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                                                     bytes<float>({1, 2, 3, 4, 5, -6.5f}))));
  EXPECT_EQ(f4.shape(), (Shape{2, 3}));
  EXPECT_EQ(f4.to_vector(), (std::vector<float>{1, 2, 3, 4, 5, -6.5f}));
  const Tensor f8 = read_npy(dir.write("f8.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                                                     bytes<double>({0.25, -1e3}))));
  EXPECT_EQ(f8.to_vector(), (std::vector<float>{0.25f, -1000.f}));
  const Tensor u1 = read_npy(dir.write("u1.npy", npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 3), }",
                                                     bytes<uint8_t>({0, 128, 255}))));
  EXPECT_EQ(u1.shape(), (Shape{1, 1, 3}));
  EXPECT_EQ(u1.to_vector(), (std::vector<float>{0, 128, 255}));
  const Tensor i8 = read_npy(dir.write("i8.npy", npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }",
                                                     bytes<int64_t>({-3, 7}), 2)));
  EXPECT_EQ(i8.to_vector(), (std::vector<float>{-3, 7}));
  const Tensor be = read_npy(dir.write("be.npy", npy("{'descr': '>i2', 'fortran_order': False, 'shape': (1,), }",
                                                     std::string("\xff\xfe", 2))));
  EXPECT_EQ(be.item(), -2.f);
  const Tensor f2 = read_npy(dir.write("f2.npy", npy("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }",
                                                     bytes<uint16_t>({0x3c00, 0xc100}))));
  EXPECT_EQ(f2.to_vector(), (std::vector<float>{1.f, -2.5f}));
  const Tensor b = read_npy(dir.write("b.npy", npy("{'descr': '|b1', 'fortran_order': False, 'shape': (), }",
                                                   std::string("\x01", 1))));
  EXPECT_EQ(b.dim(), 0);
  EXPECT_EQ(b.item(), 1.f);
}

TEST(DataNpy, RejectsHostileFilesNamingThem) {
  TempDir dir;
  const std::string f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
  const std::pair<std::string, std::string> cases[] = {
      {"not_npy", "PK\x03\x04 a zip file"},
      {"fortran", npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", std::string(16, '\0'))},
      {"object", npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", std::string(16, '\0'))},
      {"structured", npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", std::string(8, '\0'))},
      {"truncated", npy(f4, std::string(12, '\0'))},
      {"trailing", npy(f4, std::string(20, '\0'))},
      {"huge_shape", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (999999999999, 999999999), }", "")},
      {"bad_shape", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", std::string(8, '\0'))},
      {"no_descr", npy("{'fortran_order': False, 'shape': (2,), }", std::string(8, '\0'))},
      {"header_too_long", std::string("\x93NUMPY\x01\x00\xff\xff", 10) + "{'descr'"},
      {"version", std::string("\x93NUMPY\x07\x00\x10\x00", 10) + std::string(16, ' ')},
  };
  for (const auto& [name, content] : cases) {
    const std::string path = dir.write(name + ".npy", content);
    try {
      read_npy(path);
      FAIL() << name << ": expected IoError";
    } catch (const IoError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(path, 0), 0u) << name << ": " << e.what();
    }
  }
  EXPECT_THROW(read_npy(dir.file("missing.npy")), IoError);
}

}  // namespace
}  // namespace myelin::data
