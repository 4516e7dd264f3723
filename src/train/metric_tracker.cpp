// MetricTracker: named running Sums, finished into metric values on demand.
#include <charconv>
#include <cmath>

#include "myelin/error.hpp"
#include "myelin/train/metrics.hpp"
#include "train/metric_sums.hpp"

namespace myelin::metrics {
namespace {

constexpr const char* kKnown = "accuracy, top<k>_accuracy (e.g. top5_accuracy), mae, rmse";

// k of "top<k>_accuracy", or 0 when `name` is not of that form.
int64_t top_k_of(const std::string& name) {
  const std::string prefix = "top", suffix = "_accuracy";
  if (name.size() <= prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return 0;
  const char* first = name.data() + prefix.size();
  const char* last = name.data() + name.size() - suffix.size();
  int64_t k = 0;
  auto [end, ec] = std::from_chars(first, last, k);
  return ec == std::errc() && end == last && k >= 1 ? k : 0;
}

}  // namespace

MetricTracker::Entry MetricTracker::entry_of(const std::string& name) {
  if (name == "accuracy") return {name, Kind::Accuracy, 1, {}};
  if (const int64_t k = top_k_of(name)) return {name, Kind::TopK, k, {}};
  if (name == "mae") return {name, Kind::AbsoluteError, 0, {}};
  if (name == "rmse") return {name, Kind::SquaredError, 0, {}};
  throw Error("MetricTracker: unknown metric '" + name + "' (known: " + kKnown + ")");
}

MetricTracker::MetricTracker(const std::vector<std::string>& metrics) {
  for (const std::string& name : metrics) {
    for (const Entry& e : entries_)
      if (e.name == name) throw Error("MetricTracker: metric '" + name + "' is named twice");
    entries_.push_back(entry_of(name));
  }
}

bool MetricTracker::measures(const std::string& metric, Outputs outputs) {
  switch (entry_of(metric).kind) {
    case Kind::Accuracy: return outputs != Outputs::Values;
    case Kind::TopK: return outputs == Outputs::ClassScores;
    case Kind::AbsoluteError:
    case Kind::SquaredError: return outputs == Outputs::Values;
    case Kind::Mean: break;
  }
  return false;
}

void MetricTracker::update(const Tensor& outputs, const Tensor& targets) {
  // All sums first, so that a bad batch changes nothing.
  std::vector<Sum> batch(entries_.size());
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    switch (e.kind) {
      case Kind::Accuracy: batch[i] = accuracy_named(e.name, outputs, targets); break;
      case Kind::TopK: batch[i] = top_k_correct_named(e.name, outputs, targets, e.k); break;
      case Kind::AbsoluteError: batch[i] = absolute_error_named(e.name, outputs, targets); break;
      case Kind::SquaredError: batch[i] = squared_error_named(e.name, outputs, targets); break;
      case Kind::Mean: break;
    }
  }
  for (size_t i = 0; i < entries_.size(); ++i) entries_[i].sum += batch[i];
}

void MetricTracker::add_mean(const std::string& name, double mean, int64_t count) {
  if (count < 0) throw Error("MetricTracker::add_mean: count of '" + name + "' must be >= 0, got " + std::to_string(count));
  Entry* entry = nullptr;
  for (Entry& e : entries_)
    if (e.name == name) entry = &e;
  if (entry && entry->kind != Kind::Mean)
    throw Error("MetricTracker::add_mean: '" + name + "' is a metric that update() computes");
  if (!entry) entry = &entries_.emplace_back(Entry{name, Kind::Mean, 0, {}});
  entry->sum += Sum{mean * static_cast<double>(count), count};
}

double MetricTracker::finish(const Entry& e) {
  return e.kind == Kind::SquaredError ? std::sqrt(e.sum.mean()) : e.sum.mean();
}

std::vector<std::pair<std::string, double>> MetricTracker::values() const {
  std::vector<std::pair<std::string, double>> out;
  for (const Entry& e : entries_) out.emplace_back(e.name, finish(e));
  return out;
}

double MetricTracker::value(const std::string& name) const {
  std::string tracked;
  for (const Entry& e : entries_) {
    if (e.name == name) return finish(e);
    tracked += (tracked.empty() ? "" : ", ") + e.name;
  }
  throw Error("MetricTracker: '" + name + "' is not tracked (tracked: " + tracked + ")");
}

void MetricTracker::reset() {
  for (Entry& e : entries_) e.sum = {};
}

}  // namespace myelin::metrics
