// Learning-rate schedules: the epoch counter and state handling, then one formula per schedule.
#include "myelin/optim/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "myelin/error.hpp"
#include "optim/scalars.hpp"

namespace myelin::optim {

using detail::check_setting;
using detail::number_text;

// ---- Schedule ----

void Schedule::advance(std::optional<float> metric) {
  if (needs_metric() && !metric)
    throw Error(type_name() + ".step: needs the monitored metric; call step(metric)");
  ++epoch_;
  on_epoch(metric);
}

std::vector<std::pair<std::string, Tensor>> Schedule::state() const {
  std::vector<std::pair<std::string, Tensor>> out;
  out.emplace_back("epoch", Tensor::scalar(static_cast<float>(epoch_)));
  for (const auto& [name, value] : fields())
    out.emplace_back(name, Tensor::scalar(static_cast<float>(value)));
  return out;
}

void Schedule::load_state(const std::map<std::string, Tensor>& state) {
  const std::string owner = type_name();
  detail::check_state(state, this->state(), owner);
  const int64_t epoch = detail::to_count(state.at("epoch").item(), owner, "epoch");
  std::map<std::string, double> values;
  for (const auto& [name, value] : fields()) values[name] = state.at(name).item();
  const int64_t previous = epoch_;
  epoch_ = epoch;
  try {
    set_fields(values);
  } catch (...) {
    epoch_ = previous;
    throw;
  }
}

// ---- ClosedFormSchedule ----

ClosedFormSchedule::ClosedFormSchedule(Optimizer& optimizer)
    : Schedule(optimizer), base_lr_(optimizer.lr()) {}

std::vector<std::pair<std::string, double>> ClosedFormSchedule::fields() const {
  return {{"base_lr", base_lr_}};
}

void ClosedFormSchedule::set_fields(const std::map<std::string, double>& values) {
  const double base_lr = values.at("base_lr");
  check_setting(std::isfinite(base_lr) && base_lr >= 0, type_name() + ".load_state",
                "entry 'base_lr'", base_lr, "finite and >= 0");
  base_lr_ = base_lr;
  apply_lr();
}

// ---- StepLR ----

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma)
    : ClosedFormSchedule(optimizer), step_size_(step_size), gamma_(gamma) {
  check_setting(step_size >= 1, "StepLR", "step_size", static_cast<double>(step_size), ">= 1");
  check_setting(gamma > 0, "StepLR", "gamma", gamma, "> 0");
  apply_lr();
}

double StepLR::lr_at(int64_t epoch) const {
  return base_lr() * std::pow(gamma_, static_cast<double>(epoch / step_size_));
}

std::string StepLR::describe() const {
  return "step_size=" + std::to_string(step_size_) + ", gamma=" + number_text(gamma_);
}

// ---- ExponentialLR ----

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma)
    : ClosedFormSchedule(optimizer), gamma_(gamma) {
  check_setting(gamma > 0, "ExponentialLR", "gamma", gamma, "> 0");
  apply_lr();
}

double ExponentialLR::lr_at(int64_t epoch) const {
  return base_lr() * std::pow(gamma_, static_cast<double>(epoch));
}

std::string ExponentialLR::describe() const { return "gamma=" + number_text(gamma_); }

// ---- CosineWithWarmup ----

CosineWithWarmup::CosineWithWarmup(Optimizer& optimizer, int64_t warmup_steps,
                                   int64_t total_steps, double min_lr)
    : ClosedFormSchedule(optimizer),
      warmup_steps_(warmup_steps),
      total_steps_(total_steps),
      min_lr_(min_lr) {
  check_setting(warmup_steps >= 0, "CosineWithWarmup", "warmup_steps",
                static_cast<double>(warmup_steps), ">= 0");
  check_setting(total_steps > warmup_steps, "CosineWithWarmup", "total_steps",
                static_cast<double>(total_steps), "> warmup_steps");
  check_setting(std::isfinite(min_lr) && min_lr >= 0, "CosineWithWarmup", "min_lr", min_lr,
                "finite and >= 0");
  apply_lr();
}

