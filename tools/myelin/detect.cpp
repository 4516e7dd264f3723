// `myelin detect MODEL IMAGE`: slides an image classifier over a photo at several scales and
// writes the photo with a box around each detection.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "commands.hpp"
#include "model_info.hpp"
#include "myelin/autograd.hpp"
#include "myelin/data/image.hpp"
#include "myelin/error.hpp"
#include "myelin/io/model_file.hpp"
#include "myelin/ops.hpp"
#include "myelin/vision/detect.hpp"

namespace myelin::cli {
namespace {

struct DetectArgs {
  std::string model, image, out, object_class, scales;
  int64_t stride = 2, out_width = 0;
  float threshold = 0.9f, iou = 0.2f;
};

// The class whose probability scores a window: a class name or index (default: class 0).
int64_t object_class_index(const ModelInfo& info, const std::string& wanted) {
  if (wanted.empty()) return 0;
  for (size_t k = 0; k < info.class_names.size(); ++k)
    if (info.class_names[k] == wanted) return static_cast<int64_t>(k);
  int64_t k = -1;
  std::istringstream in(wanted);
  if (!(in >> k) || !in.eof() || k < 0) throw Error("--class '" + wanted + "' is neither a class name of the model nor a class index");
  return k;
}

std::vector<float> parse_scales(const std::string& text) {
  std::vector<float> scales;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    std::istringstream one(item);
    float s = 0;
    if (!(one >> s) || !(one >> std::ws).eof() || !(s > 0))
      throw Error("--scales must be positive numbers separated by commas, e.g. 0.3,0.2,0.15; got '" + text + "'");
    scales.push_back(s);
  }
  return scales;
}

void run_detect(const DetectArgs& args) {
  const io::LoadedModel loaded = io::load_model(args.model);
  const ModelInfo info = from_metadata(loaded.metadata, args.model);
  const Shape& window = image_shape_of(info, args.model);
  if (!info.loss.classifies()) throw Error(args.model + ": detect needs a classifier (cross_entropy or nll loss)");
  const int64_t k = object_class_index(info, args.object_class);
  vision::DetectOptions options{.window_height = window[1], .window_width = window[2], .stride = args.stride,
                                .scales = parse_scales(args.scales), .threshold = args.threshold,
                                .iou_threshold = args.iou};
  const auto score = [&](const Tensor& windows) {
    NoGradGuard no_grad;
    const Tensor logits = (*loaded.module)(prepare_inputs(info, windows, args.image, true));
    if (k >= logits.size(1))
      throw Error("--class " + std::to_string(k) + " is beyond the model's " + std::to_string(logits.size(1)) + " classes");
    const Tensor p = info.loss.type == "nll" ? exp(logits) : softmax(logits, 1);
    return p.slice(1, k, k + 1).contiguous();
  };
  const std::vector<vision::Box> boxes = vision::detect(data::read_image(args.image, window[0]), options, score);
  std::printf("x,y,width,height,score\n");
  for (const vision::Box& b : boxes) std::printf("%.0f,%.0f,%.0f,%.0f,%.4f\n", b.x, b.y, b.width, b.height, b.score);
  if (args.out.empty()) return;
  Tensor picture = data::read_image(args.image, 3);
  // The picture at --out-width (boxes scaled alike), or at the photo's size.
  const float f = args.out_width > 0 ? static_cast<float>(args.out_width) / static_cast<float>(picture.size(2)) : 1.f;
  if (f != 1.f) picture = data::resize_image(picture, std::max<int64_t>(1, std::lround(picture.size(1) * f)), args.out_width);
  for (const vision::Box& b : boxes)
    vision::draw_box(picture, {b.x * f, b.y * f, b.width * f, b.height * f, b.score}, {1.f, 0.1f, 0.1f}, 3);
  data::write_png(args.out, picture);
  std::fprintf(stderr, "%zu boxes; wrote %s\n", boxes.size(), args.out.c_str());
}

}  // namespace

void add_detect_command(CLI::App& app) {
  auto args = std::make_shared<DetectArgs>();
  CLI::App* cmd = app.add_subcommand("detect", "Find objects in a photo with an image classifier (sliding window)");
  cmd->footer(
      "The classifier (trained on small images, e.g. 25x25 faces and non-faces) scores every window\n"
      "of the photo at each scale; windows whose probability of --class reaches --threshold are\n"
      "detections, and of overlapping detections (IoU above --iou) only the best is kept. Prints\n"
      "the boxes as CSV (pixels of the photo) and, with --out, writes the photo with the boxes.\n\n"
      "Examples:\n"
      "  myelin detect runs/faces/model.safetensors data/faces/astronaut.png --out boxes.png\n"
      "  myelin detect runs/faces/model.safetensors group.jpg --scales 0.5,0.35,0.25 --threshold 0.95");
  cmd->add_option("MODEL", args->model, "An image classifier written by `myelin train`")->required()->check(CLI::ExistingFile);
  cmd->add_option("IMAGE", args->image, "The photo (PNG, JPEG, BMP, ...)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", args->out, "Write the photo with the boxes drawn to this PNG file");
  cmd->add_option("--out-width", args->out_width, "Width of the written picture in pixels (default: the photo's)")->check(CLI::PositiveNumber);
  cmd->add_option("--class", args->object_class, "The class to find, by name or index (default: class 0)");
  cmd->add_option("--threshold", args->threshold, "Lowest class probability of a detection (default 0.9)")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--stride", args->stride, "Pixels between windows in each scaled image (default 2)")->check(CLI::PositiveNumber);
  cmd->add_option("--scales", args->scales, "Scale factors of the photo, comma-separated (default 1, 0.8, 0.64, ...)");
  cmd->add_option("--iou", args->iou, "Overlap (IoU) above which the weaker of two boxes goes (default 0.2)")->check(CLI::Range(0.0, 1.0));
  cmd->callback([args] { run_detect(*args); });
}

}  // namespace myelin::cli
