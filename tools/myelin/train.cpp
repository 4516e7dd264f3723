// `myelin train CONFIG`: trains the network a config describes and writes the run's files.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <optional>

#include "checkpoint.hpp"
#include "commands.hpp"
#include "forecast.hpp"
#include "interrupt.hpp"
#include "max_memory.hpp"
#include "model_info.hpp"
#include "myelin/anomaly.hpp"
#include "myelin/config/config.hpp"
#include "myelin/error.hpp"
#include "myelin/io/atomic_write.hpp"
#include "myelin/io/model_file.hpp"
#include "myelin/random.hpp"
#include "myelin/threads.hpp"
#include "myelin/train/callbacks.hpp"
#include "myelin/viz/learning_curve.hpp"
#include "output_check.hpp"
#include "run_lock.hpp"

namespace myelin::cli {
namespace {

// Redraws the learning curves after every epoch from metrics.csv (registered after the
// CsvLogger), so a resumed run's picture shows the epochs before the interruption too.
class LearningCurvePlot : public train::Callback {
 public:
  LearningCurvePlot(std::string csv, std::string svg) : csv_(std::move(csv)), svg_(std::move(svg)) {}
  void on_epoch_end(train::Trainer&, const train::EpochLogs&) override {
    std::ifstream in(csv_);
    std::ostringstream text;
    text << in.rdbuf();
    io::write_file_atomically(svg_, viz::learning_curve_svg_from_csv(text.str()));
  }

 private:
  std::string csv_, svg_;
};

// Fresh augmentations each epoch: the augmented training data draws from (seed, epoch, index).
class AugmentEachEpoch : public train::Callback {
 public:
  explicit AugmentEachEpoch(std::shared_ptr<data::AugmentedDataset> data) : data_(std::move(data)) {}
  void on_epoch_begin(train::Trainer&, int64_t epoch) override { data_->set_epoch(epoch); }

 private:
  std::shared_ptr<data::AugmentedDataset> data_;
};

struct TrainArgs {
  std::string config, out;
  std::optional<int64_t> epochs, threads;
  std::optional<uint64_t> seed;
  bool resume = false;
  bool detect_anomaly = false;
  uint64_t max_memory = 0;  // bytes; 0: the machine's memory
};

// Checkpointer: writes the run checkpoint every `every` epochs and after the last epoch of a run
// that was not interrupted mid-epoch (whose weights would be partly trained).
class Checkpointer : public train::Callback {
 public:
  Checkpointer(std::string path, int64_t every, std::shared_ptr<train::BestCheckpoint> best,
               std::shared_ptr<train::EarlyStopping> stopping, int64_t epochs_done)
      : path_(std::move(path)), every_(every), best_(std::move(best)), stopping_(std::move(stopping)),
        done_(epochs_done), saved_(epochs_done) {}
  void on_epoch_end(train::Trainer& t, const train::EpochLogs& e) override {
    done_ = e.epoch + 1;
    if (done_ % every_ == 0) save(t);
  }
  void on_train_end(train::Trainer& t) override {
    if (!t.interrupted() && done_ != saved_) save(t);
  }
  int64_t saved() const { return saved_; }

