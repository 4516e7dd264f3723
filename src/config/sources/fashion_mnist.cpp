// source = "fashion_mnist": the Fashion-MNIST IDX files of a directory (Debian's
// dataset-fashion-mnist by default), pixels scaled to [0, 1] by the loader.
#include "config/sources/sources.hpp"
#include "myelin/data/fashion_mnist.hpp"

namespace myelin::config {
namespace {

class FashionMnistSource final : public DataSource {
 public:
  std::string name() const override { return "fashion_mnist"; }
  std::string summary() const override { return "the Fashion-MNIST IDX files of `dir` (default: Debian's dataset-fashion-mnist)"; }

  void read_keys(TableReader& r, DataConfig& d) const override {
    if (r.has("dir")) d.paths["dir"] = r.get_string("dir", "");
    d.flatten = r.get_bool("flatten", true);
    d.settings = std::make_shared<SourceSettings>();
  }

  PreparedData load(const RunConfig& config) const override {
    const DataConfig& d = config.data;
    const std::string dir = d.path("dir").empty() ? data::kFashionMnistDir : d.path("dir");
    data::FashionMnist f = at_key(d, "dir", "", [&] { return data::load_fashion_mnist(dir, {.flatten = d.flatten}); });
    PreparedData out;
    out.class_names = d.class_names.empty() ? f.class_names : d.class_names;
    out.image_shape = {1, 28, 28};
    out.raw_scale = 255;  // the loader divides the IDX bytes
    Parts parts;
    parts.train = {f.train->inputs(), f.train->targets()};
    parts.test = {f.test->inputs(), f.test->targets()};
    return prepare_parts(config, std::move(parts), std::move(out));
  }
};

}  // namespace

const DataSource& fashion_mnist_source() {
  static const FashionMnistSource source;
  return source;
}

}  // namespace myelin::config
