// Fashion-MNIST: the real files when installed (else skipped), and the error when they are not.
#include <algorithm>
#include <filesystem>
#include <string>

#include "myelin/data/fashion_mnist.hpp"
#include "myelin/error.hpp"
#include "temp_dir.hpp"

namespace myelin::testing {
namespace {

TEST(FashionMnist, LoadsTheInstalledDataset) {
  if (!std::filesystem::exists(std::string(data::kFashionMnistDir) + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "Fashion-MNIST is not installed (make data)";
  const data::FashionMnist fm = data::load_fashion_mnist();
  EXPECT_EQ(fm.train->inputs().shape(), (Shape{60000, 784}));
  EXPECT_EQ(fm.train->targets().shape(), (Shape{60000}));
  EXPECT_EQ(fm.test->inputs().shape(), (Shape{10000, 784}));
  ASSERT_EQ(fm.class_names.size(), 10u);
  EXPECT_EQ(fm.class_names[0], "T-shirt/top");
  EXPECT_EQ(fm.class_names[9], "Ankle boot");

  // Reference values computed with NumPy from the same files.
  EXPECT_EQ(fm.train->targets().at({0}), 9.f);
  EXPECT_EQ(fm.train->targets().at({3}), 3.f);
  EXPECT_EQ(fm.test->targets().at({2}), 1.f);
  EXPECT_FLOAT_EQ(fm.train->inputs().at({0, 300}), 210.f / 255.f);
  double sum = 0;
  float lo = 1, hi = 0;
  const float* x = fm.train->inputs().data();
  for (int64_t i = 0; i < fm.train->inputs().numel(); ++i) {
    sum += x[i];
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  EXPECT_NEAR(sum / static_cast<double>(fm.train->inputs().numel()), 0.2860406, 1e-6);
  EXPECT_EQ(lo, 0.f);
  EXPECT_EQ(hi, 1.f);
}

TEST(FashionMnist, MissingFilesSayHowToInstall) {
  TempDir dir;
  try {
    data::load_fashion_mnist(dir.path());
    FAIL() << "expected an IoError";
  } catch (const IoError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(dir.file("train-images-idx3-ubyte.gz")), std::string::npos) << msg;
    EXPECT_NE(msg.find("make data"), std::string::npos) << msg;
    EXPECT_NE(msg.find("scripts/setup --data"), std::string::npos) << msg;
    EXPECT_NE(msg.find("dataset-fashion-mnist"), std::string::npos) << msg;
  }
  EXPECT_THROW(data::load_fashion_mnist(dir.file("absent")), IoError);
}

}  // namespace
}  // namespace myelin::testing