 private:
  void save(train::Trainer& t) {
    RunProgress p{.epochs_done = done_, .best = best_->best()};
    if (stopping_) p.stopping_best = stopping_->best(), p.stopping_bad_epochs = stopping_->bad_epochs();
    save_checkpoint(path_, t, p);
    saved_ = done_;
  }
  std::string path_;
  int64_t every_;
  std::shared_ptr<train::BestCheckpoint> best_;
  std::shared_ptr<train::EarlyStopping> stopping_;
  int64_t done_, saved_;
};

// A monitored score must exist: "val_*" needs validation data.
void check_monitor(const config::RunConfig& c, const std::string& monitor, const std::string& key, bool validation) {
  if (monitor.rfind("val_", 0) == 0 && !validation)
    throw Error(c.train.where.str() + ": " + key + " monitors '" + monitor +
                "', but the run has no validation data (set [data] validation_split, or monitor '" + monitor.substr(4) + "')");
}

void print_scores(const std::string& what, const train::Scores& scores) {
  std::printf("%s:", what.c_str());
  for (const auto& [name, v] : scores) std::printf("  %s %.4f", name.c_str(), v);
  std::printf("\n");
}

void run_train(const TrainArgs& args) {
  config::RunConfig c = config::load_config(args.config);
  if (args.epochs) {
    if (*args.epochs < 1) throw Error("--epochs must be at least 1");
    c.train.epochs = *args.epochs;
  }
  if (args.seed) c.train.seed = *args.seed;
  if (args.threads) c.train.threads = *args.threads;
  if (c.train.threads > 0) set_num_threads(static_cast<int>(c.train.threads));
  const std::string out =
      args.out.empty() ? "runs/" + std::filesystem::path(args.config).stem().string() : args.out;
  // The run directory is held against other runs, and its outputs checked, before any work.
  std::filesystem::create_directories(out);
  check_writable(out, {{"model.safetensors", "the final model"}, {"best.safetensors", "the best epoch's model"},
                       {"checkpoint.safetensors", "the checkpoint"}, {"metrics.csv", "the metrics log"},
                       {"learning_curves.svg", "the learning curves"}});
  const RunLock run_lock(out);

  const config::PreparedData data = config::load_data(c);
  manual_seed(c.train.seed);  // initial weights and dropout; the loader has its own seeded order
  nn::ModulePtr model = config::build_model(c, data.input_shape, nullptr,
                                            {.max_memory_bytes = args.max_memory, .examples = data.train->size()});
  config::check_run(c, *model, data);
  auto optimizer = config::build_optimizer(c.optimizer, model->parameters());
  auto schedule = config::build_schedule(c.schedule, *optimizer, c.train.epochs);
  train::Trainer trainer(model, optimizer, config::build_loss(c.loss), config::metrics_of(c));
  const bool validation = data.validation != nullptr;
  if (schedule) {
    if (schedule->needs_metric()) check_monitor(c, c.schedule.monitor, "[schedule] monitor", validation);
    const std::string& m = c.schedule.monitor;
    trainer.set_schedule(schedule, m.rfind("val_", 0) == 0 ? m.substr(4) : m);
  }
  trainer.set_clip_grad_norm(c.train.clip_grad_norm);

  const auto metadata = to_metadata(info_of(c, data));
  const std::string monitor = validation ? "val_loss" : "loss";
  auto best = std::make_shared<train::BestCheckpoint>(out + "/best.safetensors", monitor, train::Goal::Auto, metadata);
  std::shared_ptr<train::EarlyStopping> stopping;
  if (c.train.early_stopping) {
    const auto& es = *c.train.early_stopping;
    check_monitor(c, es.monitor, "[train.early_stopping] monitor", validation);
    stopping = std::make_shared<train::EarlyStopping>(es.monitor, es.patience, es.min_delta);
  }
  const std::string checkpoint = out + "/checkpoint.safetensors";
  RunProgress progress;
  if (args.resume) {
    progress = load_checkpoint(checkpoint, trainer);
    best->restore(progress.best);
    if (stopping) stopping->restore(progress.stopping_best, progress.stopping_bad_epochs);
    std::printf("resuming %s after epoch %lld\n", args.config.c_str(), static_cast<long long>(progress.epochs_done));
  } else {
    progress.best = best->best();
  }
  auto checkpointer = std::make_shared<Checkpointer>(checkpoint, c.train.checkpoint_every, best, stopping,
                                                     progress.epochs_done);
  auto interrupt = std::make_shared<StopOnInterrupt>();
  trainer.add_callback(std::make_shared<train::ProgressBar>(std::cout, isatty(STDOUT_FILENO)));
  trainer.add_callback(std::make_shared<train::CsvLogger>(out + "/metrics.csv", progress.epochs_done));
  trainer.add_callback(std::make_shared<LearningCurvePlot>(out + "/metrics.csv", out + "/learning_curves.svg"));
  trainer.add_callback(best);
  if (stopping) trainer.add_callback(stopping);
  trainer.add_callback(checkpointer);
  trainer.add_callback(interrupt);
  if (data.augmented) trainer.add_callback(std::make_shared<AugmentEachEpoch>(data.augmented));

  std::printf("%s: %lld training examples%s%s, %lld parameters; writing %s/\n", args.config.c_str(),
              static_cast<long long>(data.train->size()),
              validation ? (", " + std::to_string(data.validation->size()) + " validation").c_str() : "",
              data.test ? (", " + std::to_string(data.test->size()) + " test").c_str() : "",
              static_cast<long long>(model->num_parameters()), out.c_str());
  if (data.text)
    std::printf("vocabulary: %lld symbols (num_embeddings and the last layer's units)\n",
                static_cast<long long>(data.text->vocabulary.size()));
  if (data.csv && data.csv->rows_dropped > 0)
    std::printf("left out %lld rows with a missing value (missing = \"drop\")\n",
                static_cast<long long>(data.csv->rows_dropped));
  if (data.csv && data.csv->cells_filled > 0)
    std::printf("filled %lld missing values with the training part's column means (missing = \"mean\")\n",
                static_cast<long long>(data.csv->cells_filled));
  std::fflush(stdout);
  const int64_t batch = c.train.batch_size;
  data::DataLoader train_loader(data.train, {.batch_size = batch, .shuffle = true, .seed = c.train.seed,
                                             .prefetch = c.train.prefetch});
  const data::DataLoaderOptions eval_options{.batch_size = std::max<int64_t>(batch, 256), .prefetch = c.train.prefetch};
  std::optional<data::DataLoader> validation_loader;
  if (validation) validation_loader.emplace(data.validation, eval_options);
  try {
    std::optional<DetectAnomaly> detect;
    if (args.detect_anomaly) detect.emplace();
    trainer.fit(train_loader, c.train.epochs, validation ? &*validation_loader : nullptr, progress.epochs_done);
  } catch (const Error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "myelin: error: %s\n", e.what());
    if (checkpointer->saved() > 0)
      std::fprintf(stderr, "the last good checkpoint (after epoch %lld) is kept in %s\n",
                   static_cast<long long>(checkpointer->saved()), checkpoint.c_str());
    throw Exit{1};
  }
  if (interrupt->interrupted()) {
    std::fflush(stdout);
    std::fprintf(stderr,
                 "\ninterrupted: %s holds the run after epoch %lld; continue it with\n"
                 "  myelin train %s --out %s --resume\n",
                 checkpoint.c_str(), static_cast<long long>(checkpointer->saved()), args.config.c_str(), out.c_str());
    throw Exit{130};
  }
  if (stopping && stopping->stopped_epoch() >= 0) std::printf("%s\n", stopping->stop_reason().c_str());
  io::save_model(out + "/model.safetensors", *model, metadata);
  if (validation) print_scores("validation", trainer.evaluate(*validation_loader));
  if (validation && data.time_series) print_errors_in_units(*data.time_series, forecast_part(*data.time_series, trainer, *data.validation), "validation");
  if (data.test) {
    data::DataLoader test_loader(data.test, eval_options);
    print_scores("test", trainer.evaluate(test_loader));
    if (data.time_series) print_errors_in_units(*data.time_series, forecast_part(*data.time_series, trainer, *data.test), "test");
  }
  std::printf("wrote %s/model.safetensors (final), best.safetensors, metrics.csv, learning_curves.svg, checkpoint.safetensors\n", out.c_str());
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand("train", "Train the network a config file describes");
  cmd->footer(
      "Writes into DIR (default runs/<config name>): model.safetensors (the final model),\n"
      "best.safetensors (the best epoch by validation loss), metrics.csv (one row per epoch),\n"
      "learning_curves.svg (loss and metric per epoch, training and validation) and\n"
      "checkpoint.safetensors (to resume). Ctrl-C stops at the next batch and keeps the last\n"
      "complete checkpoint.\n\n"
      "Examples:\n"
      "  myelin train examples/fashion_mnist/mlp.toml\n"
      "  myelin train my.toml --epochs 20 --out runs/longer\n"
      "  myelin train my.toml --out runs/longer --resume     # continue an interrupted run");
  cmd->add_option("CONFIG", args->config, "The run's TOML config (see docs/config.md)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--epochs", args->epochs, "Override [train] epochs");
  cmd->add_option("--out", args->out, "Output directory (default runs/<config name>)");
  cmd->add_option("--seed", args->seed, "Override [train] seed");
  cmd->add_option("--threads", args->threads, "Override [train] threads (0: all cores)");
  cmd->add_flag("--resume", args->resume, "Continue from DIR/checkpoint.safetensors");
  cmd->add_flag("--detect-anomaly", args->detect_anomaly,
                "Check inputs, weights, every op's output and every gradient for NaN/inf and name the "
                "first op, layer, epoch and batch (slow; for debugging)");
  add_max_memory_option(cmd, args->max_memory);
  cmd->callback([args] { run_train(*args); });
}

}  // namespace myelin::cli
