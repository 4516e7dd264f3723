#pragma once
// Trainer: the training loop (fit), evaluation and prediction, with callbacks.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "myelin/data/loader.hpp"
#include "myelin/nn/module.hpp"
#include "myelin/optim/optimizer.hpp"
#include "myelin/optim/schedule.hpp"
#include "myelin/tensor.hpp"

namespace myelin::train {

/// LossFn: (model output, batch targets) -> scalar loss.
using LossFn = std::function<Tensor(const Tensor& output, const Tensor& target)>;

/// Loss and metrics of one pass over a data set, e.g. {"loss": 0.31, "accuracy": 0.89}.
using Scores = std::map<std::string, double>;

/// What happened in one epoch of fit().
struct EpochLogs {
  int64_t epoch = 0;        // 0-based
  Scores train;             // "loss" and each metric, over the epoch's training batches
  Scores validation;        // empty without validation data
  double seconds = 0;       // wall time of the epoch's training batches
  double learning_rate = 0; // during the epoch
  int64_t samples = 0;      // training samples seen
};

/// The state after each training batch, for progress displays.
struct BatchLogs {
  int64_t epoch = 0;
  int64_t batch = 0;        // 0-based within the epoch
  int64_t num_batches = 0;
  int64_t samples = 0;      // seen so far in this epoch
  double running_loss = 0;  // mean loss so far in this epoch
  double running_metric = 0;  // first metric so far in this epoch (NaN without metrics)
  double seconds = 0;       // since the epoch began
};

class Trainer;

/// Callback: hooks into fit(). Override what you need; the defaults do nothing.
class Callback {
 public:
  virtual ~Callback() = default;
  virtual void on_train_begin(Trainer&) {}
  virtual void on_epoch_begin(Trainer&, int64_t /*epoch*/) {}
  virtual void on_batch_end(Trainer&, const BatchLogs&) {}
  virtual void on_epoch_end(Trainer&, const EpochLogs&) {}
  virtual void on_train_end(Trainer&) {}
};
using CallbackPtr = std::shared_ptr<Callback>;

/// Trainer: runs forward, loss, backward and the optimizer step over a loader's batches.
///
/// Metrics are named as metrics::MetricTracker knows them: "accuracy", "top5_accuracy" (any k),
/// "mae", "rmse".
///
/// Requires: the model's output and the batch targets fit the loss; metric names are known.
/// Ensures: after fit(), the model holds the trained weights and history() one entry per epoch
/// run. A loss that becomes NaN or infinite stops fit() with an Error naming the epoch and batch
/// (callbacks such as checkpoints have seen only good epochs). With the same seeds and thread
/// count, two runs give bit-identical weights.
class Trainer {
 public:
  Trainer(nn::ModulePtr model, std::shared_ptr<optim::Optimizer> optimizer, LossFn loss,
          std::vector<std::string> metrics = {});

  void add_callback(CallbackPtr callback) { callbacks_.push_back(std::move(callback)); }
  /// A schedule stepped after every epoch (with the monitored validation score when it needs one).
  void set_schedule(std::shared_ptr<optim::Schedule> schedule, std::string monitor = "loss");

  /// Trains from epoch `start_epoch` (0 unless resuming) until `epochs` epochs are done or
  /// request_stop() is called. `validation` (optional) is evaluated after every epoch.
  const std::vector<EpochLogs>& fit(data::DataLoader& train, int64_t epochs,
                                    data::DataLoader* validation = nullptr,
                                    int64_t start_epoch = 0);
  /// Loss and metrics over a loader, in eval mode without a graph.
  Scores evaluate(data::DataLoader& loader);
  /// Model outputs for all of `inputs` (N, ...), in eval mode without a graph.
  Tensor predict(const Tensor& inputs, int64_t batch_size = 256);

  /// Clips the gradients' joint L2 norm to `max_norm` before every step (optim::clip_grad_norm_);
  /// 0 turns clipping off (the default).
  void set_clip_grad_norm(double max_norm) { clip_grad_norm_ = max_norm; }

  /// Asks fit() to stop before its next batch (e.g. from a callback or a signal handler's flag).
  /// When that is inside an epoch, the epoch is abandoned: it is not logged, validated or shown to
  /// on_epoch_end, and interrupted() is true; the model holds its partly trained weights.
  void request_stop() { stop_requested_ = true; }
  /// True when the last fit() stopped inside an epoch.
  bool interrupted() const { return interrupted_; }
  nn::Module& model() { return *model_; }
  const nn::ModulePtr& model_ptr() const { return model_; }
  optim::Optimizer& optimizer() { return *optimizer_; }
  optim::Schedule* schedule() { return schedule_.get(); }
  const std::vector<std::string>& metrics() const { return metrics_; }
  const std::vector<EpochLogs>& history() const { return history_; }

 private:
  nn::ModulePtr model_;
  std::shared_ptr<optim::Optimizer> optimizer_;
  LossFn loss_;
  std::vector<std::string> metrics_;
  std::vector<CallbackPtr> callbacks_;
  std::shared_ptr<optim::Schedule> schedule_;
  std::string schedule_monitor_;
  std::vector<EpochLogs> history_;
  double clip_grad_norm_ = 0;
  bool stop_requested_ = false;
  bool interrupted_ = false;
};

}  // namespace myelin::train
