#pragma once
// Learning-rate schedules: they set an optimizer's lr once per epoch (or per step() call).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "myelin/optim/optimizer.hpp"

namespace myelin::optim {

/// Schedule: changes the learning rate of one optimizer as epochs end, like a PyTorch
/// lr_scheduler. After construction epoch() is 0 and the optimizer holds the lr for epoch 0;
/// each step() ends an epoch, advances epoch() and sets the lr for the next.
///
/// Requires: the optimizer outlives the schedule.
class Schedule {
 public:
  virtual ~Schedule() = default;
  Schedule(const Schedule&) = delete;
  Schedule& operator=(const Schedule&) = delete;

  /// Ends an epoch. A schedule that needs_metric() throws Error: call step(metric).
  void step() { advance(std::nullopt); }
  /// Ends an epoch with the monitored value (e.g. the validation loss); schedules driven by
  /// the epoch count alone ignore it.
  void step(float metric) { advance(metric); }
  /// True when step() needs the metric (ReduceLROnPlateau).
  virtual bool needs_metric() const { return false; }

  /// The optimizer's current learning rate.
  double lr() const { return optimizer_.lr(); }
  /// The number of step() calls so far (PyTorch's last_epoch).
  int64_t epoch() const { return epoch_; }

  /// The state for a checkpoint: "epoch" and the schedule's own scalars, each a 0-d tensor.
  std::vector<std::pair<std::string, Tensor>> state() const;
  /// Restores what state() gave; a missing, mis-shaped or unexpected entry throws Error naming it
  /// (nothing is changed then).
  void load_state(const std::map<std::string, Tensor>& state);

  /// The type, e.g. "StepLR".
  virtual std::string type_name() const = 0;
  /// The settings for logs, e.g. "step_size=30, gamma=0.1".
  virtual std::string describe() const = 0;

 protected:
  explicit Schedule(Optimizer& optimizer) : optimizer_(optimizer) {}
  /// Called by step() after epoch() has advanced: set the optimizer's lr.
  virtual void on_epoch(std::optional<float> metric) = 0;
  /// The schedule's own state besides the epoch, by name (values fit a float32 exactly).
  virtual std::vector<std::pair<std::string, double>> fields() const = 0;
  /// Restores fields() from values of the same names; epoch() is already restored.
  virtual void set_fields(const std::map<std::string, double>& values) = 0;

  Optimizer& optimizer_;

 private:
  void advance(std::optional<float> metric);
  int64_t epoch_ = 0;
};

/// ClosedFormSchedule: a schedule whose lr is a function of the epoch and the optimizer's lr
/// when the schedule was made (base_lr), so resuming needs only those two numbers.
class ClosedFormSchedule : public Schedule {
 public:
  double base_lr() const { return base_lr_; }

 protected:
  explicit ClosedFormSchedule(Optimizer& optimizer);
  /// The lr for `epoch`.
  virtual double lr_at(int64_t epoch) const = 0;
  /// Sets the optimizer's lr to lr_at(epoch()); subclass constructors call it last.
  void apply_lr() { optimizer_.set_lr(lr_at(epoch())); }

 private:
  void on_epoch(std::optional<float>) override { apply_lr(); }
  std::vector<std::pair<std::string, double>> fields() const override;
  void set_fields(const std::map<std::string, double>& values) override;
  double base_lr_;
};

/// StepLR: lr = base_lr * gamma^floor(epoch / step_size) (torch.optim.lr_scheduler.StepLR).
/// Requires: step_size >= 1, gamma > 0.
class StepLR final : public ClosedFormSchedule {
 public:
  StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);
  std::string type_name() const override { return "StepLR"; }
  std::string describe() const override;

 private:
  double lr_at(int64_t epoch) const override;
  int64_t step_size_;
  double gamma_;
};

/// ExponentialLR: lr = base_lr * gamma^epoch (torch.optim.lr_scheduler.ExponentialLR).
/// Requires: gamma > 0.
class ExponentialLR final : public ClosedFormSchedule {
 public:
  ExponentialLR(Optimizer& optimizer, double gamma);
  std::string type_name() const override { return "ExponentialLR"; }
  std::string describe() const override;

 private:
  double lr_at(int64_t epoch) const override;
  double gamma_;
};

/// CosineWithWarmup: a linear warm-up to base_lr, then a half cosine down to min_lr. With
/// e = epoch(), W = warmup_steps, T = total_steps:
///   e <  W:       lr = base_lr * (e + 1) / W                      (base_lr / W first, base_lr at e = W - 1)
///   W <= e <= T:  lr = min_lr + (base_lr - min_lr) * (1 + cos(pi * (e - W) / (T - W))) / 2
///   e >  T:       lr = min_lr
/// so the first step already trains, and epoch T is the first at min_lr. W = 0 is a plain cosine.
/// Requires: warmup_steps >= 0, total_steps > warmup_steps, min_lr >= 0.
class CosineWithWarmup final : public ClosedFormSchedule {
 public:
  CosineWithWarmup(Optimizer& optimizer, int64_t warmup_steps, int64_t total_steps,
                   double min_lr = 0);
  std::string type_name() const override { return "CosineWithWarmup"; }
  std::string describe() const override;

 private:
  double lr_at(int64_t epoch) const override;
  int64_t warmup_steps_, total_steps_;
  double min_lr_;
};

/// Whether a smaller (Min, e.g. a loss) or larger (Max, e.g. accuracy) metric is better.
enum class PlateauMode { Min, Max };

/// Settings of ReduceLROnPlateau; each as in torch.optim.lr_scheduler.ReduceLROnPlateau with
/// threshold_mode "rel".
struct PlateauOptions {
  PlateauMode mode = PlateauMode::Min;
  double factor = 0.1;     // lr *= factor on a plateau
  int64_t patience = 10;   // epochs without improvement tolerated
  double threshold = 1e-4; // relative: Min improves below best * (1 - threshold)
  int64_t cooldown = 0;    // epochs after a reduction during which bad epochs are not counted
  double min_lr = 0;
};

/// ReduceLROnPlateau: multiplies the lr by `factor` (not below min_lr; changes smaller than 1e-8
/// are skipped) when the metric passed to step(metric) has not improved on the best seen for more
/// than `patience` epochs, as PyTorch 1.13. Its state: "best", "num_bad_epochs",
/// "cooldown_counter" (the lr itself lives in the optimizer's state).
/// Requires: factor in (0, 1), patience >= 0, threshold >= 0, cooldown >= 0, min_lr >= 0.
class ReduceLROnPlateau final : public Schedule {
 public:
  explicit ReduceLROnPlateau(Optimizer& optimizer, const PlateauOptions& options = {});
  bool needs_metric() const override { return true; }
  std::string type_name() const override { return "ReduceLROnPlateau"; }
  std::string describe() const override;
  /// The best metric seen (inf for Min, -inf for Max before the first).
  float best() const { return best_; }
  int64_t num_bad_epochs() const { return num_bad_epochs_; }

 private:
  void on_epoch(std::optional<float> metric) override;
  std::vector<std::pair<std::string, double>> fields() const override;
  void set_fields(const std::map<std::string, double>& values) override;
  bool improves(float metric) const;
  PlateauOptions options_;
  float best_;
  int64_t num_bad_epochs_ = 0;
  int64_t cooldown_counter_ = 0;
};

}  // namespace myelin::optim
