// Checks, before training, that a run's loss and metrics fit its model's outputs and its targets.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "myelin/autograd.hpp"
#include "myelin/config/config.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "myelin/quote.hpp"
#include "myelin/train/metrics.hpp"

namespace myelin::config {
namespace {

using metrics::Outputs;

// What a model trained with each loss outputs.
Outputs outputs_of(const LossConfig& loss) {
  static const std::map<std::string, Outputs> outputs = {
      {"cross_entropy", Outputs::ClassScores}, {"nll", Outputs::ClassScores}, {"bce_with_logits", Outputs::BinaryLogits},
      {"mse", Outputs::Values},                {"l1", Outputs::Values},       {"huber", Outputs::Values}};
  return outputs.at(loss.type);
}

std::string units(int64_t n) { return std::to_string(n) + (n == 1 ? " unit" : " units"); }

// What such outputs are, and the metrics that measure them, for messages.
std::string describe(Outputs outputs) {
  switch (outputs) {
    case Outputs::ClassScores: return "a score per class (metrics: accuracy, top<k>_accuracy)";
    case Outputs::BinaryLogits: return "yes/no logits (metrics: accuracy)";
    case Outputs::Values: return "values (metrics: mae, rmse)";
  }
  return "";
}

// The outputs of a model for one training example, and that example's target.
struct FirstExample {
  Tensor output, target;  // batch dimension first (1, ...)
  Shape output_shape, target_shape;  // per example
};

// Every target of `dataset`, contiguous (N, ...): a TensorDataset's own, else gathered in chunks.
Tensor all_targets(const data::Dataset& dataset) {
  if (const auto* tensors = dynamic_cast<const data::TensorDataset*>(&dataset)) return tensors->targets().contiguous();
  std::vector<Tensor> chunks;
  constexpr int64_t kChunk = 4096;
  for (int64_t begin = 0; begin < dataset.size(); begin += kChunk) {
    std::vector<int64_t> rows(static_cast<size_t>(std::min(kChunk, dataset.size() - begin)));
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = begin + static_cast<int64_t>(i);
    chunks.push_back(dataset.get_batch(rows).targets);
  }
  return (chunks.size() == 1 ? chunks[0] : concat(chunks, 0)).contiguous();
}

FirstExample first_example(nn::Module& model, const data::Dataset& train) {
  const int64_t first = 0;
  const data::Batch batch = train.get_batch({&first, 1});
  const bool training = model.is_training();
  FirstExample out;
  {
    NoGradGuard no_grad;
    model.eval();
    out.output = model(batch.inputs);
    model.train(training);
  }
  out.target = batch.targets;
  out.output_shape = Shape(out.output.shape().begin() + 1, out.output.shape().end());
  out.target_shape = Shape(out.target.shape().begin() + 1, out.target.shape().end());
  return out;
}

// Checks a run's pieces against each other; every message ends naming the last layer.
class RunCheck {
 public:
  RunCheck(const RunConfig& config, FirstExample example)
      : config_(config), example_(std::move(example)), outputs_(outputs_of(config.loss)) {}

  // Class-index losses need a score per class for each target; elementwise ones outputs shaped
  // like the targets.
  void loss_fits_outputs(const std::vector<std::string>& class_names) const {
    const Shape& out = example_.output_shape;
    const Shape& target = example_.target_shape;
    if (outputs_ != Outputs::ClassScores) {
      if (out != target)
        fail_loss("compares each output with its target, so the model must output the targets' shape " +
                  to_string(target) + (target.size() == 1 ? " (" + units(target[0]) + ")" : ""));
      return;
    }
    if (out.size() != target.size() + 1 || !std::equal(target.begin(), target.end(), out.begin()))
      fail_loss("needs a score per class for each target " + to_string(target) + ", i.e. outputs of shape " +
                to_string(target) + " plus one dimension of classes");
    const int64_t classes = out.back();
    if (classes < 2)
      fail_loss("needs a score per class, so at least 2 units; for a yes/no target use type = \"bce_with_logits\" "
                "with 1 unit, or give the last layer one unit per class");
    if (classes < static_cast<int64_t>(class_names.size()))
      fail_loss("needs a score per class, but the data has " + std::to_string(class_names.size()) +
                " classes; give the last layer " + units(static_cast<int64_t>(class_names.size())));
  }

