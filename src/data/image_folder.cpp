// ImageFolder: scanning root/<class>/<file>, then per example: decode, resize, augment, normalise.
#include "myelin/data/image_folder.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "data/seed_mix.hpp"
#include "myelin/error.hpp"
#include "myelin/random.hpp"

namespace myelin::data {
namespace {

namespace fs = std::filesystem;

bool is_image(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* e : {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".pgm", ".ppm"})
    if (ext == e) return true;
  return false;
}

}  // namespace

ImageFolder::ImageFolder(const std::string& root, ImageFolderOptions options) : options_(std::move(options)) {
  if (options_.channels != 1 && options_.channels != 3)
    throw Error("ImageFolder: channels must be 1 or 3, got " + std::to_string(options_.channels));
  if ((options_.height > 0) != (options_.width > 0) || options_.height < 0 || options_.width < 0)
    throw Error("ImageFolder: height and width must both be set (> 0) or both 0");
  if (!options_.mean.empty() || !options_.std.empty())
    if (static_cast<int64_t>(options_.mean.size()) != options_.channels ||
        static_cast<int64_t>(options_.std.size()) != options_.channels)
      throw Error("ImageFolder: mean and std need one value per channel (" + std::to_string(options_.channels) + ")");
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw IoError(root + ": no such folder of images");
  std::vector<fs::path> class_dirs;
  for (const auto& entry : fs::directory_iterator(root, ec))
    if (entry.is_directory()) class_dirs.push_back(entry.path());
  if (ec) throw IoError(root + ": cannot list the folder: " + ec.message());
  std::sort(class_dirs.begin(), class_dirs.end());
  if (class_dirs.empty()) throw IoError(root + ": no class subfolders (expected root/<class>/<image>)");
  for (const fs::path& dir : class_dirs) {
    std::vector<std::string> images;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.is_regular_file() && is_image(entry.path())) images.push_back(entry.path().string());
    if (images.empty())
      throw IoError(dir.string() + ": no images in this class folder (expected .png, .jpg, .jpeg, .bmp, .gif, .tga, .pgm or .ppm files)");
    std::sort(images.begin(), images.end());
    for (std::string& f : images) {
      files_.push_back(std::move(f));
      labels_.push_back(static_cast<int64_t>(classes_.size()));
    }
    classes_.push_back(dir.filename().string());
  }
  if (options_.height == 0) {  // no resizing: every image must have the first one's size
    const Tensor first = read_image(files_.front(), options_.channels);
    first_height_ = first.size(1);
    first_width_ = first.size(2);
  }
}

void ImageFolder::check_size(const std::string& file, const Tensor& image) const {
  if (image.size(1) == first_height_ && image.size(2) == first_width_) return;
  const auto size = [](int64_t h, int64_t w) { return std::to_string(h) + " x " + std::to_string(w); };
  throw IoError(file + ": the image is " + size(image.size(1), image.size(2)) + " pixels (height x width), but the "
                "first image, " + files_.front() + ", is " + size(first_height_, first_width_) +
                "; images of different sizes need resizing to one size: set size = [H, W] in [data] (e.g. size = [" +
                std::to_string(first_height_) + ", " + std::to_string(first_width_) + "])");
}

Example ImageFolder::get(int64_t i) const {
  if (i < 0 || i >= size())
    throw Error("ImageFolder: index " + std::to_string(i) + " is out of range for " + std::to_string(size()) + " images");
  const std::string& file = files_[static_cast<size_t>(i)];
  Tensor image = read_image(file, options_.channels);
  if (options_.height > 0) image = resize_image(image, options_.height, options_.width);
  else check_size(file, image);
  if (options_.augment.active()) {
    Generator gen(example_seed(options_.seed, epoch(), i));
    image = augment_image(image, options_.augment, gen);
  }
  if (!options_.mean.empty()) {
    image = image.contiguous().clone();
    normalize_image(image, options_.mean, options_.std);
  }
  return {image, Tensor::scalar(static_cast<float>(labels_[static_cast<size_t>(i)]))};
}

}  // namespace myelin::data
