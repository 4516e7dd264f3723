// The training loop.
#include "myelin/train/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "myelin/anomaly.hpp"
#include "myelin/autograd.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "myelin/optim/clip.hpp"
#include "myelin/train/metrics.hpp"

namespace myelin::train {
namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}
}  // namespace

Trainer::Trainer(nn::ModulePtr model, std::shared_ptr<optim::Optimizer> optimizer, LossFn loss,
                 std::vector<std::string> metrics)
    : model_(std::move(model)),
      optimizer_(std::move(optimizer)),
      loss_(std::move(loss)),
      metrics_(std::move(metrics)) {
  if (!model_ || !optimizer_ || !loss_) throw Error("Trainer: model, optimizer and loss are required");
  metrics::MetricTracker check(metrics_);  // rejects unknown metric names now, not mid-run
}

namespace {
// Loss and metrics summed exactly over an epoch's batches.
class EpochScores {
 public:
  explicit EpochScores(const std::vector<std::string>& names) : tracker_(names), names_(names) {}
  void add(double mean_loss, const Tensor& output, const Tensor& target) {
    tracker_.add_mean("loss", mean_loss, output.size(0));
    tracker_.update(output, target);
  }
  double loss() const { return tracker_.value("loss"); }
  double first_metric() const {
    return names_.empty() ? std::numeric_limits<double>::quiet_NaN() : tracker_.value(names_[0]);
  }
  Scores scores() const {
    Scores out;
    for (auto& [name, v] : tracker_.values()) out[name] = v;
    return out;
  }

 private:
  metrics::MetricTracker tracker_;
  std::vector<std::string> names_;
};
}  // namespace

void Trainer::set_schedule(std::shared_ptr<optim::Schedule> schedule, std::string monitor) {
  schedule_ = std::move(schedule);
  schedule_monitor_ = std::move(monitor);
}

const std::vector<EpochLogs>& Trainer::fit(data::DataLoader& train, int64_t epochs,
                                           data::DataLoader* validation, int64_t start_epoch) {
  stop_requested_ = false;
  interrupted_ = false;
  for (auto& c : callbacks_) c->on_train_begin(*this);
  train.set_epoch(start_epoch);
  for (int64_t epoch = start_epoch; epoch < epochs && !stop_requested_; ++epoch) {
    for (auto& c : callbacks_) c->on_epoch_begin(*this, epoch);
    model_->train();
    EpochLogs logs;
    logs.epoch = epoch;
    logs.learning_rate = optimizer_->lr();
    EpochScores scores(metrics_);
    BatchLogs batch_logs;
    batch_logs.epoch = epoch;
    batch_logs.num_batches = train.num_batches();
    const auto t0 = Clock::now();
    for (const data::Batch& batch : train) {
      if (stop_requested_) {
        interrupted_ = true;
        break;
      }
      const auto at = [&] {
        return " at epoch " + std::to_string(epoch + 1) + ", batch " + std::to_string(batch_logs.batch + 1);
      };
      Tensor output;
      float value = 0;
      try {
        check_finite(batch.inputs, "the batch's inputs");  // these checks run only under DetectAnomaly
        check_finite(batch.targets, "the batch's targets");
        optimizer_->zero_grad();
        output = (*model_)(batch.inputs);  // operator(): anomaly reports name the layers
        Tensor loss;
        {
          AnomalyScope scope("the loss");
          loss = loss_(output, batch.targets);
        }
        value = loss.item();
        if (!std::isfinite(value))
          throw Error("training diverged: the loss is " + std::to_string(value) + at() +
                      " (try a lower learning rate or gradient clipping; anomaly detection shows where it starts)");
        loss.backward();
        if (clip_grad_norm_ > 0) optim::clip_grad_norm_(optimizer_->parameters(), clip_grad_norm_);
        optimizer_->step();
      } catch (const AnomalyError& e) {
        throw AnomalyError(e.what() + at());
      }
      {
        NoGradGuard no_grad;
        scores.add(value, output.detach(), batch.targets);
      }
      batch_logs.samples += batch.inputs.size(0);
      batch_logs.running_loss = scores.loss();
      batch_logs.running_metric = scores.first_metric();
      batch_logs.seconds = since(t0);
      for (auto& c : callbacks_) c->on_batch_end(*this, batch_logs);
      ++batch_logs.batch;
    }
    if (interrupted_) break;  // a partial epoch is neither logged nor seen by callbacks
    logs.seconds = since(t0);
    logs.samples = batch_logs.samples;
    logs.train = scores.scores();
    if (validation) logs.validation = evaluate(*validation);
    history_.push_back(logs);
    if (schedule_) {
      if (schedule_->needs_metric()) {
        const Scores& source = logs.validation.empty() ? logs.train : logs.validation;
        auto it = source.find(schedule_monitor_);
        if (it == source.end())
          throw Error("schedule monitors '" + schedule_monitor_ + "', which is not computed (add it to the metrics)");
        schedule_->step(static_cast<float>(it->second));
      } else {
        schedule_->step();
      }
    }
    for (auto& c : callbacks_) c->on_epoch_end(*this, history_.back());
  }
  for (auto& c : callbacks_) c->on_train_end(*this);
  return history_;
}

Scores Trainer::evaluate(data::DataLoader& loader) {
  const bool was_training = model_->is_training();
  model_->eval();
  NoGradGuard no_grad;
  EpochScores scores(metrics_);
  for (const data::Batch& batch : loader) {
    const Tensor output = model_->forward(batch.inputs);
    scores.add(loss_(output, batch.targets).item(), output, batch.targets);
  }
  model_->train(was_training);
  return scores.scores();
}

Tensor Trainer::predict(const Tensor& inputs, int64_t batch_size) {
  if (batch_size <= 0) throw Error("predict: batch_size must be positive");
  const bool was_training = model_->is_training();
  model_->eval();
  NoGradGuard no_grad;
  std::vector<Tensor> parts;
  // The last batch ends at the data's end; start + batch_size could pass 2^63.
  for (int64_t start = 0, n = inputs.size(0); start < n; start += std::min(batch_size, n - start))
    parts.push_back(model_->forward(inputs.slice(0, start, start + std::min(batch_size, n - start))));
  model_->train(was_training);
  if (parts.empty()) throw Error("predict: no inputs");
  return parts.size() == 1 ? parts[0] : concat(parts, 0);
}

}  // namespace myelin::train
