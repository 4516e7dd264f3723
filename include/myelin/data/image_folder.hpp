#pragma once
// ImageFolder: a labelled image data set stored as one subfolder of images per class.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "myelin/data/dataset.hpp"
#include "myelin/data/image.hpp"

namespace myelin::data {

/// Settings of an ImageFolder.
struct ImageFolderOptions {
  int64_t channels = 3;           // 1: grayscale, 3: RGB
  int64_t height = 0, width = 0;  // resize every image to this (0, 0: keep; then all must agree)
  std::vector<float> mean, std;   // per-channel normalisation after scaling to [0, 1]; empty: none
  ImageAugment augment;           // random augmentation (training sets only)
  uint64_t seed = 0;              // with the epoch and the index, the only input of augmentation
};

/// ImageFolder: root/<class>/<image> files, classes sorted by name and numbered from 0, images
/// sorted by path. Files ending .png, .jpg, .jpeg, .bmp, .gif, .tga, .pgm or .ppm (any case) are
/// images; other files are skipped. Example i is (image (C, H, W), class index as a float scalar).
///
/// Images are decoded in get(), so on the DataLoader's background thread. Augmentation draws from
/// a generator seeded by (seed, epoch, index): the same example of the same epoch always gets the
/// same augmentation, whatever the thread timing. Call set_epoch(e) before each epoch (for
/// instance from a Trainer callback's on_epoch_begin) for fresh augmentations.
///
/// Throws IoError naming the folder when root is missing, has no class subfolders, or a class
/// folder has no images; get() throws IoError naming the file for a corrupt image. Without
/// resizing, the first image is decoded when the folder is opened, and get() throws IoError
/// naming the file and both sizes for an image of another size (suggesting `size` in [data]).
class ImageFolder : public Dataset {
 public:
  explicit ImageFolder(const std::string& root, ImageFolderOptions options = {});
  int64_t size() const override { return static_cast<int64_t>(files_.size()); }
  Example get(int64_t i) const override;

  const std::vector<std::string>& class_names() const { return classes_; }
  const std::string& path(int64_t i) const { return files_.at(static_cast<size_t>(i)); }
  int64_t label(int64_t i) const { return labels_.at(static_cast<size_t>(i)); }
  void set_epoch(int64_t epoch) { epoch_.store(epoch); }
  int64_t epoch() const { return epoch_.load(); }

 private:
  ImageFolderOptions options_;
  // Throws IoError when `image` (decoded from `file`) is not the first image's size.
  void check_size(const std::string& file, const Tensor& image) const;
  std::vector<std::string> classes_;
  std::vector<std::string> files_;
  std::vector<int64_t> labels_;
  int64_t first_height_ = 0, first_width_ = 0;  // the first image's size, when not resizing
  std::atomic<int64_t> epoch_{0};
};

}  // namespace myelin::data
