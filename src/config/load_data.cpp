// Loading a config's data: the files of each part, the validation split and the preprocessing.
#include <algorithm>
#include <filesystem>
#include <tuple>

#include "config/load_midi.hpp"
#include "myelin/config/config.hpp"
#include "myelin/data/csv.hpp"
#include "myelin/data/fashion_mnist.hpp"
#include "myelin/data/idx.hpp"
#include "myelin/data/image_folder.hpp"
#include "myelin/data/npy.hpp"
#include "myelin/data/sequence.hpp"
#include "myelin/data/split.hpp"
#include "myelin/data/time_series.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin::config {
namespace {

// Inputs and targets of one part, before preprocessing.
struct Part {
  Tensor inputs, targets;
  bool defined() const { return inputs.defined(); }
};

const Location& where_of(const DataConfig& d, const std::string& key) { return d.key_where.at(key); }

// Runs `read`, turning a missing file or a read error into an error at the key that named it.
template <class Read>
auto at_key(const DataConfig& d, const std::string& key, const std::string& path, Read read) {
  if (!path.empty() && !std::filesystem::exists(path))
    throw IoError(where_of(d, key).str() + ": [data] " + key + ": no such file '" + path + "'");
  try {
    return read();
  } catch (const Error& e) {
    throw IoError(where_of(d, key).str() + ": [data] " + key + ": " + e.what());
  }
}

// Labels by the class_sizes rule: the first class_sizes[0] examples are class 0, and so on.
Tensor labels_by_class_sizes(const DataConfig& d, int64_t n) {
  std::vector<float> labels;
  for (size_t k = 0; k < d.class_sizes.size(); ++k) labels.insert(labels.end(), static_cast<size_t>(d.class_sizes[k]), static_cast<float>(k));
  if (static_cast<int64_t>(labels.size()) != n)
    throw IoError(where_of(d, "class_sizes").str() + ": [data] class_sizes add up to " + std::to_string(labels.size()) +
                  " examples, but " + d.train_images + " holds " + std::to_string(n));
  return Tensor::from_vector(labels, {n});
}

// Arrays of images from IDX or .npy files: (N, H, W) or (N, C, H, W) images, (N) labels.
Part read_array_part(const DataConfig& d, const std::string& kind, const std::string& images, const std::string& labels) {
  if (images.empty()) return {};
  const auto read = [&](const std::string& path) { return d.source == "npy" ? data::read_npy(path) : data::read_idx(path); };
  Part p;
  p.inputs = at_key(d, kind + "_images", images, [&] { return read(images); });
  if (p.inputs.dim() < 2)
    throw IoError(where_of(d, kind + "_images").str() + ": [data] " + kind + "_images: " + images + " holds " +
                  to_string(p.inputs.shape()) + ", expected examples along the first dimension");
  const int64_t n = p.inputs.size(0);
  if (labels.empty()) {
    p.targets = labels_by_class_sizes(d, n);
  } else {
    p.targets = at_key(d, kind + "_labels", labels, [&] { return read(labels); });
    if (p.targets.dim() != 1 || p.targets.size(0) != n)
      throw IoError(where_of(d, kind + "_labels").str() + ": [data] " + kind + "_labels: " + labels + " holds " +
                    to_string(p.targets.shape()) + ", expected one label per image of " + images + " (" +
                    std::to_string(n) + ")");
  }
  if (d.flatten) p.inputs = p.inputs.reshape({n, -1});
  else if (p.inputs.dim() == 3) p.inputs = p.inputs.reshape({n, 1, p.inputs.size(1), p.inputs.size(2)});
  return p;
}

Part read_csv_part(const DataConfig& d, const std::string& key, const std::string& path,
                   std::vector<std::string>& class_names, std::vector<std::string>& feature_names) {
  if (path.empty()) return {};
  // The validation and test tables are read with the training table's feature columns.
  data::CsvOptions options{.label_column = d.label, .feature_columns = feature_names,
                           .labels_are_class_names = d.labels_are_names, .class_names = class_names};
  data::CsvTable t = at_key(d, key, path, [&] { return data::read_csv(path, options); });
  if (d.labels_are_names) class_names = t.class_names;  // later parts share the training mapping
  feature_names = t.feature_names;
  return {t.features, t.labels};
}

// Every example of a data set, as one batch of new tensors.
Part rows(const data::Dataset& dataset) {
  std::vector<int64_t> all(static_cast<size_t>(dataset.size()));
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int64_t>(i);
  if (all.empty()) return {};
  data::Batch b = dataset.get_batch(all);
  return {b.inputs, b.targets};
}

// All images of a folder (one subfolder per class), decoded once. Every part must have the
// training part's classes.
Part read_image_folder_part(const DataConfig& d, const std::string& key, const std::string& dir,
                            std::vector<std::string>& class_names, Shape& image_shape) {
  if (dir.empty()) return {};
  if (!std::filesystem::is_directory(dir))
    throw IoError(where_of(d, key).str() + ": [data] " + key + ": no such directory '" + dir + "'");
  data::ImageFolderOptions options;
  options.channels = d.channels;
  options.height = d.height;
  options.width = d.width;
  auto folder = at_key(d, key, "", [&] { return std::make_shared<data::ImageFolder>(dir, options); });
  if (class_names.empty()) {
    class_names = folder->class_names();
  } else if (folder->class_names() != class_names) {
    throw IoError(where_of(d, key).str() + ": [data] " + key + ": the class folders of '" + dir +
                  "' differ from the training data's");
  }
  Part p = at_key(d, key, "", [&] { return rows(*folder); });  // ImageFolder rejects empty folders
  image_shape = Shape(p.inputs.shape().begin() + 1, p.inputs.shape().end());
  if (d.flatten) p.inputs = p.inputs.reshape({p.inputs.size(0), -1});
  return p;
}

// Row counts of the train, validation and test parts of a series in time order: from `split`,
// or from split_dates (each part starts at the first row on or after its date).
std::vector<int64_t> part_rows(const DataConfig& d, int64_t n, const std::vector<std::string>& dates) {
  if (d.split_dates.empty())
    return at_key(d, "split", "", [&] { return data::split_sizes(n, d.split); });
  std::vector<int64_t> starts;
  for (const std::string& date : d.split_dates)
    starts.push_back(std::lower_bound(dates.begin(), dates.end(), date) - dates.begin());
  if (starts.size() == 1) starts.insert(starts.begin(), starts[0]);  // no validation part
  return {starts[0], starts[1] - starts[0], n - starts[1]};
}

// source = "time_series": windows over the CSV file's series, scaled with training statistics.
SeriesPreparation read_time_series_parts(const DataConfig& d, Part& train, Part& validation, Part& test) {
  data::SeriesColumns spec;
  spec.numbers = d.inputs;
  spec.date_column = d.date_column;
  spec.day_of_year = d.day_of_year;
  for (const std::string& t : d.targets)
    if (std::find(spec.numbers.begin(), spec.numbers.end(), t) == spec.numbers.end()) spec.numbers.push_back(t);
  for (const std::string& c : d.one_hot) spec.one_hot[c] = {};
  const data::SeriesTable table = at_key(d, "file", d.file, [&] { return data::read_series_table(d.file, spec); });
  data::TimeSeriesOptions options{.input_columns = d.inputs, .target_columns = d.targets, .window = d.window,
                                  .horizon = d.horizon, .standardize = d.standardize};
  // Derived columns (one-hot, day of year) follow the number columns and are always inputs.
  options.input_columns.insert(options.input_columns.end(), table.columns.begin() + static_cast<long>(spec.numbers.size()),
                               table.columns.end());
  const std::vector<int64_t> rows_of_parts = part_rows(d, table.values.size(0), table.dates);
  options.parts.assign(rows_of_parts.begin(), rows_of_parts.end());
  if (rows_of_parts[0] == 0)
    throw Error(where_of(d, d.split_dates.empty() ? "split" : "split_dates").str() + ": [data] the training part of " +
                d.file + " has no rows");
  const data::TimeSeriesData ts =
      at_key(d, "window", "", [&] { return data::make_time_series(table.values, table.columns, options); });
  train = rows(*ts.train);
  if (ts.validation) validation = rows(*ts.validation);
  if (ts.test) test = rows(*ts.test);
  if (d.predict_change)
    for (Part* p : {&train, &validation, &test})
      if (p->defined())
        p->targets = sub(p->targets, data::persistence_forecast(p->inputs, ts.input_indices, ts.target_indices, d.horizon));
  return {.columns = table.spec, .series_columns = ts.columns, .input_indices = ts.input_indices,
          .target_indices = ts.target_indices, .targets = d.targets, .window = d.window, .horizon = d.horizon,
          .scaler = ts.scaler, .part_rows = rows_of_parts, .predict_change = d.predict_change};
}

// source = "text": next-token windows over the file's bytes, as vocabulary ids, in time order.
TextPreparation read_text_parts(const DataConfig& d, Part& train, Part& validation, Part& test) {
  const Tensor bytes = at_key(d, "file", d.file, [&] { return data::read_bytes(d.file); });
  if (bytes.numel() < 2) throw IoError(where_of(d, "file").str() + ": [data] file: " + d.file + " holds fewer than 2 bytes");
  TextPreparation text{.vocabulary = d.vocabulary == "bytes" ? data::Vocabulary::all_bytes() : data::Vocabulary::of_text(bytes),
                       .seq_len = d.seq_len,
                       .start = std::string(1, static_cast<char>(bytes.data()[0]))};
  const Tensor tokens = text.vocabulary.encode(bytes);
  const std::vector<int64_t> sizes = at_key(d, "split", "", [&] { return data::split_sizes(tokens.numel(), d.split); });
  const char* names[] = {"training", "validation", "test"};
  Part* parts[] = {&train, &validation, &test};
  int64_t begin = 0;
  for (int k = 0; k < 3; ++k) {
    const int64_t n = sizes[static_cast<size_t>(k)];
    if (n == 0 && k > 0) continue;
    if (n < d.seq_len + 1)
      throw Error(where_of(d, "seq_len").str() + ": [data] seq_len " + std::to_string(d.seq_len) + ": the " + names[k] +
                  " part of " + d.file + " has " + std::to_string(n) + " tokens, fewer than seq_len + 1");
    *parts[k] = rows(data::TokenSequenceDataset(tokens.slice(0, begin, begin + n), d.seq_len, d.stride));
    begin += n;
  }
  return text;
}

}  // namespace

