// `myelin eval MODEL DATA`: loss and metrics of a trained model on labelled data, and for
// classifiers the confusion matrix and per-class accuracy.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "commands.hpp"
#include "forecast.hpp"
#include "inspect.hpp"
#include "model_info.hpp"
#include "myelin/config/config.hpp"
#include "myelin/data/loader.hpp"
#include "myelin/error.hpp"
#include "myelin/io/model_file.hpp"
#include "myelin/ops.hpp"
#include "myelin/optim/sgd.hpp"
#include "myelin/train/metrics.hpp"

namespace myelin::cli {
namespace {

struct EvalArgs {
  std::string model, data, labels;
};


void print_confusion(const Tensor& outputs, const Tensor& targets, const std::vector<std::string>& names) {
  const int64_t classes = outputs.size(1);
  const Tensor cm = metrics::confusion_matrix(argmax(outputs, 1), targets, classes);
  const Tensor per_class = metrics::per_class_accuracy(cm);
  auto name = [&](int64_t k) { return k < static_cast<int64_t>(names.size()) ? names[k] : std::to_string(k); };
  size_t width = 5;
  for (int64_t k = 0; k < classes; ++k) width = std::max(width, name(k).size());
  const int w = static_cast<int>(width);
  std::printf("\nconfusion matrix (rows: true class, columns: predicted class)\n%*s", w, "");
  for (int64_t p = 0; p < classes; ++p) std::printf(" %6lld", static_cast<long long>(p));
  std::printf("\n");
  for (int64_t t = 0; t < classes; ++t) {
    std::printf("%*s", w, name(t).c_str());
    for (int64_t p = 0; p < classes; ++p) std::printf(" %6.0f", cm.at({t, p}));
    std::printf("\n");
  }
  std::printf("\nper-class accuracy\n");
  for (int64_t k = 0; k < classes; ++k) {
    const float a = per_class.at({k});
    if (std::isnan(a)) std::printf("  %2lld %-*s      -  (no samples)\n", static_cast<long long>(k), w, name(k).c_str());
    else std::printf("  %2lld %-*s %6.2f%%\n", static_cast<long long>(k), w, name(k).c_str(), 100 * a);
  }
}

void run_eval(const EvalArgs& args) {
  const io::LoadedModel loaded = io::load_model(args.model);
  const ModelInfo info = from_metadata(loaded.metadata, args.model);
  Tensor inputs, targets;
  std::optional<SeriesEvaluation> series;  // a time-series model on its config's data
  if (is_config(args.data)) {
    const config::RunConfig c = config::load_config(args.data);
    const config::PreparedData d = config::load_data(c);
    const data::DatasetPtr part = d.test ? d.test : d.validation;
    if (!part) throw Error(args.data + ": the config has no test or validation data to evaluate on");
    auto tensors = std::dynamic_pointer_cast<const data::TensorDataset>(part);
    inputs = tensors->inputs(), targets = tensors->targets();
    std::printf("evaluating on the %s data of %s\n", d.test ? "test" : "validation", args.data.c_str());
    if (d.time_series) series = SeriesEvaluation{*d.time_series, part, d.test ? "test" : "validation", c.data.path("file")};
  } else {
    const Examples ex = read_examples(info, args.data, args.labels);
    if (!ex.targets.defined())
      throw Error(args.data + ": no labels to evaluate against (" +
                  (info.features.empty() ? std::string("give the labels of these examples as --labels FILE, a .npy or IDX file")
                                         : "the table has no label column '" + info.label + "'") + ")");
    inputs = ex.inputs, targets = ex.targets;
  }
  // The trainer computes the loss and metrics; its optimizer is never stepped.
  auto unused = std::make_shared<optim::SGD>(loaded.module->parameters());
  train::Trainer trainer(loaded.module, unused, config::build_loss(info.loss), info.metrics);
  data::DataLoader loader(std::make_shared<data::TensorDataset>(inputs, targets), {.batch_size = 256});
  const train::Scores scores = trainer.evaluate(loader);
  std::printf("%lld examples:", static_cast<long long>(inputs.size(0)));
  for (const auto& [name, v] : scores) std::printf("  %s %.4f", name.c_str(), v);
  std::printf("\n");
  if (info.loss.classifies() && !info.text) print_confusion(trainer.predict(inputs), targets, info.class_names);
  if (series) report_series_evaluation(*series, trainer, args.model);
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand("eval", "Measure a trained model on labelled data");
  cmd->footer(
      "DATA is a config file (its test data, else its validation data, prepared as in training),\n"
      "a CSV table with the training's feature and label columns, or an IDX file of images with\n"
      "--labels. Prints the loss and metrics; for classifiers also the confusion matrix and the\n"
      "accuracy of each class; for time-series models (on a config) each target's MAE and RMSE in\n"
      "its own units, and forecast_<part>.svg next to MODEL: forecast against actual.\n\n"
      "Examples:\n"
      "  myelin eval runs/mlp/model.safetensors examples/fashion_mnist/mlp.toml\n"
      "  myelin eval runs/house/model.safetensors holdout.csv\n"
      "  myelin eval runs/digits/model.safetensors t10k-images.idx --labels t10k-labels.idx");
  cmd->add_option("MODEL", args->model, "A model file written by `myelin train`")->required()->check(CLI::ExistingFile);
  cmd->add_option("DATA", args->data, "A config (.toml), a CSV table or an IDX file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--labels", args->labels, "IDX labels for IDX images")->check(CLI::ExistingFile);
  cmd->callback([args] { run_eval(*args); });
}

}  // namespace myelin::cli
