#include "model_info.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "myelin/data/csv.hpp"
#include "myelin/data/idx.hpp"
#include "myelin/data/image.hpp"
#include "myelin/data/missing_values.hpp"
#include "myelin/data/npy.hpp"
#include "myelin/error.hpp"

namespace myelin::cli {
namespace {
using nlohmann::json;

bool is_image_file(const std::string& path) {
  const auto dot = path.rfind('.');
  if (dot == std::string::npos) return false;
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* known : {"png", "jpg", "jpeg", "bmp", "gif", "tga", "pgm", "ppm"})
    if (ext == known) return true;
  return false;
}

bool has_extension(const std::string& path, const std::string& ext) {
  return path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
}

// One image file as a batch of one (values in [0, 1]), of the training images' size: resized
// only when asked, since a picture of another size may not be what the model was trained on.
Tensor read_image_example(const ModelInfo& info, const std::string& path, PictureSize picture_size) {
  const Shape& shape = image_shape_of(info, path);
  const int64_t c = shape[0], h = shape[1], w = shape[2];
  Tensor image = data::read_image(path, c);
  if (image.size(1) != h || image.size(2) != w) {
    const std::string sizes = std::to_string(image.size(2)) + "x" + std::to_string(image.size(1)) + " pixels, the model's input is " +
                              std::to_string(w) + "x" + std::to_string(h);
    if (picture_size == PictureSize::must_match)
      throw ShapeError(path + ": the picture is " + sizes + " (width x height); crop it to the object, or pass --resize to "
                       "scale the whole picture to the model's size");
    if (picture_size == PictureSize::resize_and_note)
      std::fprintf(stderr, "note: %s: resized from %s\n", path.c_str(), sizes.c_str());
    image = data::resize_image(image, h, w);
  }
  return image.unsqueeze(0);
}

// An array file of examples: .npy or IDX (by extension; IDX otherwise), with an error that
// says which kinds of file are read when it is neither.
Tensor read_array(const std::string& path) {
  if (has_extension(path, ".npy")) return data::read_npy(path);
  try {
    return data::read_idx(path);
  } catch (const IoError& e) {
    throw IoError(std::string(e.what()) + " (predict and eval read CSV tables (.csv), pictures (.png, .jpg, ...), "
                  "NumPy arrays (.npy) and IDX files)");
  }
}

std::vector<float> values(const Tensor& t) { return t.contiguous().to_vector(); }

json csv_json(const config::CsvPreparation& p) {
  return {{"header", p.header}, {"missing", p.missing}, {"missing_values", p.missing_values},
          {"fill_values", p.fill_values}};
}

config::CsvPreparation csv_of(const json& j) {
  return {.header = j.at("header").get<bool>(), .missing = j.at("missing").get<std::string>(),
          .missing_values = j.at("missing_values").get<std::vector<std::string>>(),
          .fill_values = j.at("fill_values").get<std::vector<float>>()};
}

Tensor tensor(const std::vector<float>& v, const Shape& shape) { return Tensor::from_vector(v, shape); }

data::Standardizer standardizer_of(const json& j) {
  const auto mean = j.at("mean").get<std::vector<float>>(), std = j.at("std").get<std::vector<float>>();
  const Shape shape = {static_cast<int64_t>(mean.size())};
  data::Standardizer s;
  s.load_state_dict({{"mean", tensor(mean, shape)}, {"std", tensor(std, shape)}});
  return s;
}

json series_json(const config::SeriesPreparation& p) {
  json j = {{"numbers", p.columns.numbers}, {"one_hot", p.columns.one_hot}, {"date_column", p.columns.date_column},
            {"day_of_year", p.columns.day_of_year}, {"series_columns", p.series_columns},
            {"input_indices", p.input_indices}, {"target_indices", p.target_indices}, {"targets", p.targets},
            {"window", p.window}, {"horizon", p.horizon}, {"part_rows", p.part_rows},
            {"predict_change", p.predict_change}, {"date_format", p.columns.date_format},
            {"missing", data::series_missing_name(p.columns.missing)}, {"missing_values", p.columns.missing_values},
            {"fill_values", p.columns.fill_values}};
  if (!p.columns.wide.year_column.empty())
    j["wide"] = {{"year", p.columns.wide.year_column}, {"columns", p.columns.wide.value_columns}, {"name", p.columns.wide.name}};
  if (p.scaler.fitted()) j["mean"] = values(p.scaler.mean()), j["std"] = values(p.scaler.std());
  return j;
}

config::SeriesPreparation series_of(const json& j) {
  config::SeriesPreparation p;
  p.columns.numbers = j.at("numbers").get<std::vector<std::string>>();
  p.columns.one_hot = j.at("one_hot").get<std::map<std::string, std::vector<std::string>>>();
  p.columns.date_column = j.at("date_column").get<std::string>();
  p.columns.day_of_year = j.at("day_of_year").get<bool>();
  p.series_columns = j.at("series_columns").get<std::vector<std::string>>();
  p.input_indices = j.at("input_indices").get<std::vector<int64_t>>();
  p.target_indices = j.at("target_indices").get<std::vector<int64_t>>();
  p.targets = j.at("targets").get<std::vector<std::string>>();
  p.window = j.at("window").get<int64_t>();
  p.horizon = j.at("horizon").get<int64_t>();
  p.part_rows = j.at("part_rows").get<std::vector<int64_t>>();
  p.predict_change = j.at("predict_change").get<bool>();
  // How cells are read and gaps filled (absent in files of earlier versions: the defaults).
  p.columns.date_format = j.value("date_format", "");
  p.columns.missing = data::series_missing_from_name(j.value("missing", "error"));
  p.columns.missing_values = j.value("missing_values", std::vector<std::string>{});
  p.columns.fill_values = j.value("fill_values", std::vector<float>{});
  if (j.contains("wide"))
    p.columns.wide = {.year_column = j.at("wide").at("year").get<std::string>(),
                      .value_columns = j.at("wide").at("columns").get<std::vector<std::string>>(),
                      .name = j.at("wide").at("name").get<std::string>()};
  if (j.contains("mean")) p.scaler = standardizer_of(j);
  return p;
}

}  // namespace

