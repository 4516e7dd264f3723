// `myelin train` on an image folder (one subfolder per class) and `myelin predict` on an image
// file, with PNGs generated here: bright-left versus bright-right pictures.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "myelin/random.hpp"
#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

// A w x h grayscale PNG, bright on the left half (left = true) or the right half, with noise.
void write_png(const std::string& path, bool left, Generator& g, int w = 12, int h = 10) {
  std::vector<unsigned char> p(static_cast<size_t>(w * h));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const bool bright = (x < w / 2) == left;
      p[static_cast<size_t>(y * w + x)] = static_cast<unsigned char>((bright ? 180 : 40) + 60 * g.uniform());
    }
  ASSERT_TRUE(stbi_write_png(path.c_str(), w, h, 1, p.data(), w));
}

using testing::run_cli;

TEST(CliImageFolder, TrainsOnFoldersAndPredictsAnImageFile) {
  testing::TempDir dir;
  Generator g(3);
  for (const char* part : {"train", "test"})
    for (const char* cls : {"left", "right"}) {
      std::filesystem::create_directories(dir.file(std::string(part) + "/" + cls));
      for (int i = 0; i < (part == std::string("train") ? 24 : 8); ++i)
        write_png(dir.file(std::string(part) + "/" + cls + "/" + std::to_string(i) + ".png"),
                  cls == std::string("left"), g);
    }
  // A new picture of another size: predict refuses it unless --resize scales it to the
  // training size (8 x 8), and then says so.
  write_png(dir.file("new.png"), false, g, 20, 16);
  const std::string config = dir.write("config.toml", R"([data]
source = "image_folder"
train = "train"
test = "test"
channels = 1
size = [8, 8]

[[model.layers]]
type = "Conv2d"
out_channels = 4
kernel_size = 3
activation = "relu"
[[model.layers]]
type = "GlobalAvgPool2d"
[[model.layers]]
type = "Linear"
units = 2

[optimizer]
type = "adam"
lr = 0.05

[train]
epochs = 6
batch_size = 8
threads = 1
)");
  const auto [train_status, train_out] = run_cli("train " + config + " --out " + dir.file("run"));
  ASSERT_EQ(train_status, 0) << train_out;
  EXPECT_NE(train_out.find("test:  accuracy 1.0000"), std::string::npos) << train_out;

  const auto [refused_status, refused_out] =
      run_cli("predict " + dir.file("run/model.safetensors") + " " + dir.file("new.png"));
  EXPECT_NE(refused_status, 0);
  EXPECT_NE(refused_out.find("new.png: the picture is 20x16 pixels, the model's input is 8x8"), std::string::npos)
      << refused_out;
  EXPECT_NE(refused_out.find("--resize"), std::string::npos) << refused_out;
  const auto [status, out] =
      run_cli("predict " + dir.file("run/model.safetensors") + " " + dir.file("new.png") + " --resize");
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("0,1,right,"), std::string::npos) << out;
  EXPECT_NE(out.find("note: " + dir.file("new.png") + ": resized from 20x16"), std::string::npos) << out;

  const auto [bad_status, bad_out] = run_cli("train " + dir.write("bad.toml", "[data]\nsource = \"image_folder\"\ntrain = \"nowhere\"\n[[model.layers]]\ntype = \"Linear\"\nunits = 2\n"));
  EXPECT_NE(bad_status, 0);
  EXPECT_NE(bad_out.find("bad.toml:3: [data] train: no such directory"), std::string::npos) << bad_out;
}

}  // namespace
}  // namespace myelin
