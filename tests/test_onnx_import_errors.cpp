// ONNX import of malformed or unsupported files: clear errors naming the file and the node.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "myelin/error.hpp"
#include "myelin/io/onnx.hpp"
#include "expect_error.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

// Written by scripts/fixtures/onnx_malformed.py.
std::string fixture(const std::string& name) { return std::string(MYELIN_FIXTURE_DIR) + "/onnx/" + name; }

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(OnnxImportErrors, AValidGemmImports) {
  const io::ImportedModel m = io::import_onnx(fixture("gemm.onnx"));
  EXPECT_EQ(m.module->children().size(), 1u);
  EXPECT_EQ(m.input_shape, (Shape{2, 4}));
}

TEST(OnnxImportErrors, FilesThatAreNotOnnxModels) {
  testing::TempDir dir;
  testing::expect_error<IoError>([&] { io::import_onnx(dir.file("missing.onnx")); }, {"missing.onnx", "cannot open"});
  const std::string text = dir.write("text.onnx", "this is not a protobuf message at all");
  testing::expect_error<IoError>([&] { io::import_onnx(text); }, {"text.onnx", "ONNX model"});
  const std::string bytes = read(fixture("gemm.onnx"));
  const std::string cut = dir.write("cut.onnx", bytes.substr(0, bytes.size() / 2));
  testing::expect_error<IoError>([&] { io::import_onnx(cut); }, {"cut.onnx"});
  const std::string empty = dir.write("empty.onnx", "");
  testing::expect_error<IoError>([&] { io::import_onnx(empty); }, {"empty.onnx"});
}

TEST(OnnxImportErrors, GraphsOutsideWhatMyelinExpresses) {
  testing::expect_error([] { io::import_onnx(fixture("unsupported_op.onnx")); },
                        {"unsupported_op.onnx", "node 0", "(Cos)", "not supported"});
  testing::expect_error([] { io::import_onnx(fixture("branching.onnx")); },
                        {"branching.onnx", "node 1", "not a chain"});
  testing::expect_error([] { io::import_onnx(fixture("computed_weight.onnx")); },
                        {"computed_weight.onnx", "(Gemm)", "must be a constant"});
  testing::expect_error([] { io::import_onnx(fixture("asymmetric_pads.onnx")); },
                        {"asymmetric_pads.onnx", "(Conv)", "asymmetric pads"});
}

TEST(OnnxImportErrors, AWeightWhoseDimsExceedItsData) {
  testing::expect_error([] { io::import_onnx(fixture("short_initializer.onnx")); },
                        {"short_initializer.onnx", "initializer 'w'", "1200 elements", "holds 12"});
}

TEST(OnnxImportErrors, TensorFiles) {
  testing::TempDir dir;
  const std::string junk = dir.write("junk.pb", std::string("\xff\xff\xff\xff", 4));
  testing::expect_error<IoError>([&] { io::load_onnx_tensor(junk); }, {"junk.pb"});
}

}  // namespace
}  // namespace myelin