ModelInfo info_of(const config::RunConfig& config, const config::PreparedData& data) {
  ModelInfo info;
  info.input_shape = data.input_shape;
  info.class_names = data.class_names;
  info.loss = config.loss;
  info.metrics = config::metrics_of(config);
  info.pixel_scale = data.raw_scale;
  info.pixel_white = data.pixel_white;
  info.divide_by = config.data.divide_by;
  info.standardizer = data.standardizer;
  info.source = config.data.source;
  info.label = data.label_column;
  info.features = data.feature_names;
  info.labels_are_names = data.labels_are_names;
  info.image_shape = data.image_shape;
  info.tokenizer = data.tokenizer;
  info.time_series = data.time_series;
  info.csv = data.csv;
  info.text = data.text;
  return info;
}

std::map<std::string, std::string> to_metadata(const ModelInfo& info) {
  json loss = {{"type", info.loss.type}, {"label_smoothing", info.loss.label_smoothing},
               {"class_weights", info.loss.class_weights}, {"pos_weight", info.loss.pos_weight},
               {"delta", info.loss.delta}};
  json pre = {{"pixel_scale", info.pixel_scale}, {"pixel_white", info.pixel_white}, {"divide_by", info.divide_by}};
  if (info.standardizer) {
    pre["mean"] = values(info.standardizer->mean());
    pre["std"] = values(info.standardizer->std());
  }
  json data = {{"source", info.source}, {"label", info.label}, {"features", info.features},
               {"labels_are_names", info.labels_are_names}, {"image_shape", info.image_shape}};
  std::map<std::string, std::string> out = {
      {"input_shape", json(info.input_shape).dump()}, {"class_names", json(info.class_names).dump()},
      {"loss", loss.dump()}, {"metrics", json(info.metrics).dump()}, {"preprocessing", pre.dump()},
      {"data", data.dump()}};
  if (!info.tokenizer.empty()) out["tokenizer"] = info.tokenizer;
  if (info.time_series) out["time_series"] = series_json(*info.time_series).dump();
  if (info.csv) out["csv"] = csv_json(*info.csv).dump();
  if (info.text)
    out["text"] = json{{"symbols", info.text->vocabulary.symbols()}, {"seq_len", info.text->seq_len},
                       {"start", info.text->start}}.dump();
  return out;
}

