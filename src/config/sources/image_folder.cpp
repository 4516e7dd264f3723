// source = "image_folder": one directory per part, a subfolder per class, pictures decoded to
// [0, 1] and resized to `size` when given.
#include <filesystem>

#include "config/sources/sources.hpp"
#include "myelin/data/image_folder.hpp"

namespace myelin::config {
namespace {

struct ImageFolderSettings : SourceSettings {
  int64_t channels = 3;           // 1 (grayscale) or 3 (RGB)
  int64_t height = 0, width = 0;  // resize to this (0: keep; then all must agree)
};

class ImageFolderSource final : public DataSource {
 public:
  std::string name() const override { return "image_folder"; }
  std::string summary() const override { return "a directory per part with a subfolder of pictures per class"; }

  void read_keys(TableReader& r, DataConfig& d) const override {
    auto s = std::make_shared<ImageFolderSettings>();
    d.paths["train"] = r.require_string("train");
    d.paths["validation"] = r.get_string("validation", "");
    d.paths["test"] = r.get_string("test", "");
    s->channels = r.get_int("channels", 3);
    if (s->channels != 1 && s->channels != 3) r.fail("channels", "must be 1 (grayscale) or 3 (RGB)");
    const std::vector<int64_t> size = r.get_ints("size");
    if (!size.empty()) {
      if (size.size() != 2 || size[0] < 1 || size[1] < 1) r.fail("size", "must be [height, width] with both >= 1");
      s->height = size[0];
      s->width = size[1];
    }
    d.flatten = r.get_bool("flatten", false);
    d.settings = s;
  }

  PreparedData load(const RunConfig& config) const override {
    const DataConfig& d = config.data;
    PreparedData out;
    std::vector<std::string> names;
    Parts parts;
    parts.train = read_part(d, "train", names, &out.image_shape);
    parts.validation = read_part(d, "validation", names, nullptr);  // every part is resized alike
    parts.test = read_part(d, "test", names, nullptr);
    out.class_names = d.class_names.empty() ? names : d.class_names;
    return prepare_parts(config, std::move(parts), std::move(out));
  }

 private:
  // All images of a folder, decoded once. Every part must have the training part's classes.
  static Part read_part(const DataConfig& d, const std::string& key, std::vector<std::string>& class_names,
                        Shape* image_shape) {
    const std::string dir = d.path(key);
    if (dir.empty()) return {};
    if (!std::filesystem::is_directory(dir))
      throw IoError(d.where_of(key).str() + ": [data] " + key + ": no such directory '" + dir + "'");
    const ImageFolderSettings& s = settings_of<ImageFolderSettings>(d);
    data::ImageFolderOptions options;
    options.channels = s.channels;
    options.height = s.height;
    options.width = s.width;
    auto folder = at_key(d, key, "", [&] { return std::make_shared<data::ImageFolder>(dir, options); });
    if (class_names.empty()) {
      class_names = folder->class_names();
    } else if (folder->class_names() != class_names) {
      throw IoError(d.where_of(key).str() + ": [data] " + key + ": the class folders of '" + dir +
                    "' differ from the training data's");
    }
    Part p = at_key(d, key, "", [&] { return rows(*folder); });  // ImageFolder rejects empty folders
    if (image_shape) *image_shape = Shape(p.inputs.shape().begin() + 1, p.inputs.shape().end());
    if (d.flatten) p.inputs = p.inputs.reshape({p.inputs.size(0), -1});
    return p;
  }
};

}  // namespace

const DataSource& image_folder_source() {
  static const ImageFolderSource source;
  return source;
}

}  // namespace myelin::config
