// `myelin predict MODEL INPUT`: a trained model's predictions for new examples, to stdout.
#include <algorithm>
#include <cstdio>
#include <numeric>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "forecast.hpp"
#include "model_info.hpp"
#include "myelin/autograd.hpp"
#include "myelin/error.hpp"
#include "myelin/io/model_file.hpp"
#include "myelin/ops.hpp"

namespace myelin::cli {
namespace {

struct PredictArgs {
  std::string model, input, csv, format = "csv";
  int64_t top = 1;
  bool resize = false;
  bool all = false;  // time series: a forecast from every window of the file
};

// Class probabilities from the model's outputs, as its loss reads them.
Tensor probabilities(const ModelInfo& info, const Tensor& outputs) {
  if (info.loss.type == "cross_entropy") return softmax(outputs, 1);
  if (info.loss.type == "nll") return exp(outputs);
  return sigmoid(outputs);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

void print_classes(const ModelInfo& info, const Tensor& probs, const PredictArgs& args) {
  const int64_t n = probs.size(0), classes = probs.size(1), k = std::min(args.top, classes);
  auto name = [&](int64_t c) { return c < static_cast<int64_t>(info.class_names.size()) ? info.class_names[c] : ""; };
  nlohmann::json rows = nlohmann::json::array();
  if (args.format == "csv") {
    std::printf("row");
    for (int64_t r = 1; r <= k; ++r) std::printf(",class_%lld,name_%lld,probability_%lld", static_cast<long long>(r),
                                                static_cast<long long>(r), static_cast<long long>(r));
    std::printf("\n");
  }
  std::vector<int64_t> order(static_cast<size_t>(classes));
  for (int64_t i = 0; i < n; ++i) {
    const float* p = probs.data() + i * classes;
    std::iota(order.begin(), order.end(), 0);
    // Highest first; ties to the lower class, as argmax.
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return p[a] > p[b]; });
    nlohmann::json top = nlohmann::json::array();
    if (args.format == "csv") std::printf("%lld", static_cast<long long>(i));
    for (int64_t r = 0; r < k; ++r) {
      const int64_t c = order[r];
      if (args.format == "csv") std::printf(",%lld,%s,%.6g", static_cast<long long>(c), csv_field(name(c)).c_str(), p[c]);
      else top.push_back({{"class", c}, {"name", name(c)}, {"probability", p[c]}});
    }
    if (args.format == "csv") std::printf("\n");
    else rows.push_back({{"row", i}, {"top", top}});
  }
  if (args.format == "json") std::printf("%s\n", rows.dump(1).c_str());
}

void print_values(const Tensor& outputs, const std::string& format) {
  const Tensor flat = outputs.reshape({outputs.size(0), -1}).contiguous();
  const int64_t n = flat.size(0), m = flat.size(1);
  nlohmann::json rows = nlohmann::json::array();
  if (format == "csv") {
    std::printf("row");
    for (int64_t j = 0; j < m; ++j) std::printf(",output_%lld", static_cast<long long>(j));
    std::printf("\n");
  }
  for (int64_t i = 0; i < n; ++i) {
    const float* v = flat.data() + i * m;
    if (format == "csv") {
      std::printf("%lld", static_cast<long long>(i));
      for (int64_t j = 0; j < m; ++j) std::printf(",%.9g", v[j]);
      std::printf("\n");
    } else {
      rows.push_back({{"row", i}, {"output", std::vector<float>(v, v + m)}});
    }
  }
  if (format == "json") std::printf("%s\n", rows.dump(1).c_str());
}

void run_predict(const PredictArgs& args) {
  if (args.top < 1) throw Error("--top must be at least 1");
  if (args.input.empty() == args.csv.empty()) throw Error("give either INPUT or --csv FILE (one of them)");
  const io::LoadedModel loaded = io::load_model(args.model);
  const ModelInfo info = from_metadata(loaded.metadata, args.model);
  if (info.time_series || !args.csv.empty()) {
    if (args.format != "csv") throw Error("forecasts are printed as CSV only");
    return print_forecast(info, *loaded.module, args.csv.empty() ? args.input : args.csv, args.all);
  }
  if (args.all) throw Error("--all forecasts from every window of a time series; this model was trained on " + info.source + " data");
  const Examples ex =
      read_examples(info, args.input, "", args.resize ? PictureSize::resize_and_note : PictureSize::must_match);
  Tensor outputs;
  {
    NoGradGuard no_grad;
    std::vector<Tensor> parts;
    for (int64_t start = 0; start < ex.inputs.size(0); start += 256)
      parts.push_back((*loaded.module)(ex.inputs.slice(0, start, std::min(start + 256, ex.inputs.size(0)))));
    if (parts.empty()) throw Error(args.input + ": no examples to predict");
    outputs = (parts.size() == 1 ? parts[0] : concat(parts, 0)).contiguous();
  }
  const bool classifier = info.loss.classifies() || (info.loss.type == "bce_with_logits" && !info.class_names.empty());
  if (classifier && outputs.dim() == 2) print_classes(info, probabilities(info, outputs).contiguous(), args);
  else print_values(info.loss.type == "bce_with_logits" ? sigmoid(outputs).contiguous() : outputs, args.format);
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  CLI::App* cmd = app.add_subcommand("predict", "Predict with a trained model, to standard output");
  cmd->footer(
      "INPUT is a CSV table with the training's feature columns (a label column, if present, is\n"
      "ignored), a NumPy .npy array or an IDX file of examples, or one picture (PNG, JPEG, BMP,\n"
      "...: models trained on images, of the training images' size unless --resize is given);\n"
      "it is prepared as the training data were (the saved scaling and standardisation). Classifiers print the K most likely classes with their\n"
      "names and probabilities; other models print their outputs. A time-series model reads a\n"
      "CSV file of rows in time order (--csv FILE) and prints the next `horizon` steps of its\n"
      "targets after the file's last row, in the targets' units; with --all, a forecast from every\n"
      "window of the file (row,date,step,<targets>).\n\n"
      "Examples:\n"
      "  myelin predict runs/mlp/model.safetensors t10k-images-idx3-ubyte.gz --top 3\n"
      "  myelin predict runs/house/model.safetensors new_houses.csv --format json > prices.json\n"
      "  myelin predict runs/pets/model.safetensors photo.jpg --top 2\n"
      "  myelin predict runs/lstm/model.safetensors --csv recent-weather.csv\n"
      "  myelin predict runs/lstm/model.safetensors --csv weather.csv --all > forecasts.csv");
  cmd->add_option("MODEL", args->model, "A model file written by `myelin train`")->required()->check(CLI::ExistingFile);
  cmd->add_option("INPUT", args->input, "A CSV table, a .npy or IDX file, or a picture")->check(CLI::ExistingFile);
  cmd->add_option("--csv", args->csv, "Time-series models: the recent rows to forecast from")->check(CLI::ExistingFile);
  cmd->add_flag("--all", args->all, "Time-series models: a forecast from every window of the file, not only the next");
  cmd->add_option("--top", args->top, "How many classes to list per example (default 1)");
  cmd->add_flag("--resize", args->resize, "Scale a picture of another size to the model's input size (else refused)");
  cmd->add_option("--format", args->format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  cmd->callback([args] { run_predict(*args); });
}

}  // namespace myelin::cli