ModelInfo from_metadata(const std::map<std::string, std::string>& metadata, const std::string& path) {
  auto get = [&](const std::string& key) {
    auto it = metadata.find(key);
    if (it == metadata.end())
      throw IoError(path + ": the model file has no '" + key + "' metadata (was it written by `myelin train`?)");
    try {
      return json::parse(it->second);
    } catch (const json::exception& e) {
      throw IoError(path + ": metadata '" + key + "' is not valid JSON: " + e.what());
    }
  };
  ModelInfo info;
  try {
    info.input_shape = get("input_shape").get<Shape>();
    info.class_names = get("class_names").get<std::vector<std::string>>();
    const json loss = get("loss");
    info.loss.type = loss.at("type").get<std::string>();
    info.loss.label_smoothing = loss.at("label_smoothing").get<double>();
    info.loss.class_weights = loss.at("class_weights").get<std::vector<double>>();
    info.loss.pos_weight = loss.at("pos_weight").get<std::vector<double>>();
    info.loss.delta = loss.at("delta").get<double>();
    info.metrics = get("metrics").get<std::vector<std::string>>();
    const json pre = get("preprocessing");
    info.pixel_scale = pre.at("pixel_scale").get<double>();
    info.pixel_white = pre.value("pixel_white", 1.0);  // absent in files of earlier versions
    info.divide_by = pre.at("divide_by").get<double>();
    if (pre.contains("mean")) info.standardizer = standardizer_of(pre);
    const json data = get("data");
    info.source = data.at("source").get<std::string>();
    info.label = data.at("label").get<std::string>();
    info.features = data.at("features").get<std::vector<std::string>>();
    info.labels_are_names = data.at("labels_are_names").get<bool>();
    info.image_shape = data.value("image_shape", Shape{});
    if (metadata.count("tokenizer")) info.tokenizer = metadata.at("tokenizer");
    if (info.source == "time_series") info.time_series = series_of(get("time_series"));
    if (metadata.count("csv")) info.csv = csv_of(get("csv"));  // absent before: header, no gaps
    if (info.source == "text") {
      const json text = get("text");
      info.text = config::TextPreparation{.vocabulary = data::Vocabulary(text.at("symbols").get<std::vector<int>>()),
                                          .seq_len = text.at("seq_len").get<int64_t>(),
                                          .start = text.at("start").get<std::string>()};
    }
  } catch (const IoError&) {
    throw;
  } catch (const Error& e) {
    throw IoError(path + ": malformed myelin metadata: " + e.what());
  } catch (const json::exception& e) {
    throw IoError(path + ": malformed myelin metadata: " + e.what());
  }
  check_model_info(info, path);
  return info;
}

void check_model_info(const ModelInfo& info, const std::string& path) {
  const std::string at = path + ": metadata ";
  for (const auto& [name, value] : {std::pair{"preprocessing.pixel_scale", info.pixel_scale},
                                    std::pair{"preprocessing.pixel_white", info.pixel_white},
                                    std::pair{"preprocessing.divide_by", info.divide_by}})
    if (!(std::isfinite(value) && value > 0))
      throw IoError(at + name + " is " + std::to_string(value) + ", expected a finite number above 0");
  // An example's size bounds every buffer predict allocates per example.
  constexpr int64_t kMaxExampleElements = int64_t{1} << 31;
  auto check_shape = [&](const char* name, const Shape& shape) {
    int64_t elements = 1;
    for (const int64_t d : shape) {
      if (d < 1 || d > kMaxExampleElements / elements)
        throw IoError(at + name + " is " + to_string(shape) + ", expected positive sizes of at most 2^31 elements in all");
      elements *= d;
    }
  };
  if (info.input_shape.empty()) throw IoError(at + "input_shape is empty, expected the shape of one example");
  check_shape("input_shape", info.input_shape);
  check_shape("data.image_shape", info.image_shape);
  if (info.csv) {
    if (info.csv->missing != "error" && info.csv->missing != "drop" && info.csv->missing != "mean")
      throw IoError(at + "csv.missing is '" + info.csv->missing + "', expected \"error\", \"drop\" or \"mean\"");
    const size_t fills = info.csv->fill_values.size();
    if (info.csv->missing == "mean" && fills != info.features.size())
      throw IoError(at + "csv.fill_values has " + std::to_string(fills) + " values for " +
                    std::to_string(info.features.size()) + " features");
    for (size_t i = 0; i < fills; ++i)
      if (!std::isfinite(info.csv->fill_values[i]))
        throw IoError(at + "csv.fill_values[" + std::to_string(i) + "] is not a finite number");
  }
  if (!info.image_shape.empty() && info.image_shape.size() != 3)
    throw IoError(at + "data.image_shape is " + to_string(info.image_shape) + ", expected (channels, height, width)");
  if (info.standardizer) {
    const int64_t features = info.standardizer->mean().numel();
    if (info.standardizer->std().numel() != features)
      throw IoError(at + "preprocessing.mean and .std differ in length");
    const Tensor std = info.standardizer->std().contiguous();
    for (int64_t i = 0; i < std.numel(); ++i)
      if (!(std::isfinite(std.data()[i]) && std.data()[i] > 0))
        throw IoError(at + "preprocessing.std[" + std::to_string(i) + "] is not a finite number above 0");
  }
}

