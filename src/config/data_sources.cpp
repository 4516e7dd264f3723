// The registry of data sources, load_data, and the preparation that array-style sources share.
#include <algorithm>
#include <filesystem>
#include <tuple>

#include "config/data_source.hpp"
#include "config/sources/sources.hpp"
#include "myelin/data/split.hpp"

namespace myelin::config {
namespace {

// The registry: one line per source.
const std::vector<const DataSource*>& registry() {
  static const std::vector<const DataSource*> sources = {
      &fashion_mnist_source(), &idx_source(),  &npy_source(),  &csv_source(),
      &image_folder_source(),  &time_series_source(), &text_source(), &midi_source()};
  return sources;
}

}  // namespace

const DataSource* find_data_source(const std::string& name) {
  for (const DataSource* s : registry())
    if (s->name() == name) return s;
  return nullptr;
}

std::vector<std::string> data_source_names() {
  std::vector<std::string> names;
  for (const DataSource* s : registry()) names.push_back(s->name());
  std::sort(names.begin(), names.end());
  return names;
}

std::string DataConfig::path(const std::string& key) const {
  const auto it = paths.find(key);
  return it == paths.end() ? "" : it->second;
}

const Location& DataConfig::where_of(const std::string& key) const {
  const auto it = key_where.find(key);
  return it == key_where.end() ? where : it->second;
}

void check_exists(const DataConfig& d, const std::string& key, const std::string& path) {
  if (!path.empty() && !std::filesystem::exists(path))
    throw IoError(d.where_of(key).str() + ": [data] " + key + ": no such file '" + path + "'");
}

Part rows(const data::Dataset& dataset) {
  std::vector<int64_t> all(static_cast<size_t>(dataset.size()));
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int64_t>(i);
  if (all.empty()) return {};
  data::Batch b = dataset.get_batch(all);
  return {b.inputs, b.targets};
}

std::vector<double> read_ordered_split(TableReader& r) {
  std::vector<double> split = r.get_doubles("split");
  if (split.empty()) return split;
  if (split.size() != 3) r.fail("split", "must be [train, validation, test] (fractions summing to 1, or row counts)");
  for (double p : split)
    if (!(p >= 0)) r.fail("split", "must hold non-negative numbers");
  if (split[0] <= 0) r.fail("split", "must give the training part some rows");
  return split;
}

void reject_shuffling_keys(TableReader& r, const DataConfig& d) {
  const std::string why = "would mix time steps across the parts; " + d.source + " data are split in time order by split";
  if (d.validation_split > 0) r.fail("validation_split", why);
  if (d.test_split > 0) r.fail("test_split", why);
  if (d.divide_by != 1) r.fail("divide_by", "does not apply to " + d.source + " data");
  if (d.augment.active()) r.fail("augment", "applies to images, not to " + d.source + " data");
}

PreparedData prepare_parts(const RunConfig& config, Parts parts, PreparedData out) {
  const DataConfig& d = config.data;
  Part &train = parts.train, &validation = parts.validation, &test = parts.test;
  // The test part is held out first, so it is the same whatever the validation split.
  for (auto [fraction, held_out, key] : {std::tuple{d.test_split, &test, "test_split"},
                                         std::tuple{d.validation_split, &validation, "validation_split"}}) {
    if (fraction == 0) continue;
    auto full = std::make_shared<data::TensorDataset>(train.inputs, train.targets);
    data::TrainValidationSplit split = data::train_validation_split(full, fraction, config.train.seed);
    if (split.validation->size() == 0 || split.train->size() == 0)
      throw Error(d.where_of(key).str() + ": [data] " + key + " " + std::to_string(fraction) + " of " +
                  std::to_string(full->size()) + " examples leaves a part empty");
    *held_out = rows(*split.validation);
    train = rows(*split.train);
  }
  if (parts.after_hold_out) parts.after_hold_out(parts, out);
  for (Part* p : {&train, &validation, &test}) {
    if (!p->defined()) continue;
    if (d.divide_by != 1) {
      p->inputs = p->inputs.contiguous().clone();
      float* x = p->inputs.data();
      for (int64_t i = 0; i < p->inputs.numel(); ++i) x[i] = static_cast<float>(x[i] / d.divide_by);
    }
    // Elementwise losses compare (N, 1) outputs with (N, 1) targets.
    if (!config.loss.classifies() && p->targets.dim() == 1) p->targets = p->targets.reshape({p->targets.size(0), 1});
  }
  if (d.standardize && !out.time_series) {  // a series is scaled before it is cut into windows
    out.standardizer.emplace();
    train.inputs = out.standardizer->fit_transform(train.inputs);
    for (Part* p : {&validation, &test})
      if (p->defined()) p->inputs = out.standardizer->transform(p->inputs);
  }
  out.input_shape = Shape(train.inputs.shape().begin() + 1, train.inputs.shape().end());
  if (!config.model.input_shape.empty() && config.model.input_shape != out.input_shape)
    throw Error(config.model.where.str() + ": [model] input_shape is " + to_string(config.model.input_shape) +
                ", but the examples of the data have shape " + to_string(out.input_shape));
  auto dataset = [](const Part& p) -> data::DatasetPtr {
    return p.defined() ? std::make_shared<data::TensorDataset>(p.inputs, p.targets) : nullptr;
  };
  out.train = dataset(train);
  if (d.augment.active()) {
    out.augmented = std::make_shared<data::AugmentedDataset>(out.train, d.augment, config.train.seed);
    out.train = out.augmented;
  }
  out.validation = dataset(validation);
  out.test = dataset(test);
  return out;
}

PreparedData load_data(const RunConfig& config) {
  const DataSource* source = find_data_source(config.data.source);
  if (!source) throw Error(config.data.where.str() + ": [data] source '" + config.data.source + "' is not registered");
  return source->load(config);
}

}  // namespace myelin::config
