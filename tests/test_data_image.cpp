// Images: decoding PNG/JPEG/BMP written here with stb_image_write, resizing, normalisation,
// seeded augmentation, and ImageFolder (classes, labels, errors naming the file or folder).
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include "myelin/myelin.hpp"
#include "temp_dir.hpp"

namespace myelin::data {
namespace {

using myelin::testing::TempDir;

// An h x w image with `c` interleaved channels; pixel (y, x, k) = (10 y + 3 x + 50 k) mod 256.
std::vector<unsigned char> pattern(int h, int w, int c) {
  std::vector<unsigned char> p(static_cast<size_t>(h * w * c));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int k = 0; k < c; ++k) p[(y * w + x) * c + k] = static_cast<unsigned char>((10 * y + 3 * x + 50 * k) % 256);
  return p;
}

std::string write_png(const std::string& path, int h, int w, int c) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  const auto p = pattern(h, w, c);
  if (!stbi_write_png(path.c_str(), w, h, c, p.data(), w * c)) throw std::runtime_error("cannot write " + path);
  return path;
}

TEST(DataImage, DecodesPngJpegAndBmpChannelsFirst) {
  TempDir dir;
  const std::string png = write_png(dir.file("a.png"), 4, 5, 3);
  const Tensor rgb = read_image(png, 3);
  ASSERT_EQ(rgb.shape(), (Shape{3, 4, 5}));
  EXPECT_FLOAT_EQ(rgb.at({2, 1, 2}), ((10 + 6 + 100) % 256) / 255.f);  // lossless
  EXPECT_EQ(read_image(png, 1).shape(), (Shape{1, 4, 5}));               // converted to grey
  const auto p = pattern(8, 8, 1);
  ASSERT_TRUE(stbi_write_bmp(dir.file("b.bmp").c_str(), 8, 8, 1, p.data()));
  EXPECT_FLOAT_EQ(read_image(dir.file("b.bmp"), 1).at({0, 3, 2}), (30 + 6) / 255.f);
  ASSERT_TRUE(stbi_write_jpg(dir.file("c.jpg").c_str(), 8, 8, 1, p.data(), 95));
  EXPECT_NEAR(read_image(dir.file("c.jpg"), 1).at({0, 3, 2}), (30 + 6) / 255.f, 0.05);  // lossy
  EXPECT_THROW(read_image(png, 2), Error);
}

