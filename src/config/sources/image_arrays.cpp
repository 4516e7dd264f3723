// source = "idx" and "npy": arrays of examples (images or feature vectors) with their labels,
// one file each per part, or labels by the class_sizes rule (npy).
#include <cmath>

#include "config/sources/sources.hpp"
#include "myelin/data/idx.hpp"
#include "myelin/data/npy.hpp"

namespace myelin::config {
namespace {

struct ArraySettings : SourceSettings {
  std::vector<int64_t> class_sizes;  // npy without train_labels: the first class_sizes[0] examples are class 0, ...
};

// Labels by the class_sizes rule: the first class_sizes[0] examples are class 0, and so on.
Tensor labels_by_class_sizes(const DataConfig& d, const std::vector<int64_t>& class_sizes, int64_t n) {
  std::vector<float> labels;
  for (size_t k = 0; k < class_sizes.size(); ++k)
    labels.insert(labels.end(), static_cast<size_t>(class_sizes[k]), static_cast<float>(k));
  if (static_cast<int64_t>(labels.size()) != n)
    throw IoError(d.where_of("class_sizes").str() + ": [data] class_sizes add up to " + std::to_string(labels.size()) +
                  " examples, but " + d.path("train_images") + " holds " + std::to_string(n));
  return Tensor::from_vector(labels, {n});
}

// The value of a white pixel in `images`: 255 when they hold whole numbers above 1 (bytes), else 1.
double white_level(const Tensor& images) {
  const Tensor flat = images.contiguous();
  const float* x = flat.data();
  bool above_one = false;
  for (int64_t i = 0; i < flat.numel(); ++i) {
    if (x[i] != std::floor(x[i])) return 1;
    above_one = above_one || x[i] > 1;
  }
  return above_one ? 255 : 1;
}

class ImageArraySource final : public DataSource {
 public:
  using Reader = Tensor (*)(const std::string&);
  ImageArraySource(std::string name, Reader read, bool takes_class_sizes)
      : name_(std::move(name)), read_(read), takes_class_sizes_(takes_class_sizes) {}

  std::string name() const override { return name_; }
  std::string summary() const override {
    return name_ + " files of examples (N, ...) and labels (N) per part" +
           (takes_class_sizes_ ? std::string(", or labels by class_sizes") : std::string());
  }

  void read_keys(TableReader& r, DataConfig& d) const override {
    auto settings = std::make_shared<ArraySettings>();
    d.paths["train_images"] = r.require_string("train_images");
    if (takes_class_sizes_) settings->class_sizes = r.get_ints("class_sizes");
    const bool by_sizes = !settings->class_sizes.empty();
    d.paths["train_labels"] = by_sizes ? r.get_string("train_labels", "") : r.require_string("train_labels");
    if (by_sizes && !d.paths["train_labels"].empty()) r.fail("class_sizes", "cannot be used together with train_labels");
    for (const int64_t n : settings->class_sizes)
      if (n < 1) r.fail("class_sizes", "must be counts of examples, each >= 1");
    for (const char* part : {"validation", "test"}) {
      const std::string images = std::string(part) + "_images", labels = std::string(part) + "_labels";
      d.paths[images] = r.get_string(images, "");
      d.paths[labels] = r.get_string(labels, "");
      if (d.paths[images].empty() != d.paths[labels].empty())
        r.fail(d.paths[images].empty() ? labels : images, "needs its partner (" + images + " with " + labels + ")");
    }
    d.flatten = r.get_bool("flatten", true);
    d.settings = settings;
  }

  PreparedData load(const RunConfig& config) const override {
    const DataConfig& d = config.data;
    Parts parts;
    PreparedData out;
    parts.train = read_part(d, "train", &out.image_shape);
    parts.validation = read_part(d, "validation", nullptr);
    parts.test = read_part(d, "test", nullptr);
    out.class_names = d.class_names;
    out.pixel_white = white_level(parts.train.inputs);
    return prepare_parts(config, std::move(parts), std::move(out));
  }

 private:
  // (N, H, W) or (N, C, H, W) images (or (N, F) features) and (N) labels of one part; sets
  // *image_shape (when given) to one image's (C, H, W) for images of 1 or 3 channels.
  Part read_part(const DataConfig& d, const std::string& kind, Shape* image_shape) const {
    const std::string images = d.path(kind + "_images"), labels = d.path(kind + "_labels");
    if (images.empty()) return {};
    Part p;
    p.inputs = at_key(d, kind + "_images", images, [&] { return read_(images); });
    if (p.inputs.dim() < 2)
      throw IoError(d.where_of(kind + "_images").str() + ": [data] " + kind + "_images: " + images + " holds " +
                    to_string(p.inputs.shape()) + ", expected examples along the first dimension");
    const int64_t n = p.inputs.size(0);
    if (labels.empty()) {
      p.targets = labels_by_class_sizes(d, settings_of<ArraySettings>(d).class_sizes, n);
    } else {
      p.targets = at_key(d, kind + "_labels", labels, [&] { return read_(labels); });
      if (p.targets.dim() != 1 || p.targets.size(0) != n)
        throw IoError(d.where_of(kind + "_labels").str() + ": [data] " + kind + "_labels: " + labels + " holds " +
                      to_string(p.targets.shape()) + ", expected one label per image of " + images + " (" +
                      std::to_string(n) + ")");
    }
    if (image_shape && p.inputs.dim() == 3) *image_shape = {1, p.inputs.size(1), p.inputs.size(2)};
    if (image_shape && p.inputs.dim() == 4 && (p.inputs.size(1) == 1 || p.inputs.size(1) == 3))
      *image_shape = Shape(p.inputs.shape().begin() + 1, p.inputs.shape().end());
    if (d.flatten) p.inputs = p.inputs.reshape({n, -1});
    else if (p.inputs.dim() == 3) p.inputs = p.inputs.reshape({n, 1, p.inputs.size(1), p.inputs.size(2)});
    return p;
  }

  std::string name_;
  Reader read_;
  bool takes_class_sizes_;
};

}  // namespace

const DataSource& idx_source() {
  static const ImageArraySource source("idx", &data::read_idx, false);
  return source;
}

const DataSource& npy_source() {
  static const ImageArraySource source("npy", &data::read_npy, true);
  return source;
}

}  // namespace myelin::config
