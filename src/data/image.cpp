// Image tensors: decoding through stb, bilinear resizing, normalisation and augmentation.
#include "myelin/data/image.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <numbers>
#include <utility>

#include "data/decode_failure.hpp"
#include "data/png_chunks.hpp"
#include "data/stb.hpp"
#include "myelin/error.hpp"
#include "myelin/io/atomic_write.hpp"
#include "myelin/random.hpp"

namespace myelin::data {
namespace {
constexpr int64_t kMaxImagePixels = int64_t{1} << 26;  // 8192 x 8192
constexpr std::streamoff kMaxImageFileBytes = std::streamoff{1} << 30;  // stb takes an int length

std::string read_image_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw IoError(path + ": cannot open the image file");
  const std::streamoff size = in.tellg();
  if (size < 0) throw IoError(path + ": cannot read the image file");
  if (size > kMaxImageFileBytes)
    throw IoError(path + ": " + std::to_string(size) + " bytes, more than the " + std::to_string(kMaxImageFileBytes) +
                  " myelin decodes");
  in.seekg(0);
  std::string bytes(static_cast<size_t>(size), '\0');
  if (!in.read(bytes.data(), size)) throw IoError(path + ": cannot read the image file");
  return without_empty_png_data_chunks(std::move(bytes));
}
}  // namespace

Tensor read_image(const std::string& path, int64_t channels) {
  if (channels != 1 && channels != 3)
    throw Error("read_image: channels must be 1 (grayscale) or 3 (RGB), got " + std::to_string(channels));
  const std::string bytes = read_image_file(path);
  int w = 0, h = 0;
  // stb allocates what the header claims before it reads the pixels, so a few hostile bytes
  // could ask for gigabytes: check the claim first.
  if (stb::info(bytes, &w, &h) && static_cast<int64_t>(w) * h > kMaxImagePixels)
    throw IoError(path + ": the header claims " + std::to_string(w) + " x " + std::to_string(h) +
                  " pixels, more than the " + std::to_string(kMaxImagePixels) + " myelin decodes");
  std::unique_ptr<unsigned char, void (*)(unsigned char*)> pixels(
      stb::load(bytes, &w, &h, static_cast<int>(channels)), stb::free_image);
  if (!pixels) {
    const char* reason = stb::failure_reason();
    throw IoError(path + ": cannot decode the image: " + decode_failure(bytes, reason ? reason : ""));
  }
  // (H, W, C) bytes -> (C, H, W) floats in [0, 1]
  Tensor out = Tensor::empty({channels, h, w});
  float* dst = out.data();
  const int64_t plane = static_cast<int64_t>(h) * w;
  for (int64_t p = 0; p < plane; ++p)
    for (int64_t c = 0; c < channels; ++c) dst[c * plane + p] = pixels.get()[p * channels + c] / 255.f;
  return out;
}

void write_png(const std::string& path, const Tensor& image) {
  if (image.dim() != 3 || (image.size(0) != 1 && image.size(0) != 3))
    throw ShapeError(path + ": write_png needs a (1, H, W) or (3, H, W) image, got " + to_string(image.shape()));
  const Tensor in = image.contiguous();
  const int64_t c = image.size(0), plane = image.size(1) * image.size(2);
  // (C, H, W) floats in [0, 1] -> (H, W, C) bytes
  std::vector<unsigned char> pixels(static_cast<size_t>(c * plane));
  for (int64_t p = 0; p < plane; ++p)
    for (int64_t k = 0; k < c; ++k)
      pixels[static_cast<size_t>(p * c + k)] = static_cast<unsigned char>(std::lround(std::clamp(in.data()[k * plane + p], 0.f, 1.f) * 255));
  std::string png;
  if (!stb::encode_png(pixels.data(), static_cast<int>(image.size(2)), static_cast<int>(image.size(1)), static_cast<int>(c), png))
    throw IoError(path + ": cannot encode the image as PNG");
  io::write_file_atomically(path, png);
}

Tensor resize_image(const Tensor& image, int64_t height, int64_t width) {
  if (image.dim() != 3 || height < 1 || width < 1)
    throw ShapeError("resize_image: needs a (C, H, W) image and a size >= 1, got " + to_string(image.shape()) +
                     " to (" + std::to_string(height) + ", " + std::to_string(width) + ")");
  if (image.size(1) == height && image.size(2) == width) return image;
  const Tensor in = image.contiguous();
  Tensor out = Tensor::empty({image.size(0), height, width});
  const int64_t in_plane = image.size(1) * image.size(2), out_plane = height * width;
  for (int64_t c = 0; c < image.size(0); ++c)
    if (!stb::resize_plane(in.data() + c * in_plane, static_cast<int>(image.size(2)), static_cast<int>(image.size(1)),
                           out.data() + c * out_plane, static_cast<int>(width), static_cast<int>(height)))
      throw Error("resize_image: resizing " + to_string(image.shape()) + " failed");
  return out;
}