PreparedData load_data(const RunConfig& config) {
  const DataConfig& d = config.data;
  if (d.source == "midi") return load_midi_data(config);
  PreparedData out;
  out.class_names = d.class_names;
  Part train, validation, test;
  if (d.source == "fashion_mnist") {
    const std::string dir = d.dir.empty() ? data::kFashionMnistDir : d.dir;
    data::FashionMnist f = at_key(d, "dir", "", [&] { return data::load_fashion_mnist(dir, {.flatten = d.flatten}); });
    train = {f.train->inputs(), f.train->targets()};
    test = {f.test->inputs(), f.test->targets()};
    if (out.class_names.empty()) out.class_names = f.class_names;
    out.image_shape = {1, 28, 28};
  } else if (d.source == "idx" || d.source == "npy") {
    train = read_array_part(d, "train", d.train_images, d.train_labels);
    validation = read_array_part(d, "validation", d.validation_images, d.validation_labels);
    test = read_array_part(d, "test", d.test_images, d.test_labels);
    if (train.inputs.dim() == 4) out.image_shape = Shape(train.inputs.shape().begin() + 1, train.inputs.shape().end());
  } else if (d.source == "image_folder") {
    std::vector<std::string> names;
    train = read_image_folder_part(d, "train", d.train, names, out.image_shape);
    Shape other;  // every part is resized alike, so the training part's shape stands
    validation = read_image_folder_part(d, "validation", d.validation, names, other);
    test = read_image_folder_part(d, "test", d.test, names, other);
    if (out.class_names.empty()) out.class_names = names;
  } else if (d.source == "time_series") {
    out.time_series = read_time_series_parts(d, train, validation, test);
  } else if (d.source == "text") {
    if (!config.loss.classifies())
      throw Error(config.loss.where.str() + ": [loss] type '" + config.loss.type +
                  "' cannot learn text; next-token prediction needs cross_entropy or nll");
    out.text = read_text_parts(d, train, validation, test);
  } else {
    std::vector<std::string> names = d.labels_are_names ? d.class_names : std::vector<std::string>{};
    out.feature_names = d.features;
    train = read_csv_part(d, "train", d.train, names, out.feature_names);
    validation = read_csv_part(d, "validation", d.validation, names, out.feature_names);
    test = read_csv_part(d, "test", d.test, names, out.feature_names);
    if (d.labels_are_names) out.class_names = names;
  }
  // The test part is held out first, so it is the same whatever the validation split.
  for (auto [fraction, held_out, key] : {std::tuple{d.test_split, &test, "test_split"},
                                         std::tuple{d.validation_split, &validation, "validation_split"}}) {
    if (fraction == 0) continue;
    auto full = std::make_shared<data::TensorDataset>(train.inputs, train.targets);
    data::TrainValidationSplit split = data::train_validation_split(full, fraction, config.train.seed);
    if (split.validation->size() == 0 || split.train->size() == 0)
      throw Error(where_of(d, key).str() + ": [data] " + key + " " + std::to_string(fraction) + " of " +
                  std::to_string(full->size()) + " examples leaves a part empty");
    *held_out = rows(*split.validation);
    train = rows(*split.train);
  }
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

}  // namespace myelin::config