Tensor prepare_inputs(const ModelInfo& info, const Tensor& inputs, const std::string& path, bool decoded_images) {
  const int64_t n = inputs.size(0);
  Shape want = {n};
  want.insert(want.end(), info.input_shape.begin(), info.input_shape.end());
  if (inputs.numel() != numel(want))
    throw ShapeError(path + ": examples of shape " + to_string(Shape(inputs.shape().begin() + 1, inputs.shape().end())) +
                     " do not fit the model's input shape " + to_string(info.input_shape));
  Tensor out = inputs.reshape(want).contiguous().clone();
  // Decoded images in [0, 1] go back to the training arrays' scale (x pixel_white); raw arrays
  // are divided as the source divided its files (pixel_scale); then the config's divide_by.
  const double to_array_scale = decoded_images ? 1 / info.pixel_white : info.pixel_scale;
  for (const double divisor : {to_array_scale, info.divide_by}) {
    if (divisor == 1) continue;
    float* x = out.data();
    for (int64_t i = 0; i < out.numel(); ++i) x[i] = static_cast<float>(x[i] / divisor);
  }
  return info.standardizer ? info.standardizer->transform(out) : out;
}

const Shape& image_shape_of(const ModelInfo& info, const std::string& path) {
  if (info.image_shape.size() != 3)
    throw Error(path + ": this model was trained on " + info.source + " data, not on images");
  return info.image_shape;
}

namespace {

// A CSV table of examples, read as the training tables were (header, gaps): the training
// feature columns, and the labels when the table has the label column. Without a header, a table
// of exactly the feature columns is read in that order.
Examples read_table_examples(const ModelInfo& info, const std::string& path) {
  if (info.features.empty())
    throw Error(path + ": this model was trained on " + info.source + " data, not on a CSV table");
  const config::CsvPreparation csv = info.csv.value_or(config::CsvPreparation{});
  data::CsvOptions options{.label_column = info.label, .feature_columns = info.features,
                           .labels_are_class_names = info.labels_are_names, .class_names = info.class_names,
                           .header = csv.header,
                           .missing = csv.missing == "drop"   ? data::CsvMissing::drop
                                      : csv.missing == "mean" ? data::CsvMissing::keep_nan
                                                              : data::CsvMissing::error,
                           .missing_values = csv.missing_values,
                           .labels_are_class_indices = info.loss.classifies() && !info.labels_are_names};
  const std::vector<std::string> columns = data::read_csv_columns(path, csv.header);
  if (!csv.header && columns.size() == info.features.size()) {
    options.feature_columns.clear();
    for (size_t c = 0; c < columns.size(); ++c) options.feature_columns.push_back(std::to_string(c));
    options.label_column.clear();
  } else if (std::find(columns.begin(), columns.end(), info.label) == columns.end()) {
    options.label_column.clear();
  }
  const data::CsvTable table = data::read_csv(path, options);
  if (table.rows_dropped > 0)
    std::fprintf(stderr, "note: %s: left out %lld rows with a missing value (the model was trained with missing = "
                 "\"drop\"); rows are numbered without them\n", path.c_str(), static_cast<long long>(table.rows_dropped));
  Examples ex{table.features, table.labels};
  if (csv.missing == "mean")
    ex.inputs = data::fill_nan(ex.inputs, tensor(csv.fill_values, {static_cast<int64_t>(csv.fill_values.size())}));
  return ex;
}

}  // namespace

Examples read_examples(const ModelInfo& info, const std::string& path, const std::string& labels_path,
                       PictureSize picture_size) {
  if (info.time_series)
    throw Error(path + ": " + info.source + " models forecast from a series: use `myelin predict MODEL --csv FILE`, or "
                "evaluate with the training config");
  if (info.text) throw Error(path + ": text models write text: use `myelin generate MODEL`");
  Examples ex;
  const bool csv = has_extension(path, ".csv");
  const bool image = !csv && is_image_file(path);
  if (image) {
    ex.inputs = read_image_example(info, path, picture_size);
  } else if (csv) {
    ex = read_table_examples(info, path);
  } else {
    ex.inputs = read_array(path);
    if (!labels_path.empty()) ex.targets = read_array(labels_path);
  }
  const int64_t n = ex.inputs.size(0);
  ex.inputs = prepare_inputs(info, ex.inputs, path, image);
  if (ex.targets.defined() && !info.loss.classifies() && ex.targets.dim() == 1)
    ex.targets = ex.targets.reshape({ex.targets.size(0), 1});
  if (ex.targets.defined() && ex.targets.size(0) != n)
    throw ShapeError(labels_path + ": " + std::to_string(ex.targets.size(0)) + " labels for " + std::to_string(n) + " examples");
  return ex;
}

}  // namespace myelin::cli
