#pragma once
// Run configs: a whole training run (data, model, loss, optimizer, schedule, training settings)
// described in one TOML file, and the builders that turn it into library objects. This is what
// the `myelin` command-line tool runs; C++ programs can use it the same way. docs/config.md
// lists every key.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "myelin/data/augmented.hpp"
#include "myelin/data/dataset.hpp"
#include "myelin/data/image.hpp"
#include "myelin/data/series_table.hpp"
#include "myelin/data/standardizer.hpp"
#include "myelin/data/vocabulary.hpp"
#include "myelin/nn/module.hpp"
#include "myelin/optim/adagrad.hpp"
#include "myelin/optim/adam.hpp"
#include "myelin/optim/optimizer.hpp"
#include "myelin/optim/rmsprop.hpp"
#include "myelin/optim/schedule.hpp"
#include "myelin/optim/sgd.hpp"
#include "myelin/train/trainer.hpp"

namespace myelin::config {

/// Where a setting was written: the config file and its line (0 when the setting is a default).
struct Location {
  std::string file;
  int64_t line = 0;
  /// "file:line" (or "file" for a default), the prefix of every config error.
  std::string str() const;
};

/// SourceSettings: the [data] keys of one data source, as its reader took them (each source
/// under src/config/sources/ derives its own; see DataConfig::settings).
struct SourceSettings {
  virtual ~SourceSettings() = default;
};

/// [data]: where the examples come from and how they are prepared. The keys every source shares
/// are fields here; each source's own keys (files, columns, windows, ...) are read by that
/// source's reader into `settings` (docs/config.md lists them per source).
struct DataConfig {
  std::string source;  // a registered source: data_source_names() lists them
  /// The source's file and directory keys ("train", "file", "dir", ...), each resolved relative to
  /// the config file, so a run works from any directory.
  std::map<std::string, std::string> paths;
  double validation_split = 0;  // fraction of the training data held out for validation (midi: of the files)
  double test_split = 0;        // fraction of the training data held out as test data
  data::ImageAugment augment;   // random augmentation of the training images, each epoch anew
  bool standardize = false;     // per-feature (x - mean) / std, fitted on the training part
  double divide_by = 1;         // inputs are divided by this (e.g. 255 for raw image bytes)
  bool flatten = true;          // images as vectors (N, C*H*W) rather than (N, C, H, W)
  std::vector<std::string> class_names;  // index -> name (fashion_mnist and csv names fill it)
  std::shared_ptr<const SourceSettings> settings;  // the source's own keys
  Location where;                                  // of the [data] table
  std::map<std::string, Location> key_where;       // of each key written (or of [data] when not)
  /// The resolved path of the file or directory key `key`; "" when the config leaves it out.
  std::string path(const std::string& key) const;
  /// Where `key` is written, or the [data] table when it is not.
  const Location& where_of(const std::string& key) const;
};

/// The names of the registered data sources, for `source = "..."` (sorted).
std::vector<std::string> data_source_names();

/// One [[model.layers]] entry: a module type and its settings, as written. A "Residual" layer
/// holds its branches as layer lists ([[model.layers.body]], [[model.layers.shortcut]]).
struct LayerConfig {
  nn::ModuleSpec spec;  // type and attrs (values as text), sugar already applied
  std::string activation;  // appended activation module type ("" for none); after the sum for Residual
  std::vector<LayerConfig> body, shortcut;  // Residual: the branches (no shortcut: the identity)
  Location where;          // of the layer's table
  std::map<std::string, Location> key_where;  // of each setting, by attr name
};

/// [model]: the per-sample input shape (empty: taken from the data) and the layers in order.
struct ModelConfig {
  std::vector<int64_t> input_shape;
  std::vector<LayerConfig> layers;
  Location where;
};

/// [loss]: "cross_entropy" (label_smoothing, class_weights), "nll" (class_weights), "mse",
/// "l1", "huber" (delta), "bce_with_logits" (pos_weight).
struct LossConfig {
  std::string type = "cross_entropy";
  double label_smoothing = 0;
  std::vector<double> class_weights;
  std::vector<double> pos_weight;
  double delta = 1;
  Location where;
  Location type_where;  // of the type key ([loss] when not written)
  /// True for losses whose targets are class indices (cross_entropy, nll).
  bool classifies() const;
};

/// The settings of an optimizer as its own options struct, whose initialisers (PyTorch's
/// defaults) are the defaults of [optimizer]; adam and adamw share AdamOptions.
using OptimizerOptions = std::variant<optim::SGDOptions, optim::AdamOptions, optim::RMSpropOptions, optim::AdagradOptions>;

/// [optimizer]: the type ("sgd", "adam", "adamw", "rmsprop", "adagrad") and its settings, keyed as
/// the members of its options struct (checked when the file is read).
struct OptimizerConfig {
  std::string type = "adam";
  OptimizerOptions options = optim::AdamOptions{};  // the struct of `type`
  Location where;
};

/// [schedule]: "none", "step" (step_size, gamma), "exponential" (gamma), "cosine"
/// (warmup_epochs, min_lr; over train.epochs), "plateau" (monitor, factor, patience, threshold,
/// cooldown, min_lr).
struct ScheduleConfig {
  std::string type = "none";
  std::map<std::string, double> settings;
  std::string monitor = "val_loss";  // plateau
  Location where;
};

/// [train.early_stopping]: stop when `monitor` has not improved by min_delta for patience epochs.
struct EarlyStoppingConfig {
  std::string monitor = "val_loss";
  int64_t patience = 5;
  double min_delta = 0;
};

/// [train]: the loop's settings.
struct TrainConfig {
  int64_t epochs = 10;
  int64_t batch_size = 32;
  uint64_t seed = 0;
  int64_t threads = 0;  // 0: all cores
  std::vector<std::string> metrics;  // default: accuracy for classification, mae otherwise
  Location metrics_where;            // of the metrics key ([train] when not written)
  std::optional<EarlyStoppingConfig> early_stopping;
  int64_t checkpoint_every = 1;  // epochs
  double clip_grad_norm = 0;     // 0: no clipping
  int64_t prefetch = 2;
  Location where;
};

/// RunConfig: a parsed config file.
struct RunConfig {
  std::string path;  // the file it was read from
  DataConfig data;
  ModelConfig model;
  LossConfig loss;
  OptimizerConfig optimizer;
  ScheduleConfig schedule;
  TrainConfig train;
};

/// Reads and checks a config file: TOML syntax, known sections and keys, value types, required
/// keys, and values in range. Data files are not opened here (see load_data).
/// Throws Error "file:line: ..." naming the key and what was expected; an unknown key suggests
/// the nearest known one ("unknown key 'learning_rat' in [optimizer] (did you mean 'lr'?)").
RunConfig load_config(const std::string& path);

/// SeriesPreparation: how a time_series run made its examples, so that new rows can be made
/// into model inputs the same way and forecasts turned back into the targets' units.
struct SeriesPreparation {
  data::SeriesColumns columns;            // what is read from a CSV file (categories filled in)
  std::vector<std::string> series_columns;  // the columns of the series read_series_table gives
  std::vector<int64_t> input_indices, target_indices;  // into series_columns
  std::vector<std::string> targets;       // the target names, in output order
  int64_t window = 0, horizon = 1;
  data::Standardizer scaler;              // over series_columns, fitted on the training rows only
  std::vector<int64_t> part_rows;         // rows of the train, validation and test parts
  bool predict_change = false;            // the model predicts changes from the window's last row
};

/// A time_series model's outputs (or the targets of its examples) for the windows `inputs`
/// (N, window, inputs), as forecasts in the targets' units: (N, horizon, targets). Adds back
/// the window's last row when the model predicts changes, then undoes the scaling.
Tensor forecast_in_units(const SeriesPreparation& series, const Tensor& inputs, const Tensor& outputs);

/// TextPreparation: how a text run made its tokens.
struct TextPreparation {
  data::Vocabulary vocabulary = data::Vocabulary::all_bytes();
  int64_t seq_len = 0;
  std::string start;  // the text's first byte: the default prompt of generation
};

/// CsvPreparation: how a csv run read its tables, so that new tables are read alike.
struct CsvPreparation {
  bool header = true;                       // the first row names the columns
  std::string missing = "error";            // gaps: "error", "drop" (the row) or "mean" (filled)
  std::vector<std::string> missing_values;  // cells that mean "no value" besides the built-in markers
  std::vector<float> fill_values;           // missing = "mean": the training part's feature means
  int64_t rows_dropped = 0;                 // missing = "drop": rows left out, in all files read
  int64_t cells_filled = 0;                 // missing = "mean": gaps filled, in all parts
};

/// PreparedData: the data sets of a run, prepared as the config says.
struct PreparedData {
  data::DatasetPtr train;
  data::DatasetPtr validation;  // null when there is none
  data::DatasetPtr test;        // null when there is none
  Shape input_shape;            // per sample
  std::vector<std::string> class_names;  // empty when unknown
  std::vector<std::string> feature_names;  // csv: the feature columns in input order
  std::string label_column;  // csv: the label column, to find it in new tables
  bool labels_are_names = false;  // csv: the label column holds class names
  Shape image_shape;  // images (fashion_mnist, image_folder, 4-d arrays): one image as (C, H, W); else empty
  /// Images: the value of a white pixel in the examples as read, before divide_by (255 for
  /// arrays of bytes, 1 for decoded pictures), so a picture given to predict is put on that scale.
  double pixel_white = 1;
  /// What the source itself divided its raw files by (fashion_mnist: 255), so that a raw file of
  /// the same kind given to predict is divided alike.
  double raw_scale = 1;
  std::optional<data::Standardizer> standardizer;  // fitted on `train` when standardize is set
  // The training part again when it is augmented (null otherwise): call set_epoch(e) before
  // epoch e, as train's Trainer callback does.
  std::shared_ptr<data::AugmentedDataset> augmented;
  std::string tokenizer;  // token data (midi): the tokenizer as JSON, kept in the model file
  std::optional<SeriesPreparation> time_series;  // source time_series
  std::optional<TextPreparation> text;           // source text
  std::optional<CsvPreparation> csv;             // source csv
};

/// Loads and prepares the data of `config`: reads the files, holds out the test split and then
/// the validation split (seeded by train.seed), divides by divide_by, standardizes with
/// statistics of the training part, for elementwise losses makes (N) targets (N, 1), and wraps
/// the training part in an AugmentedDataset when augmentation is on.
/// Throws Error "file:line: ..." naming the key of a missing or unreadable data file.
PreparedData load_data(const RunConfig& config);

/// ModelLimits: what build_model refuses a model beyond.
struct ModelLimits {
  /// The most memory one training step of the model may need, in bytes; 0: the machine's
  /// physical memory (`--max-memory` of train, summary, draw and export sets it).
  uint64_t max_memory_bytes = 0;
  /// The training examples, when known (0: unknown): a batch holds at most this many, so a
  /// batch_size above them counts as one batch of all of them (as the DataLoader makes).
  int64_t examples = 0;
};

/// Builds the model for `input_shape` (per sample): each layer in order, with in_features,
/// in_channels, input_size, num_features, num_channels or normalized_shape inferred from the
/// previous output when a layer type requires it and the config leaves it out, and checked by
/// running a zero batch of one sample. A Residual layer becomes nn::Residual of a Sequential body
/// and (when given) a Sequential shortcut, both built the same way from the block's input.
/// Weights are drawn from `init` (the default generator when null).
/// Memory: each layer is built and run with every buffer it allocates counted against what
/// `limits` leaves, and what one training step holds at least (every parameter twice, as weight
/// and gradient, and every layer's output for a batch of train.batch_size examples, 4 bytes a
/// number) is summed layer by layer; a layer that passes the limit is refused before its memory
/// is taken.
/// Ensures: a Sequential whose children are the layers (and their activations) in order.
/// Throws Error "file:line: layer N (Type): ..." for an unknown type or setting, an input
/// shape the layer cannot take, or a model that needs more memory than limits.max_memory_bytes
/// (naming the layer, what it needs and the limit).
nn::ModulePtr build_model(const RunConfig& config, const Shape& input_shape, Generator* init = nullptr,
                          const ModelLimits& limits = {});

/// Checks, before training, that the loss and the metrics of `config` fit `model`'s outputs and
/// the targets of `data`: class-index losses (cross_entropy, nll) need a score per class (at least
/// 2, and at least one per class name) for each target, elementwise losses (mse, l1, huber,
/// bce_with_logits) outputs shaped like the targets; every metric must measure what the loss
/// trains the model to output (metrics::MetricTracker::measures); and the loss's shapes and the
/// metrics must hold on the first training example, which the model runs once (evaluation mode,
/// no graph; its mode is restored).
/// Throws Error "file:line: ..." at the [loss] type or [train] metrics key that cannot work,
/// naming the last layer, its output shape and the targets' shape.
void check_run(const RunConfig& config, nn::Module& model, const PreparedData& data);

/// The optimizer of `config` over `parameters`: config.type built from config.options.
std::shared_ptr<optim::Optimizer> build_optimizer(const OptimizerConfig& config, std::vector<Tensor> parameters);
/// The schedule of `config` for `optimizer` over `epochs` epochs; null for "none".
std::shared_ptr<optim::Schedule> build_schedule(const ScheduleConfig& config, optim::Optimizer& optimizer,
                                                int64_t epochs);
/// The loss function of `config`.
train::LossFn build_loss(const LossConfig& config);
/// The metrics to track: train.metrics, or the default for the loss.
std::vector<std::string> metrics_of(const RunConfig& config);

}  // namespace myelin::config