double CosineWithWarmup::lr_at(int64_t epoch) const {
  if (epoch < warmup_steps_)
    return base_lr() * static_cast<double>(epoch + 1) / static_cast<double>(warmup_steps_);
  if (epoch >= total_steps_) return min_lr_;
  const double progress = static_cast<double>(epoch - warmup_steps_) /
                          static_cast<double>(total_steps_ - warmup_steps_);
  return min_lr_ + (base_lr() - min_lr_) * (1 + std::cos(std::numbers::pi * progress)) / 2;
}

std::string CosineWithWarmup::describe() const {
  return "warmup_steps=" + std::to_string(warmup_steps_) + ", total_steps=" +
         std::to_string(total_steps_) + ", min_lr=" + number_text(min_lr_);
}

// ---- ReduceLROnPlateau ----

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& optimizer, const PlateauOptions& options)
    : Schedule(optimizer), options_(options) {
  const PlateauOptions& o = options_;
  const char* type = "ReduceLROnPlateau";
  check_setting(o.factor > 0 && o.factor < 1, type, "factor", o.factor, "in (0, 1)");
  check_setting(o.patience >= 0, type, "patience", static_cast<double>(o.patience), ">= 0");
  check_setting(o.threshold >= 0, type, "threshold", o.threshold, ">= 0");
  check_setting(o.cooldown >= 0, type, "cooldown", static_cast<double>(o.cooldown), ">= 0");
  check_setting(std::isfinite(o.min_lr) && o.min_lr >= 0, type, "min_lr", o.min_lr,
                "finite and >= 0");
  const float inf = std::numeric_limits<float>::infinity();
  best_ = o.mode == PlateauMode::Min ? inf : -inf;
}

bool ReduceLROnPlateau::improves(float metric) const {
  // Relative threshold, compared in double as PyTorch does in Python.
  const double m = metric, best = best_;
  return options_.mode == PlateauMode::Min ? m < best * (1 - options_.threshold)
                                           : m > best * (1 + options_.threshold);
}

void ReduceLROnPlateau::on_epoch(std::optional<float> metric) {
  if (improves(*metric)) {
    best_ = *metric;
    num_bad_epochs_ = 0;
  } else {
    ++num_bad_epochs_;
  }
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    num_bad_epochs_ = 0;  // bad epochs in the cooldown do not count
  }
  if (num_bad_epochs_ > options_.patience) {
    const double old_lr = optimizer_.lr();
    const double new_lr = std::max(old_lr * options_.factor, options_.min_lr);
    if (old_lr - new_lr > 1e-8) optimizer_.set_lr(new_lr);
    cooldown_counter_ = options_.cooldown;
    num_bad_epochs_ = 0;
  }
}

std::vector<std::pair<std::string, double>> ReduceLROnPlateau::fields() const {
  return {{"best", best_},
          {"num_bad_epochs", static_cast<double>(num_bad_epochs_)},
          {"cooldown_counter", static_cast<double>(cooldown_counter_)}};
}

void ReduceLROnPlateau::set_fields(const std::map<std::string, double>& values) {
  const std::string owner = type_name();
  const int64_t bad = detail::to_count(values.at("num_bad_epochs"), owner, "num_bad_epochs");
  const int64_t cooldown =
      detail::to_count(values.at("cooldown_counter"), owner, "cooldown_counter");
  best_ = static_cast<float>(values.at("best"));
  num_bad_epochs_ = bad;
  cooldown_counter_ = cooldown;
}

std::string ReduceLROnPlateau::describe() const {
  const PlateauOptions& o = options_;
  return std::string("mode=") + (o.mode == PlateauMode::Min ? "min" : "max") +
         ", factor=" + number_text(o.factor) + ", patience=" + std::to_string(o.patience) +
         ", threshold=" + number_text(o.threshold) + ", cooldown=" + std::to_string(o.cooldown) +
         ", min_lr=" + number_text(o.min_lr);
}

}  // namespace myelin::optim
