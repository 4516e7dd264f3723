// Sliding-window detection: image pyramid, batched window scoring, non-maximum suppression.
#include "myelin/vision/detect.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "myelin/data/image.hpp"
#include "myelin/error.hpp"

namespace myelin::vision {
namespace {

// Copies the window at (y, x) of `image` (C, H, W) into `out` (C, h, w).
void copy_window(const Tensor& image, int64_t y, int64_t x, int64_t h, int64_t w, float* out) {
  const int64_t c = image.size(0), height = image.size(1), width = image.size(2);
  for (int64_t k = 0; k < c; ++k)
    for (int64_t r = 0; r < h; ++r)
      std::memcpy(out + (k * h + r) * w, image.data() + (k * height + y + r) * width + x, static_cast<size_t>(w) * sizeof(float));
}

}  // namespace

float iou(const Box& a, const Box& b) {
  const float ix = std::max(0.f, std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x));
  const float iy = std::max(0.f, std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y));
  const float inter = ix * iy, uni = a.width * a.height + b.width * b.height - inter;
  return uni > 0 ? inter / uni : 0.f;
}

std::vector<Box> non_max_suppression(std::vector<Box> boxes, float iou_threshold) {
  std::stable_sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.score > b.score; });
  std::vector<Box> kept;
  for (const Box& b : boxes)
    if (std::none_of(kept.begin(), kept.end(), [&](const Box& k) { return iou(k, b) > iou_threshold; })) kept.push_back(b);
  return kept;
}

std::vector<float> pyramid_scales(int64_t image_height, int64_t image_width, int64_t window_height, int64_t window_width) {
  std::vector<float> scales;
  for (float s = 1.f; image_height * s >= window_height && image_width * s >= window_width; s *= 0.8f) scales.push_back(s);
  return scales;
}

std::vector<Box> detect(const Tensor& image, const DetectOptions& o, const WindowScorer& score) {
  if (image.dim() != 3) throw ShapeError("detect: needs a (C, H, W) image, got " + to_string(image.shape()));
  const int64_t wh = o.window_height, ww = o.window_width;
  if (wh < 1 || ww < 1 || o.stride < 1 || o.batch_size < 1)
    throw Error("detect: window size, stride and batch size must be at least 1");
  if (!(o.threshold >= 0 && o.threshold <= 1) || !(o.iou_threshold >= 0 && o.iou_threshold <= 1))
    throw Error("detect: threshold and iou_threshold must be in [0, 1]");
  const std::vector<float> scales = o.scales.empty() ? pyramid_scales(image.size(1), image.size(2), wh, ww) : o.scales;
  const int64_t c = image.size(0), per_window = c * wh * ww;
  std::vector<Box> hits;
  for (const float s : scales) {
    if (!(s > 0)) throw Error("detect: scales must be positive, got " + std::to_string(s));
    const int64_t h = std::lround(image.size(1) * s), w = std::lround(image.size(2) * s);
    if (h < wh || w < ww) continue;
    const Tensor scaled = data::resize_image(image, h, w).contiguous();
    std::vector<std::pair<int64_t, int64_t>> corners;  // (y, x) of every window
    for (int64_t y = 0; y + wh <= h; y += o.stride)
      for (int64_t x = 0; x + ww <= w; x += o.stride) corners.emplace_back(y, x);
    for (size_t start = 0; start < corners.size(); start += static_cast<size_t>(o.batch_size)) {
      const size_t n = std::min(corners.size() - start, static_cast<size_t>(o.batch_size));
      Tensor windows = Tensor::empty({static_cast<int64_t>(n), c, wh, ww});  // (N, C, wh, ww)
      for (size_t i = 0; i < n; ++i)
        copy_window(scaled, corners[start + i].first, corners[start + i].second, wh, ww,
                    windows.data() + static_cast<int64_t>(i) * per_window);
      const Tensor scores = score(windows).contiguous();
      if (scores.numel() != static_cast<int64_t>(n))
        throw ShapeError("detect: the scorer gave " + std::to_string(scores.numel()) + " scores for " +
                         std::to_string(n) + " windows");
      for (size_t i = 0; i < n; ++i) {
        const float p = scores.data()[i];
        if (p < o.threshold) continue;
        hits.push_back({static_cast<float>(corners[start + i].second) / s, static_cast<float>(corners[start + i].first) / s,
                        static_cast<float>(ww) / s, static_cast<float>(wh) / s, p});
      }
    }
  }
  return non_max_suppression(std::move(hits), o.iou_threshold);
}

void draw_box(Tensor& image, const Box& box, const std::array<float, 3>& color, int64_t thickness) {
  if (image.dim() != 3 || image.size(0) > 3 || !image.is_contiguous())
    throw ShapeError("draw_box: needs a contiguous (C, H, W) image with C <= 3, got " + to_string(image.shape()));
  const int64_t c = image.size(0), h = image.size(1), w = image.size(2);
  const int64_t x0 = std::lround(box.x), y0 = std::lround(box.y);
  const int64_t x1 = std::lround(box.x + box.width) - 1, y1 = std::lround(box.y + box.height) - 1;
  const auto on_outline = [&](int64_t y, int64_t x) {
    const bool inside = y >= y0 && y <= y1 && x >= x0 && x <= x1;
    return inside && (y < y0 + thickness || y > y1 - thickness || x < x0 + thickness || x > x1 - thickness);
  };
  for (int64_t y = std::max<int64_t>(0, y0); y <= std::min(h - 1, y1); ++y)
    for (int64_t x = std::max<int64_t>(0, x0); x <= std::min(w - 1, x1); ++x)
      if (on_outline(y, x))
        for (int64_t k = 0; k < c; ++k) image.data()[(k * h + y) * w + x] = color[static_cast<size_t>(k)];
}

}  // namespace myelin::vision