TEST(DataImage, CorruptOrMissingImageNamesTheFile) {
  TempDir dir;
  const std::string bad = dir.write("bad.png", "\x89PNG\r\n\x1a\nthis is not really a png");
  for (const std::string& path : {bad, dir.file("missing.png")}) {
    try {
      read_image(path, 3);
      FAIL() << "expected IoError for " << path;
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
}

// A PNG may hold data chunks of length zero; they are dropped before decoding (Debian's
// stb_image mishandles one that comes first), and the image decodes as without them.
TEST(DataImage, EmptyPngDataChunksDecodeAsWithout) {
  TempDir dir;
  const std::string plain = write_png(dir.file("plain.png"), 4, 5, 3);
  std::ifstream in(plain, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t first_data = bytes.find("IDAT") - 4;
  ASSERT_LT(first_data, bytes.size());
  const std::string type = "IDAT";
  const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(type.data()), 4);
  std::string empty_chunk("\0\0\0\0" "IDAT", 8);
  for (int shift = 24; shift >= 0; shift -= 8) empty_chunk.push_back(static_cast<char>(crc >> shift & 0xff));
  bytes.insert(first_data, empty_chunk + empty_chunk);
  const std::string padded = dir.write("padded.png", bytes);
  EXPECT_EQ(read_image(padded, 3).to_vector(), read_image(plain, 3).to_vector());
}

TEST(DataImage, ResizeAndNormalize) {
  Tensor flat = Tensor::full({2, 3, 4}, 0.5f);
  EXPECT_EQ(resize_image(flat, 7, 5).shape(), (Shape{2, 7, 5}));
  EXPECT_NEAR(resize_image(flat, 7, 5).at({1, 6, 4}), 0.5f, 1e-6);  // constant stays constant
  // A left-to-right ramp stays a ramp when halved.
  Tensor ramp = Tensor::empty({1, 2, 8});
  for (int i = 0; i < 16; ++i) ramp.data()[i] = static_cast<float>(i % 8);
  const Tensor half = resize_image(ramp, 2, 4);
  EXPECT_LT(half.at({0, 0, 0}), half.at({0, 0, 3}));
  Tensor img = Tensor::full({2, 1, 2}, 0.5f);
  normalize_image(img, {0.5f, 0.25f}, {1.f, 0.5f});
  EXPECT_FLOAT_EQ(img.at({0, 0, 0}), 0.f);
  EXPECT_FLOAT_EQ(img.at({1, 0, 1}), 0.5f);
  EXPECT_THROW(normalize_image(img, {0.5f}, {1.f}), Error);
}

TEST(DataImage, AugmentationIsSeededAndKeepsTheShape) {
  const Tensor img = Tensor::uniform({3, 12, 10}, 0, 1);
  ImageAugment a{.crop_padding = 2, .horizontal_flip = true, .max_shift = 0.1f, .max_rotation = 15, .erase_probability = 0.5f};
  Generator g1(7), g2(7), g3(8);
  const Tensor x = augment_image(img, a, g1);
  EXPECT_EQ(x.shape(), img.shape());
  EXPECT_EQ(x.to_vector(), augment_image(img, a, g2).to_vector());
  EXPECT_NE(x.to_vector(), augment_image(img, a, g3).to_vector());
  // A flip alone mirrors exactly (or leaves the image as it is).
  Generator g4(1);
  const Tensor f = augment_image(img, {.horizontal_flip = true}, g4);
  EXPECT_TRUE(f.at({1, 2, 0}) == img.at({1, 2, 9}) || f.at({1, 2, 0}) == img.at({1, 2, 0}));
  EXPECT_EQ(augment_image(img, {}, g4).to_vector(), img.to_vector());
}

TEST(DataImageFolder, ClassesLabelsAndBatches) {
  TempDir dir;
  write_png(dir.file("cat/1.png"), 6, 5, 3);
  write_png(dir.file("cat/2.PNG"), 9, 4, 3);
  write_png(dir.file("dog/a.png"), 6, 5, 1);
  dir.write("dog/notes.txt", "not an image");
  auto ds = std::make_shared<ImageFolder>(dir.path(), ImageFolderOptions{.channels = 1, .height = 4, .width = 4,
                                                                         .mean = {0.5f}, .std = {0.25f}});
  EXPECT_EQ(ds->size(), 3);
  EXPECT_EQ(ds->class_names(), (std::vector<std::string>{"cat", "dog"}));
  EXPECT_EQ(ds->label(2), 1);
  const Example e = ds->get(1);
  EXPECT_EQ(e.input.shape(), (Shape{1, 4, 4}));
  EXPECT_EQ(e.target.item(), 0.f);
  DataLoader loader(ds, {.batch_size = 3});
  const Batch b = *loader.begin();
  EXPECT_EQ(b.inputs.shape(), (Shape{3, 1, 4, 4}));
  EXPECT_EQ(b.targets.to_vector(), (std::vector<float>{0, 0, 1}));
}

TEST(DataImageFolder, AugmentationDependsOnSeedEpochAndIndexOnly) {
  TempDir dir;
  write_png(dir.file("a/1.png"), 8, 8, 3);
  write_png(dir.file("b/1.png"), 8, 8, 3);
  const ImageFolderOptions o{.augment = {.crop_padding = 2, .max_rotation = 10}, .seed = 3};
  ImageFolder x(dir.path(), o), y(dir.path(), o);
  EXPECT_EQ(x.get(0).input.to_vector(), y.get(0).input.to_vector());
  x.set_epoch(1);
  EXPECT_NE(x.get(0).input.to_vector(), y.get(0).input.to_vector());
  y.set_epoch(1);
  EXPECT_EQ(x.get(0).input.to_vector(), y.get(0).input.to_vector());
}

TEST(DataImageFolder, EmptyFoldersAndCorruptFilesAreNamed) {
  TempDir dir;
  auto expect_io = [](const std::function<void()>& f, const std::string& name) {
    try {
      f();
      FAIL() << "expected IoError naming " << name;
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  expect_io([&] { ImageFolder(dir.file("nowhere")); }, dir.file("nowhere"));
  expect_io([&] { ImageFolder(dir.path()); }, dir.path());  // no class folders
  std::filesystem::create_directories(dir.file("empty"));
  dir.write("empty/readme.txt", "x");
  write_png(dir.file("full/1.png"), 4, 4, 3);
  expect_io([&] { ImageFolder(dir.path()); }, dir.file("empty"));
  std::filesystem::remove_all(dir.file("empty"));
  const std::string bad = dir.write("full/2.jpg", "garbage bytes");
  ImageFolder ds(dir.path());
  expect_io([&] { ds.get(1); }, bad);
}

}  // namespace
}  // namespace myelin::data