  // Class-index targets must be whole numbers within the last layer's classes, in every part:
  // found here, naming the part's file and the example, rather than inside the loss mid-epoch.
  void labels_fit_classes(const RunConfig& config, const PreparedData& data) const {
    if (outputs_ != Outputs::ClassScores || example_.output_shape.empty()) return;
    const int64_t classes = example_.output_shape.back();
    const std::pair<const char*, data::DatasetPtr> parts[] = {
        {"train", data.augmented ? data.augmented->base() : data.train}, {"validation", data.validation}, {"test", data.test}};
    for (const auto& [part, dataset] : parts) {
      if (!dataset || dataset->size() == 0) continue;
      const Tensor targets = all_targets(*dataset);
      const int64_t per_example = targets.numel() / dataset->size();
      const float* label = targets.data();
      for (int64_t i = 0; i < targets.numel(); ++i) {
        if (label[i] >= 0 && label[i] < static_cast<float>(classes) && label[i] == std::floor(label[i])) continue;
        char text[32];
        std::snprintf(text, sizeof text, "%.9g", static_cast<double>(label[i]));
        fail_loss("needs class labels 0.." + std::to_string(classes - 1) + " (one per unit of the last layer), but example " +
                  std::to_string(i / per_example) + " of the " + part + " data" + source_of(config.data, part) +
                  " has label " + text);
      }
    }
  }

  // Each metric must measure what the loss trains the model to output.
  void metrics_measure_outputs(const std::vector<std::string>& names) const {
    for (const std::string& name : names)
      if (!metrics::MetricTracker::measures(name, outputs_))
        fail_metrics("'" + name + "' cannot measure what [loss] type '" + config_.loss.type + "' (" +
                     config_.loss.type_where.str() + ") trains the model to output: " + describe(outputs_));
  }

  // The loss's shapes fit the first example (e.g. class_weights or pos_weight of the right
  // size) and the metrics compute on it (k of top<k>_accuracy within the classes, class indices
  // in range, ...). Only the loss's shape errors count: a value error of one example, such as
  // class weights summing to 0, need not hold for a batch.
  void computes(const std::vector<std::string>& names) const {
    try {
      build_loss(config_.loss)(example_.output, example_.target);
    } catch (const ShapeError& e) {
      fail_loss(std::string("does not fit the first training example: ") + e.what());
    } catch (const Error&) {
      // A value error of one example (see above) says nothing about the run.
    }
    try {
      metrics::MetricTracker(names).update(example_.output, example_.target);
    } catch (const Error& e) {
      fail_metrics(std::string("fail on the first training example: ") + e.what());
    }
  }

 private:
  [[noreturn]] void fail_loss(const std::string& problem) const {
    throw Error(config_.loss.type_where.str() + ": [loss] type '" + config_.loss.type + "' " + problem + "; " +
                last_layer());
  }
  [[noreturn]] void fail_metrics(const std::string& problem) const {
    throw Error(config_.train.metrics_where.str() + ": [train] metrics " + problem + "; " + last_layer());
  }
  // " (file F)" for the file a part was read from, when the config names one.
  static std::string source_of(const DataConfig& d, const std::string& part) {
    for (const std::string& key : {part + "_labels", part, std::string("file"), std::string("dir")})
      if (!d.path(key).empty()) return " (" + key + " = " + quote_prefix(d.path(key)) + ")";
    return "";
  }
  std::string last_layer() const {
    const std::vector<LayerConfig>& layers = config_.model.layers;
    return "the last layer (layer " + std::to_string(layers.size()) + ", " + layers.back().spec.type + ", at " +
           layers.back().where.str() + ") gives outputs " + to_string(example_.output_shape) + " per example, and " +
           (example_.target_shape.empty() ? "each target is one number" : "the targets are " + to_string(example_.target_shape));
  }

  const RunConfig& config_;
  FirstExample example_;
  Outputs outputs_;
};

}  // namespace

void check_run(const RunConfig& config, nn::Module& model, const PreparedData& data) {
  if (!data.train || data.train->size() == 0 || config.model.layers.empty()) return;
  const RunCheck check(config, first_example(model, *data.train));
  const std::vector<std::string> metric_names = metrics_of(config);
  check.loss_fits_outputs(data.class_names);
  check.labels_fit_classes(config, data);
  check.metrics_measure_outputs(metric_names);
  check.computes(metric_names);
}

}  // namespace myelin::config
