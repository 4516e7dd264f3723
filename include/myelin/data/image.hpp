#pragma once
// Images as tensors: decoding (PNG, JPEG, BMP, ... through stb_image), writing PNG, resizing, normalising and
// random augmentation. An image tensor is (C, H, W), float32, values in [0, 1] after decoding.
#include <cstdint>
#include <string>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin {
class Generator;
}

namespace myelin::data {

/// Decodes the image at `path` into (channels, H, W), values in [0, 1]; channels is 1 (grayscale,
/// converted from colour if needed) or 3 (RGB). Throws IoError naming the file when it cannot be
/// read or decoded or claims over 2^26 pixels (8192 x 8192); Error for another channel count.
Tensor read_image(const std::string& path, int64_t channels);

/// Writes (C, H, W) with C = 1 (grayscale) or 3 (RGB), values in [0, 1] (clamped), as an 8-bit
/// PNG file, atomically. Throws ShapeError for another shape, IoError naming the file on failure.
void write_png(const std::string& path, const Tensor& image);

/// Resizes (C, H, W) to (C, height, width) by bilinear interpolation (a triangle filter, which
/// also averages properly when shrinking). Requires: height, width >= 1.
Tensor resize_image(const Tensor& image, int64_t height, int64_t width);

/// (x - mean[c]) / std[c] per channel, in place. Requires: one mean and std (> 0) per channel.
void normalize_image(Tensor& image, const std::vector<float>& mean, const std::vector<float>& std);

/// Random augmentation of (C, H, W) images for training; all off by default.
struct ImageAugment {
  int64_t crop_padding = 0;       // crop of the original size at a random offset of the image zero-padded by this much
  bool horizontal_flip = false;   // mirror left-right with probability 1/2
  float max_shift = 0.f;          // random translation by up to this fraction of height and width
  float max_rotation = 0.f;       // random rotation by up to this many degrees either way
  float erase_probability = 0.f;  // with this probability, zero a random rectangle of 2%-33% of the area
  /// True when any augmentation is on.
  bool active() const {
    return crop_padding > 0 || horizontal_flip || max_shift > 0 || max_rotation > 0 || erase_probability > 0;
  }
};

/// Applies `augment` to a copy of `image`, drawing from `gen`. Shifts and rotations resample
/// bilinearly around the centre and fill with zeros; erasing happens last (after normalisation
/// when the caller normalises first).
Tensor augment_image(const Tensor& image, const ImageAugment& augment, Generator& gen);

}  // namespace myelin::data
