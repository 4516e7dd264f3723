#pragma once
// ModelInfo: what `predict` and `eval` need besides the weights (input shape, preprocessing,
// class names, loss), stored in a model file's metadata by `train`.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "myelin/config/config.hpp"
#include "myelin/data/standardizer.hpp"
#include "myelin/tensor.hpp"

namespace myelin::cli {

struct ModelInfo {
  Shape input_shape;                     // per sample
  std::vector<std::string> class_names;  // empty when unknown
  config::LossConfig loss;
  std::vector<std::string> metrics;
  // Preprocessing, applied in this order.
  double pixel_scale = 1;  // fashion_mnist: its loader's division by 255 of raw IDX bytes
  double pixel_white = 1;  // images: a white pixel's value in the training arrays (255 for bytes), before divide_by
  double divide_by = 1;
  std::optional<data::Standardizer> standardizer;
  // Where the training data came from, to read new data the same way.
  std::string source;                    // "fashion_mnist", "idx" or "csv"
  std::string label;                     // csv: the label column
  std::vector<std::string> features;     // csv: the feature columns, in the model's order
  Shape image_shape;                     // image data: one image as (C, H, W), for predicting image files
  bool labels_are_names = false;
  std::string tokenizer;  // token data (midi): the tokenizer as JSON, "" for none
  std::optional<config::SeriesPreparation> time_series;  // source time_series: to forecast from new rows
  std::optional<config::TextPreparation> text;           // source text: the vocabulary, for generate
  std::optional<config::CsvPreparation> csv;             // source csv: how its tables were read (header, gaps)
};

/// The info of a run of `config` on `data`.
ModelInfo info_of(const config::RunConfig& config, const config::PreparedData& data);
/// As model-file metadata (JSON values under "myelin_cli.*" keys).
std::map<std::string, std::string> to_metadata(const ModelInfo& info);
/// Reads back to_metadata's keys; throws IoError naming `path` when they are missing.
ModelInfo from_metadata(const std::map<std::string, std::string>& metadata, const std::string& path);

/// `inputs` (N, ...) prepared as the model's training inputs were: checked against and reshaped
/// to the input shape, put on the training arrays' scale (raw arrays divided by pixel_scale;
/// decoded images in [0, 1] multiplied by pixel_white), divided by divide_by and standardised.
/// Throws ShapeError naming `path` when they do not fit.
Tensor prepare_inputs(const ModelInfo& info, const Tensor& inputs, const std::string& path, bool decoded_images);
/// The (C, H, W) of the model's training images; throws Error naming `path` for a model trained
/// on other data.
const Shape& image_shape_of(const ModelInfo& info, const std::string& path);

/// Examples read from a file as the model's training data was: inputs preprocessed; targets
/// undefined when the file has none.
struct Examples {
  Tensor inputs;
  Tensor targets;
};
/// What read_examples does with a picture of another size than the training images.
enum class PictureSize {
  must_match,       // refuse it, suggesting --resize
  resize_and_note,  // resize it, with a note on standard error (predict --resize)
  resize,           // resize it (identify: as the enrolled gallery's pictures were)
};

/// Reads `path`, a CSV file (read as the training tables were: the training feature columns,
/// labels when the table has the label column, gaps as [data] missing said, filled with the
/// training means for "mean"), a picture (PNG, JPEG, BMP, ...; sized per `picture_size`), a
/// NumPy .npy array or an IDX file of examples (labels from `labels_path`, .npy or IDX, when given).
Examples read_examples(const ModelInfo& info, const std::string& path, const std::string& labels_path,
                       PictureSize picture_size = PictureSize::must_match);

/// Checks the values read from a model file's metadata (positive finite scales, sane shapes,
/// standardisation statistics that fit the input); throws IoError naming `path` and the field.
void check_model_info(const ModelInfo& info, const std::string& path);

}  // namespace myelin::cli
