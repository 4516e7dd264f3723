// Train, then predict on every raw input kind the model's source takes: the classes predict
// gives agree with the labels eval scores, for arrays of bytes scaled by divide_by (.npy and
// IDX) and for a picture of one of their examples (decoded to [0, 1], so it must not be
// divided again).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "myelin/data/image.hpp"
#include "myelin/random.hpp"
#include "idx_file.hpp"
#include "npy_file.hpp"
#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::run_cli;

constexpr int kSide = 8;

// n 8x8 byte images of two classes (bright left half: 0, bright right half: 1) and their labels.
struct ByteImages {
  std::vector<uint8_t> pixels, labels;
  int n = 0;
};

ByteImages make_images(int n, uint64_t seed) {
  ByteImages b;
  b.n = n;
  Generator g(seed);
  for (int i = 0; i < n; ++i) {
    const int label = i % 2;
    b.labels.push_back(static_cast<uint8_t>(label));
    for (int y = 0; y < kSide; ++y)
      for (int x = 0; x < kSide; ++x)
        b.pixels.push_back(static_cast<uint8_t>(((x < kSide / 2) == (label == 0) ? 190 : 25) + g.below(40)));
  }
  return b;
}

std::string npy_file(const std::vector<int32_t>& dims, const std::vector<uint8_t>& values) {
  std::string shape;
  for (int32_t d : dims) shape += std::to_string(d) + ", ";
  return testing::npy("{'descr': '|u1', 'fortran_order': False, 'shape': (" + shape + "), }",
                      std::string(values.begin(), values.end()));
}

// Example i of `b` as a grayscale picture, its bytes mapped to [0, 1] as a PNG stores them.
void write_picture(const std::string& path, const ByteImages& b, int i) {
  std::vector<float> v;
  for (int k = 0; k < kSide * kSide; ++k) v.push_back(b.pixels[static_cast<size_t>(i * kSide * kSide + k)] / 255.f);
  data::write_png(path, Tensor::from_vector(v, {1, kSide, kSide}));
}

class PredictAgreesWithEval : public ::testing::TestWithParam<std::string> {};

TEST_P(PredictAgreesWithEval, ArraysAndPicturesOfByteImagesScaledByDivideBy) {
  const std::string source = GetParam();
  const auto file = [&](const std::vector<int32_t>& dims, const std::vector<uint8_t>& values) {
    return source == "npy" ? npy_file(dims, values) : testing::idx_bytes(dims, values);
  };
  testing::TempDir dir;
  const ByteImages train = make_images(64, 1), test = make_images(16, 2);
  const std::string ext = source == "npy" ? ".npy" : ".idx";
  dir.write("train_images" + ext, file({train.n, kSide, kSide}, train.pixels));
  dir.write("train_labels" + ext, file({train.n}, train.labels));
  const std::string test_images = dir.write("test_images" + ext, file({test.n, kSide, kSide}, test.pixels));
  const std::string test_labels = dir.write("test_labels" + ext, file({test.n}, test.labels));
  const std::string config = dir.write("config.toml", "[data]\nsource = \"" + source + "\"\n" +
                                                          "train_images = \"train_images" + ext + "\"\n" +
                                                          "train_labels = \"train_labels" + ext + "\"\n" +
                                                          "divide_by = 255\nclass_names = [\"left\", \"right\"]\n" + R"(
[[model.layers]]
type = "Linear"
units = 2

[optimizer]
lr = 0.05

[train]
epochs = 5
batch_size = 8
threads = 1
)");
  const auto [train_status, train_out] = run_cli("train " + config + " --out " + dir.file("run"));
  ASSERT_EQ(train_status, 0) << train_out;
  const std::string model = dir.file("run/model.safetensors");

  const auto [eval_status, eval_out] = run_cli("eval " + model + " " + test_images + " --labels " + test_labels);
  ASSERT_EQ(eval_status, 0) << eval_out;
  EXPECT_NE(eval_out.find("accuracy 1.0000"), std::string::npos) << eval_out;

  // Without --labels, eval says how to give them (not a CSV's label column).
  const auto [unlabelled_status, unlabelled_out] = run_cli("eval " + model + " " + test_images);
  EXPECT_NE(unlabelled_status, 0);
  EXPECT_NE(unlabelled_out.find("no labels to evaluate against (give the labels of these examples as --labels FILE"),
            std::string::npos)
      << unlabelled_out;

  const auto [status, out] = run_cli("predict " + model + " " + test_images);
  ASSERT_EQ(status, 0) << out;
  for (int i = 0; i < test.n; ++i) {
    const std::string name = test.labels[static_cast<size_t>(i)] == 0 ? "left" : "right";
    EXPECT_NE(out.find("\n" + std::to_string(i) + "," + std::to_string(test.labels[static_cast<size_t>(i)]) + "," + name + ","),
              std::string::npos)
        << out;
  }
  // A picture of a test example gets that example's class (both classes, so a model that
  // answers one class for every picture fails).
  for (int i : {0, 1}) {
    const std::string picture = dir.file("example" + std::to_string(i) + ".png");
    write_picture(picture, test, i);
    const auto [picture_status, picture_out] = run_cli("predict " + model + " " + picture);
    ASSERT_EQ(picture_status, 0) << picture_out;
    EXPECT_NE(picture_out.find("\n0," + std::to_string(i) + "," + (i == 0 ? "left" : "right") + ","), std::string::npos)
        << picture_out;
  }
}

INSTANTIATE_TEST_SUITE_P(Sources, PredictAgreesWithEval, ::testing::Values("npy", "idx"));

TEST(PredictInputs, AFileOfNoKnownKindNamesTheKindsRead) {
  testing::TempDir dir;
  const ByteImages train = make_images(16, 1);
  dir.write("x.npy", npy_file({train.n, kSide, kSide}, train.pixels));
  dir.write("y.npy", npy_file({train.n}, train.labels));
  const std::string config = dir.write("c.toml", R"([data]
source = "npy"
train_images = "x.npy"
train_labels = "y.npy"
[[model.layers]]
type = "Linear"
units = 2
[train]
epochs = 1
)");
  ASSERT_EQ(run_cli("train " + config + " --out " + dir.file("run")).status, 0);
  const auto [status, out] = run_cli("predict " + dir.file("run/model.safetensors") + " " + dir.write("notes.txt", "hello"));
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("NumPy arrays (.npy)"), std::string::npos) << out;
}

}  // namespace
}  // namespace myelin
