// [data] source = "npy": images and labels from .npy files or labels by class_sizes, the held-out
// test split, and augmentation of the training part.
#include <gtest/gtest.h>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"
#include "npy_file.hpp"
#include "temp_dir.hpp"

namespace myelin::config {
namespace {

using testing::TempDir;

// Ten (3, 4) float32 images whose pixels all equal their index, as images.npy in `dir`.
void write_images(const TempDir& dir) {
  std::vector<float> pixels;
  for (int i = 0; i < 10; ++i) pixels.insert(pixels.end(), 12, static_cast<float>(i));
  dir.write("images.npy", testing::npy("{'descr': '<f4', 'fortran_order': False, 'shape': (10, 3, 4), }",
                                       testing::bytes<float>(pixels)));
}

std::string config_with(const std::string& data_keys) {
  return "[data]\nsource = \"npy\"\ntrain_images = \"images.npy\"\n" + data_keys +
         "\n[[model.layers]]\ntype = \"Flatten\"\n[[model.layers]]\ntype = \"Linear\"\nunits = 2\n";
}

TEST(ConfigNpy, LabelsByClassSizesAndAHeldOutTestSplit) {
  TempDir dir;
  write_images(dir);
  const RunConfig c = load_config(dir.write("c.toml", config_with("class_sizes = [4, 6]\ntest_split = 0.3\nflatten = false")));
  const PreparedData d = load_data(c);
  ASSERT_TRUE(d.test);
  EXPECT_EQ(d.train->size(), 7);
  EXPECT_EQ(d.test->size(), 3);
  EXPECT_EQ(d.input_shape, (Shape{1, 3, 4}));
  EXPECT_EQ(d.image_shape, (Shape{1, 3, 4}));
  // Every example keeps its label: images 0-3 are class 0, 4-9 class 1; no image is in both parts.
  std::vector<int> seen(10, 0);
  for (const data::DatasetPtr& part : {d.train, d.test})
    for (int64_t i = 0; i < part->size(); ++i) {
      const data::Example e = part->get(i);
      const int image = static_cast<int>(e.input.contiguous().data()[0]);
      EXPECT_EQ(e.target.item(), image < 4 ? 0.f : 1.f) << image;
      ++seen[static_cast<size_t>(image)];
    }
  EXPECT_EQ(seen, std::vector<int>(10, 1));
  EXPECT_FALSE(d.augmented);
}

TEST(ConfigNpy, LabelsFromANpyFileAndAugmentedTraining) {
  TempDir dir;
  write_images(dir);
  dir.write("labels.npy", testing::npy("{'descr': '|u1', 'fortran_order': False, 'shape': (10,), }",
                                       testing::bytes<uint8_t>({0, 1, 0, 1, 0, 1, 0, 1, 0, 1})));
  const RunConfig c = load_config(dir.write("c.toml", config_with("train_labels = \"labels.npy\"\nflatten = false\n[data.augment]\nhorizontal_flip = true")));
  const PreparedData d = load_data(c);
  ASSERT_TRUE(d.augmented);
  EXPECT_EQ(d.train.get(), d.augmented.get());
  EXPECT_EQ(d.train->get(3).target.item(), 1.f);
}

TEST(ConfigNpy, ErrorsNameTheKey) {
  TempDir dir;
  write_images(dir);
  testing::expect_error([&] { load_data(load_config(dir.write("a.toml", config_with("class_sizes = [4, 5]")))); },
                        {"a.toml:4", "class_sizes add up to 9", "holds 10"});
  testing::expect_error([&] { load_config(dir.write("b.toml", config_with(""))); }, "train_labels");
  testing::expect_error([&] { load_config(dir.write("c.toml", config_with("class_sizes = [4, 6]\n[data.augment]\nhorizontal_flip = true"))); },
                        {"c.toml:5", "augment", "flatten = false"});
  testing::expect_error([&] { load_config(dir.write("d.toml", config_with("class_sizes = [4, 6]\ntest_split = 1.5"))); },
                        {"d.toml:5", "test_split", "[0, 1)"});
  testing::expect_error([&] { load_config(dir.write("e.toml", config_with("class_sizes = [4, 0]"))); }, "each >= 1");
  testing::expect_error([&] { load_data(load_config(dir.write("f.toml", config_with("class_sizes = [4, 6]\ntest_split = 0.01")))); },
                        {"f.toml:5", "test_split", "leaves a part empty"});
}

}  // namespace
}  // namespace myelin::config
