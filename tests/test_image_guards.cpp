// Images that cannot be used as they are: an image folder of mixed sizes without `size`, and
// truncated or corrupt files. The errors name the file, say what is wrong in words, and for
// mixed sizes compare with the first image and suggest `size = [H, W]` in [data].
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "expect_error.hpp"
#include "myelin/data/image.hpp"
#include "myelin/data/image_folder.hpp"
#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::TempDir;

std::string png(const TempDir& dir, const std::string& name, int64_t h, int64_t w) {
  std::filesystem::create_directories(std::filesystem::path(dir.file(name)).parent_path());
  data::write_png(dir.file(name), Tensor::full({1, h, w}, 0.5f));
  return dir.file(name);
}

TEST(ImageGuards, MixedSizesNameTheFileBothSizesAndTheSizeSetting) {
  TempDir dir;
  const std::string first = png(dir, "a/1.png", 6, 8);
  png(dir, "a/2.png", 6, 8);
  const std::string odd = png(dir, "b/1.png", 5, 7);
  const data::ImageFolder folder(dir.path(), {.channels = 1});
  EXPECT_EQ(folder.get(1).input.shape(), (Shape{1, 6, 8}));
  testing::expect_error<IoError>([&] { folder.get(2); },
                                 {odd + ": the image is 5 x 7 pixels", "the first image, " + first + ", is 6 x 8",
                                  "set size = [H, W] in [data] (e.g. size = [6, 8])"});
  // With resizing, the sizes may differ.
  const data::ImageFolder resized(dir.path(), {.channels = 1, .height = 4, .width = 4});
  EXPECT_EQ(resized.get(2).input.shape(), (Shape{1, 4, 4}));
}

TEST(ImageGuards, MixedSizesThroughTheCli) {
  TempDir dir;
  png(dir, "train/a/1.png", 6, 8);
  const std::string odd = png(dir, "train/b/1.png", 9, 8);
  const std::string config = dir.write("c.toml", R"([data]
source = "image_folder"
train = "train"
channels = 1

[[model.layers]]
type = "Flatten"
[[model.layers]]
type = "Linear"
units = 2

[train]
epochs = 1
batch_size = 2
)");
  const auto [status, output] = testing::run_cli("train " + config + " --out " + dir.file("run"));
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find(odd + ": the image is 9 x 8 pixels"), std::string::npos) << output;
  EXPECT_NE(output.find("size = [H, W] in [data]"), std::string::npos) << output;
}

// A PNG cut anywhere after its header: stb_image used to answer with a code such as "IDA" (the
// cut-off chunk type) or "outofdata".
TEST(ImageGuards, ATruncatedPngSaysSoAndNamesTheFile) {
  TempDir dir;
  const std::string whole = png(dir, "whole.png", 16, 16);
  std::ifstream in(whole, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (size_t keep : {bytes.size() - 20, bytes.size() - 12, size_t{40}, size_t{60}}) {
    const std::string path = dir.write("cut.png", bytes.substr(0, keep));
    SCOPED_TRACE(keep);
    testing::expect_error<IoError>([&] { data::read_image(path, 1); },
                                   {path + ": cannot decode the image: the file is truncated",
                                    "ends before the PNG's closing IEND chunk", "stb_image: "});
  }
}

TEST(ImageGuards, ACorruptFileSaysCorruptOrTruncatedInWords) {
  TempDir dir;
  const std::string text = dir.write("notes.png", "these are not pixels");
  testing::expect_error<IoError>([&] { data::read_image(text, 3); },
                                 {text + ": cannot decode the image: the file is corrupt or truncated",
                                  "not a PNG, JPEG, BMP, GIF or TGA image"});
  const std::string empty = dir.write("empty.jpg", "");
  testing::expect_error<IoError>([&] { data::read_image(empty, 3); }, {empty, "the file is empty"});
}

}  // namespace
}  // namespace myelin
