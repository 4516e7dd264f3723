#pragma once
// Callbacks for Trainer::fit: progress display, metrics log, best-model checkpoint, early stop.
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "myelin/train/trainer.hpp"

namespace myelin::train {

/// Score `name` of an epoch: "loss" or a metric of the training data, "val_loss" or "val_<metric>"
/// of the validation data. Throws Error when the epoch has no such score.
double score_of(const EpochLogs& logs, const std::string& name);

/// ProgressBar: while an epoch runs, a live line (redrawn at most 10 times a second) with the
/// batch count, ETA, throughput in samples/s, running loss and first metric; after each epoch one
/// summary line with time, training and validation scores and the learning rate.
/// With `live` false (e.g. output is not a terminal) only the summary lines are written.
class ProgressBar : public Callback {
 public:
  explicit ProgressBar(std::ostream& out, bool live);
  void on_train_begin(Trainer& t) override;
  void on_batch_end(Trainer& t, const BatchLogs& logs) override;
  void on_epoch_end(Trainer& t, const EpochLogs& logs) override;

 private:
  std::ostream& out_;
  bool live_;
  double last_draw_ = -1;
  size_t drawn_width_ = 0;
};

/// CsvLogger: the epoch logs as CSV (epoch, seconds, lr, loss, metrics, val_loss, val_metrics),
/// rewritten atomically after every epoch so the file is always complete.
/// With `keep_epochs` > 0 (resuming a run) the log already at `path` is continued: its header and
/// its rows of epochs 1..keep_epochs are kept, later rows dropped (a missing file starts afresh).
/// Throws IoError naming the file when an existing log cannot be read back.
class CsvLogger : public Callback {
 public:
  explicit CsvLogger(std::string path, int64_t keep_epochs = 0);
  void on_epoch_end(Trainer& t, const EpochLogs& logs) override;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> columns_;
  std::vector<std::vector<double>> rows_;
};

/// Whether a larger or a smaller score is better; Auto: smaller for names ending in "loss",
/// "mae" or "rmse", larger otherwise.
enum class Goal { Auto, Minimize, Maximize };

/// BestCheckpoint: saves the model (io::save_model, atomic) whenever the monitored score improves.
class BestCheckpoint : public Callback {
 public:
  BestCheckpoint(std::string path, std::string monitor = "val_loss", Goal goal = Goal::Auto,
                 std::map<std::string, std::string> metadata = {});
  void on_epoch_end(Trainer& t, const EpochLogs& logs) override;
  double best() const { return best_; }
  /// Sets the best score so far, e.g. from a checkpoint when resuming.
  void restore(double best) { best_ = best; }

 private:
  std::string path_, monitor_;
  bool maximize_;
  std::map<std::string, std::string> metadata_;
  double best_;
};

/// EarlyStopping: stops training when the monitored score has not improved by more than
/// `min_delta` for `patience` epochs.
class EarlyStopping : public Callback {
 public:
  EarlyStopping(std::string monitor = "val_loss", int64_t patience = 5, double min_delta = 0,
                Goal goal = Goal::Auto);
  void on_epoch_end(Trainer& t, const EpochLogs& logs) override;
  /// The epoch (0-based) after which it stopped training; -1 while it has not.
  int64_t stopped_epoch() const { return stopped_epoch_; }
  double best() const { return best_; }
  /// The epoch (0-based) of best(), the last that improved (bad_epochs() before the last epoch
  /// seen, so it holds after restore() too); -1 before an epoch has improved.
  int64_t best_epoch() const;
  int64_t bad_epochs() const { return bad_epochs_; }
  /// Why it stopped, for the run's output: "early stopping after epoch 12: val_loss has not
  /// improved by more than 0.001 for 5 epochs (best 0.3121 at epoch 7)", epochs counted from 1;
  /// "" while it has not stopped.
  std::string stop_reason() const;
  /// Sets the progress so far, e.g. from a checkpoint when resuming.
  void restore(double best, int64_t bad_epochs) { best_ = best, bad_epochs_ = bad_epochs; }

 private:
  std::string monitor_;
  int64_t patience_;
  double min_delta_;
  bool maximize_;
  double best_;
  int64_t last_epoch_ = -1;  // the last epoch seen
  int64_t bad_epochs_ = 0;
  int64_t stopped_epoch_ = -1;
};

}  // namespace myelin::train
