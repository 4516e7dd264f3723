// Sliding-window detection: IoU, non-maximum suppression, the pyramid, detect() with a scorer
// whose answer is known, box drawing, and PNG writing.
#include <gtest/gtest.h>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"
#include "temp_dir.hpp"

namespace myelin::vision {
namespace {

TEST(VisionDetect, IouOfDisjointNestedAndHalfOverlappingBoxes) {
  const Box a{0, 0, 10, 10, 1};
  EXPECT_FLOAT_EQ(iou(a, a), 1.f);
  EXPECT_FLOAT_EQ(iou(a, {20, 20, 5, 5, 1}), 0.f);
  EXPECT_FLOAT_EQ(iou(a, {0, 0, 5, 10, 1}), 0.5f);     // nested, half the area
  EXPECT_FLOAT_EQ(iou(a, {5, 0, 10, 10, 1}), 50.f / 150.f);
  EXPECT_FLOAT_EQ(iou({0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}), 0.f);
}

TEST(VisionDetect, NonMaxSuppressionKeepsTheBestOfEachCluster) {
  const std::vector<Box> boxes = {{0, 0, 10, 10, 0.7f}, {1, 1, 10, 10, 0.9f}, {50, 50, 10, 10, 0.6f}, {2, 0, 10, 10, 0.8f}};
  const std::vector<Box> kept = non_max_suppression(boxes, 0.3f);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_FLOAT_EQ(kept[0].score, 0.9f);
  EXPECT_FLOAT_EQ(kept[1].score, 0.6f);
  EXPECT_EQ(non_max_suppression(boxes, 1.f).size(), 4u);  // nothing overlaps by more than everything
}

TEST(VisionDetect, PyramidStopsWhenAWindowNoLongerFits) {
  const std::vector<float> s = pyramid_scales(100, 60, 25, 25);
  ASSERT_FALSE(s.empty());
  EXPECT_FLOAT_EQ(s[0], 1.f);
  for (const float f : s) EXPECT_GE(60 * f, 25);
  EXPECT_LT(60 * s.back() * 0.8f, 25);
}

// A (1, 60, 80) dark image with a bright 20 x 20 square at x = 40, y = 16.
Tensor square_image() {
  Tensor image = Tensor::zeros({1, 60, 80});
  for (int64_t y = 16; y < 36; ++y)
    for (int64_t x = 40; x < 60; ++x) image.data()[y * 80 + x] = 1.f;
  return image;
}

// Scores a window by its mean brightness: 1 only when it lies inside the square.
Tensor mean_brightness(const Tensor& windows) { return mean(windows.reshape({windows.size(0), -1}), {1}); }

TEST(VisionDetect, FindsTheBrightSquareInWindowsOfOneScale) {
  DetectOptions o{.window_height = 10, .window_width = 10, .stride = 2, .scales = {1.f}, .threshold = 0.99f,
                  .iou_threshold = 0.3f, .batch_size = 7};  // batches that do not divide the window count
  const std::vector<Box> boxes = detect(square_image(), o, mean_brightness);
  ASSERT_FALSE(boxes.empty());
  EXPECT_FLOAT_EQ(boxes[0].x, 40);  // ties go to the first window, in reading order
  EXPECT_FLOAT_EQ(boxes[0].y, 16);
  for (const Box& b : boxes) {  // only windows inside the square score 1
    EXPECT_FLOAT_EQ(b.width, 10);
    EXPECT_TRUE(b.x >= 40 && b.x + b.width <= 60 && b.y >= 16 && b.y + b.height <= 36) << b.x << "," << b.y;
  }
}

TEST(VisionDetect, BoxesOfAScaledImageAreInOriginalPixels) {
  // At scale 0.5 the square is 10 x 10 at (20, 8): the best 10-pixel window is it, 20 original pixels.
  DetectOptions o{.window_height = 10, .window_width = 10, .stride = 1, .scales = {0.5f}, .threshold = 0.5f, .iou_threshold = 0.f};
  const std::vector<Box> boxes = detect(square_image(), o, mean_brightness);
  ASSERT_FALSE(boxes.empty());
  EXPECT_FLOAT_EQ(boxes[0].x, 40);
  EXPECT_FLOAT_EQ(boxes[0].y, 16);
  EXPECT_FLOAT_EQ(boxes[0].width, 20);
  EXPECT_FLOAT_EQ(boxes[0].height, 20);
  o.scales = {0.1f};  // the image is smaller than a window: nothing to score
  EXPECT_TRUE(detect(square_image(), o, mean_brightness).empty());
}

TEST(VisionDetect, RejectsBadSettingsAndScorers) {
  DetectOptions o{.window_height = 10, .window_width = 10};
  o.stride = 0;
  testing::expect_error<Error>([&] { detect(square_image(), o, mean_brightness); }, "stride");
  o.stride = 2;
  o.scales = {-1.f};
  testing::expect_error<Error>([&] { detect(square_image(), o, mean_brightness); }, "scales must be positive");
  o.scales = {1.f};
  testing::expect_error<ShapeError>([&] { detect(square_image(), o, [](const Tensor&) { return Tensor::zeros({3}); }); }, "3 scores for");
  testing::expect_error<ShapeError>([&] { detect(Tensor::zeros({60, 80}), o, mean_brightness); }, "(C, H, W)");
}

TEST(VisionDetect, DrawsAClippedOutlineAndWritesItAsPng) {
  Tensor image = Tensor::zeros({3, 20, 30});
  draw_box(image, {5, 4, 10, 8, 1}, {1.f, 0.5f, 0.f}, 2);
  draw_box(image, {25, 15, 10, 10, 1}, {0.f, 0.f, 1.f}, 1);  // partly outside: clipped
  const auto at = [&](int64_t c, int64_t y, int64_t x) { return image.data()[(c * 20 + y) * 30 + x]; };
  EXPECT_FLOAT_EQ(at(0, 4, 5), 1.f);    // corner
  EXPECT_FLOAT_EQ(at(1, 5, 10), 0.5f);  // second row of the top edge
  EXPECT_FLOAT_EQ(at(0, 8, 10), 0.f);   // inside stays untouched
  EXPECT_FLOAT_EQ(at(0, 11, 14), 1.f);  // bottom-right corner (x 5..14, y 4..11)
  EXPECT_FLOAT_EQ(at(0, 12, 14), 0.f);
  EXPECT_FLOAT_EQ(at(2, 15, 29), 1.f);
  testing::TempDir dir;
  data::write_png(dir.file("boxes.png"), image);
  const Tensor back = data::read_image(dir.file("boxes.png"), 3);
  ASSERT_EQ(back.shape(), image.shape());
  for (int64_t i = 0; i < image.numel(); ++i) EXPECT_NEAR(back.data()[i], image.data()[i], 1.f / 255) << i;
  testing::expect_error<ShapeError>([&] { data::write_png(dir.file("bad.png"), Tensor::zeros({2, 4, 4})); }, "bad.png");
}

}  // namespace
}  // namespace myelin::vision
