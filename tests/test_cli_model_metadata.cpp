// A model file's metadata is checked like its tensors: a divide_by of 0 or an input shape of
// 10^12 elements is refused by predict, eval and export with a message naming the file and the
// field, never turned into -nan scores or an inconsistent ONNX file.
#include <gtest/gtest.h>

#include <string>

#include "myelin/io/safetensors.hpp"
#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::run_cli;

// The model file at `path` with `from` replaced by `to` in its metadata entry `key`, written
// back through the library without the old checksums (which the change would contradict), so
// that the metadata checks, not the checksum, are what refuses the file.
void edit_metadata(const std::string& path, const std::string& key, const std::string& from, const std::string& to) {
  io::TensorFile file = io::load_safetensors(path);
  std::string& value = file.metadata.at(key);
  const size_t at = value.find(from);
  ASSERT_NE(at, std::string::npos) << value;
  value.replace(at, from.size(), to);
  file.metadata.erase("checksum");
  file.metadata.erase("tensor_checksums");
  io::save_safetensors(path, file.tensors, file.metadata);
}

class ModelMetadata : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string config = dir.write("c.toml", R"([data]
source = "csv"
train = "t.csv"
label = "y"
divide_by = 2
[[model.layers]]
type = "Linear"
units = 2
[train]
epochs = 1
)");
    dir.write("t.csv", "a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n");
    ASSERT_EQ(run_cli("train " + config + " --out " + dir.file("run")).status, 0);
    model = dir.file("run/model.safetensors");
  }
  testing::TempDir dir;
  std::string model;
};

TEST_F(ModelMetadata, ADivideByOfZeroIsRefusedNamingTheField) {
  edit_metadata(model, "preprocessing", R"("divide_by":2.0)", R"("divide_by":0.0)");
  for (const std::string command : {"predict " + model + " " + dir.file("t.csv"), "eval " + model + " " + dir.file("t.csv")}) {
    const auto [status, out] = run_cli(command);
    EXPECT_NE(status, 0) << command;
    EXPECT_NE(out.find("metadata preprocessing.divide_by is 0"), std::string::npos) << out;
    EXPECT_EQ(out.find("nan"), std::string::npos) << out;
  }
}

TEST_F(ModelMetadata, AnInputShapeOfATrillionElementsIsRefused) {
  edit_metadata(model, "input_shape", "[2]", "[1000000000000]");
  for (const std::string command : {"export " + model + " --onnx " + dir.file("m.onnx"), "predict " + model + " " + dir.file("t.csv")}) {
    const auto [status, out] = run_cli(command);
    EXPECT_NE(status, 0) << command;
    EXPECT_NE(out.find("metadata input_shape is (1000000000000,)"), std::string::npos) << out;
  }
}

}  // namespace
}  // namespace myelin
