#pragma once
// Object detection with a classifier of small fixed-size images: the classifier is slid over an
// image pyramid (so objects of several sizes fit its window), and overlapping hits are merged by
// non-maximum suppression. Boxes can be drawn into the image.
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::vision {

/// Box: a rectangle in the pixels of the original image (top-left corner x, y; width, height)
/// and the classifier's score for it.
struct Box {
  float x = 0, y = 0, width = 0, height = 0;
  float score = 0;
};

/// Intersection over union of two boxes' areas: 0 (disjoint) to 1 (equal); 0 when both are empty.
float iou(const Box& a, const Box& b);

/// Greedy non-maximum suppression: boxes by descending score, each kept unless it overlaps an
/// already kept box by more than `iou_threshold` (IoU). Ensures: kept boxes in descending score.
std::vector<Box> non_max_suppression(std::vector<Box> boxes, float iou_threshold);

/// Scores windows: (N, C, h, w) images -> (N) scores (e.g. a class probability).
using WindowScorer = std::function<Tensor(const Tensor& windows)>;

/// Settings of detect().
struct DetectOptions {
  int64_t window_height = 0, window_width = 0;  // the classifier's input size
  int64_t stride = 4;          // pixels between neighbouring windows, in the scaled image
  std::vector<float> scales;   // image scale factors (a window covers window/scale pixels); empty: pyramid_scales
  float threshold = 0.5f;      // windows scoring below this are not objects
  float iou_threshold = 0.3f;  // non-maximum suppression: overlap above which the weaker box goes
  int64_t batch_size = 512;    // windows scored per call of the scorer
};

/// The scales 1, 0.8, 0.64, ... down to where the scaled image no longer holds one window.
std::vector<float> pyramid_scales(int64_t image_height, int64_t image_width, int64_t window_height,
                                  int64_t window_width);

/// Runs the sliding-window detector over `image` (C, H, W): at each scale the image is resized
/// (bilinear), every window at `stride` is scored in batches, windows scoring >= threshold become
/// boxes in original-image pixels, and non_max_suppression merges them.
/// Requires: window sizes and stride >= 1, scales > 0, threshold and iou_threshold in [0, 1]
/// (else Error). A scale at which the image is smaller than a window contributes nothing.
std::vector<Box> detect(const Tensor& image, const DetectOptions& options, const WindowScorer& score);

/// Draws the outline of `box` (clipped to the image), `thickness` pixels wide, into `image`
/// (C, H, W) in `color` (one value per channel, only the first C used).
void draw_box(Tensor& image, const Box& box, const std::array<float, 3>& color, int64_t thickness = 2);

}  // namespace myelin::vision