void normalize_image(Tensor& image, const std::vector<float>& mean, const std::vector<float>& std) {
  const int64_t c = image.size(0);
  if (static_cast<int64_t>(mean.size()) != c || static_cast<int64_t>(std.size()) != c)
    throw Error("normalize_image: needs one mean and one std per channel (" + std::to_string(c) + "), got " +
                std::to_string(mean.size()) + " and " + std::to_string(std.size()));
  const int64_t plane = image.numel() / c;
  float* p = image.data();
  for (int64_t k = 0; k < c; ++k) {
    if (!(std[k] > 0)) throw Error("normalize_image: std of channel " + std::to_string(k) + " must be > 0");
    for (int64_t i = 0; i < plane; ++i) p[k * plane + i] = (p[k * plane + i] - mean[k]) / std[k];
  }
}

namespace {

// Uniform in [-a, a].
float symmetric(Generator& gen, float a) { return (2.f * gen.uniform() - 1.f) * a; }

// out(y, x) = in(source of (y, x)) under the inverse map: rotate by -angle around the centre,
// then shift by -(dy, dx); bilinear, zero outside.
void warp(const float* in, float* out, int64_t h, int64_t w, float angle, float dy, float dx) {
  const float cy = (h - 1) / 2.f, cx = (w - 1) / 2.f;
  const float cs = std::cos(angle), sn = std::sin(angle);
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x) {
      const float ry = y - dy - cy, rx = x - dx - cx;
      const float sy = cs * ry - sn * rx + cy, sx = sn * ry + cs * rx + cx;
      const float fy = std::floor(sy), fx = std::floor(sx);
      const int64_t y0 = static_cast<int64_t>(fy), x0 = static_cast<int64_t>(fx);
      const float ty = sy - fy, tx = sx - fx;
      auto at = [&](int64_t yy, int64_t xx) {
        return (yy >= 0 && yy < h && xx >= 0 && xx < w) ? in[yy * w + xx] : 0.f;
      };
      out[y * w + x] = (1 - ty) * ((1 - tx) * at(y0, x0) + tx * at(y0, x0 + 1)) +
                       ty * ((1 - tx) * at(y0 + 1, x0) + tx * at(y0 + 1, x0 + 1));
    }
}

}  // namespace

Tensor augment_image(const Tensor& image, const ImageAugment& a, Generator& gen) {
  if (image.dim() != 3) throw ShapeError("augment_image: needs a (C, H, W) image, got " + to_string(image.shape()));
  const int64_t c = image.size(0), h = image.size(1), w = image.size(2), plane = h * w;
  Tensor out = image.contiguous().clone();
  Tensor tmp = Tensor::empty(out.shape());
  // Integer crop offsets and fractional shifts both become one translation; rotation joins it.
  float dy = 0, dx = 0, angle = 0;
  if (a.crop_padding > 0) {
    dy += static_cast<float>(gen.below(2 * a.crop_padding + 1)) - a.crop_padding;
    dx += static_cast<float>(gen.below(2 * a.crop_padding + 1)) - a.crop_padding;
  }
  const bool flip = a.horizontal_flip && gen.uniform() < 0.5f;
  if (a.max_shift > 0) {
    dy += symmetric(gen, a.max_shift * h);
    dx += symmetric(gen, a.max_shift * w);
  }
  if (a.max_rotation > 0) angle = symmetric(gen, a.max_rotation) * std::numbers::pi_v<float> / 180.f;
  if (dy != 0 || dx != 0 || angle != 0) {
    for (int64_t k = 0; k < c; ++k) warp(out.data() + k * plane, tmp.data() + k * plane, h, w, angle, dy, dx);
    std::swap(out, tmp);
  }
  if (flip)
    for (int64_t r = 0; r < c * h; ++r) std::reverse(out.data() + r * w, out.data() + (r + 1) * w);
  if (a.erase_probability > 0 && gen.uniform() < a.erase_probability) {
    // Area 2%-33% of the image, aspect ratio 0.3-3.3 (log-uniform), as RandomErasing's defaults.
    const float area = (0.02f + 0.31f * gen.uniform()) * plane;
    const float ratio = std::exp(std::log(0.3f) + gen.uniform() * (std::log(3.3f) - std::log(0.3f)));
    const int64_t eh = std::clamp<int64_t>(std::lround(std::sqrt(area * ratio)), 1, h);
    const int64_t ew = std::clamp<int64_t>(std::lround(std::sqrt(area / ratio)), 1, w);
    const int64_t y0 = static_cast<int64_t>(gen.below(h - eh + 1)), x0 = static_cast<int64_t>(gen.below(w - ew + 1));
    for (int64_t k = 0; k < c; ++k)
      for (int64_t y = y0; y < y0 + eh; ++y) std::fill_n(out.data() + k * plane + y * w + x0, ew, 0.f);
  }
  return out;
}

}  // namespace myelin::data
