#include "myelin/train/callbacks.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <ostream>
#include <sstream>

#include "myelin/error.hpp"
#include "myelin/io/atomic_write.hpp"
#include "myelin/io/model_file.hpp"

namespace myelin::train {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool maximizes(const std::string& monitor, Goal goal) {
  if (goal != Goal::Auto) return goal == Goal::Maximize;
  return !(ends_with(monitor, "loss") || ends_with(monitor, "mae") || ends_with(monitor, "rmse"));
}

std::string format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string duration(double seconds) {
  const int64_t s = static_cast<int64_t>(std::llround(seconds));
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + format("%02.0f", static_cast<double>(s % 60)) + "s";
  return std::to_string(s / 3600) + "h" + format("%02.0f", static_cast<double>((s % 3600) / 60)) + "m";
}

}  // namespace

double score_of(const EpochLogs& logs, const std::string& name) {
  const bool val = name.rfind("val_", 0) == 0;
  const Scores& scores = val ? logs.validation : logs.train;
  auto it = scores.find(val ? name.substr(4) : name);
  if (it == scores.end()) {
    std::string known;
    for (auto& [k, v] : logs.train) known += (known.empty() ? "" : ", ") + k;
    for (auto& [k, v] : logs.validation) known += ", val_" + k;
    throw Error("no score '" + name + "' in this run (available: " + known + ")");
  }
  return it->second;
}

// ---- ProgressBar ----

ProgressBar::ProgressBar(std::ostream& out, bool live) : out_(out), live_(live) {}

void ProgressBar::on_train_begin(Trainer&) { last_draw_ = -1; }

void ProgressBar::on_batch_end(Trainer& t, const BatchLogs& b) {
  if (!live_) return;
  const bool last = b.batch + 1 == b.num_batches;
  if (!last && last_draw_ >= 0 && b.seconds - last_draw_ < 0.1 && b.seconds >= last_draw_) return;
  last_draw_ = b.seconds;
  constexpr int kWidth = 24;
  const double done = b.num_batches ? static_cast<double>(b.batch + 1) / b.num_batches : 1.0;
  const int filled = static_cast<int>(done * kWidth);
  std::string bar(static_cast<size_t>(filled), '=');
  if (filled < kWidth) bar += '>' + std::string(static_cast<size_t>(kWidth - filled - 1), ' ');
  const double eta = done > 0 ? b.seconds * (1 - done) / done : 0;
  std::ostringstream line;
  line << "epoch " << b.epoch + 1 << " [" << bar << "] " << b.batch + 1 << "/" << b.num_batches
       << "  ETA " << duration(eta) << "  "
       << format("%.0f", b.seconds > 0 ? b.samples / b.seconds : 0.0) << " samples/s  loss "
       << format("%.4f", b.running_loss);
  if (!t.metrics().empty() && !std::isnan(b.running_metric))
    line << "  " << t.metrics().front() << " " << format("%.4f", b.running_metric);
  std::string text = line.str();
  const size_t width = text.size();
  if (width < drawn_width_) text += std::string(drawn_width_ - width, ' ');
  drawn_width_ = width;
  out_ << '\r' << text << std::flush;
}

void ProgressBar::on_epoch_end(Trainer&, const EpochLogs& e) {
  if (live_ && drawn_width_) out_ << '\r' << std::string(drawn_width_, ' ') << '\r';
  drawn_width_ = 0;
  std::ostringstream line;
  line << "epoch " << e.epoch + 1 << "  " << format("%.2f", e.seconds) << "s  "
       << format("%.0f", e.seconds > 0 ? e.samples / e.seconds : 0.0) << " samples/s";
  for (auto& [name, v] : e.train) line << "  " << name << " " << format("%.4f", v);
  for (auto& [name, v] : e.validation) line << "  val_" << name << " " << format("%.4f", v);
  line << "  lr " << format("%.3g", e.learning_rate);
  out_ << line.str() << '\n' << std::flush;
}

// ---- CsvLogger ----

CsvLogger::CsvLogger(std::string path, int64_t keep_epochs) : path_(std::move(path)) {
  if (keep_epochs <= 0) return;
  std::ifstream in(path_);
  if (!in) return;
  auto split = [](const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, ',');) fields.push_back(f);
    return fields;
  };
  std::string line;
  if (!std::getline(in, line)) return;
  columns_ = split(line);
  for (int64_t n = 2; std::getline(in, line); ++n) {
    const std::vector<std::string> fields = split(line);
    std::vector<double> row;
    for (const auto& f : fields) {
      char* end = nullptr;
      row.push_back(std::strtod(f.c_str(), &end));
      if (end == f.c_str()) throw IoError(path_ + ":" + std::to_string(n) + ": not a number: '" + f + "'");
    }
    if (row.size() != columns_.size())
      throw IoError(path_ + ":" + std::to_string(n) + ": " + std::to_string(row.size()) + " fields, expected " +
                    std::to_string(columns_.size()));
    if (row[0] <= static_cast<double>(keep_epochs)) rows_.push_back(row);
  }
}

void CsvLogger::on_epoch_end(Trainer&, const EpochLogs& e) {
  if (columns_.empty()) {
    columns_ = {"epoch", "seconds", "lr"};
    for (auto& [name, v] : e.train) columns_.push_back(name);
    for (auto& [name, v] : e.validation) columns_.push_back("val_" + name);
  }
  std::vector<double> row = {static_cast<double>(e.epoch + 1), e.seconds, e.learning_rate};
  for (size_t i = 3; i < columns_.size(); ++i) {
    try {
      row.push_back(score_of(e, columns_[i]));
    } catch (const Error&) {
      row.push_back(std::numeric_limits<double>::quiet_NaN());
    }
  }
  rows_.push_back(row);
  std::ostringstream csv;
  for (size_t i = 0; i < columns_.size(); ++i) csv << (i ? "," : "") << columns_[i];
  csv << '\n';
  csv.precision(9);
  for (const auto& r : rows_) {
    for (size_t i = 0; i < r.size(); ++i) csv << (i ? "," : "") << r[i];
    csv << '\n';
  }
  io::write_file_atomically(path_, csv.str());
}

// ---- BestCheckpoint ----

BestCheckpoint::BestCheckpoint(std::string path, std::string monitor, Goal goal,
                               std::map<std::string, std::string> metadata)
    : path_(std::move(path)),
      monitor_(std::move(monitor)),
      maximize_(maximizes(monitor_, goal)),
      metadata_(std::move(metadata)),
      best_(maximize_ ? -std::numeric_limits<double>::infinity()
                      : std::numeric_limits<double>::infinity()) {}

void BestCheckpoint::on_epoch_end(Trainer& t, const EpochLogs& e) {
  const double v = score_of(e, monitor_);
  if (std::isnan(v) || (maximize_ ? v <= best_ : v >= best_)) return;
  best_ = v;
  auto metadata = metadata_;
  metadata["best_epoch"] = std::to_string(e.epoch + 1);
  metadata["best_" + monitor_] = format("%.9g", v);
  io::save_model(path_, t.model(), metadata);
}

// ---- EarlyStopping ----

EarlyStopping::EarlyStopping(std::string monitor, int64_t patience, double min_delta, Goal goal)
    : monitor_(std::move(monitor)),
      patience_(patience),
      min_delta_(min_delta),
      maximize_(maximizes(monitor_, goal)),
      best_(maximize_ ? -std::numeric_limits<double>::infinity()
                      : std::numeric_limits<double>::infinity()) {}

void EarlyStopping::on_epoch_end(Trainer& t, const EpochLogs& e) {
  const double v = score_of(e, monitor_);
  last_epoch_ = e.epoch;
  const bool improved = maximize_ ? v > best_ + min_delta_ : v < best_ - min_delta_;
  if (improved) {
    best_ = v;
    bad_epochs_ = 0;
    return;
  }
  if (++bad_epochs_ >= patience_) {
    stopped_epoch_ = e.epoch;
    t.request_stop();
  }
}

int64_t EarlyStopping::best_epoch() const {
  return last_epoch_ < 0 || std::isinf(best_) ? -1 : last_epoch_ - bad_epochs_;
}

std::string EarlyStopping::stop_reason() const {
  if (stopped_epoch_ < 0) return "";
  std::string reason = "early stopping after epoch " + std::to_string(stopped_epoch_ + 1) + ": " + monitor_ +
                       " has not improved by more than " + format("%g", min_delta_) + " for " +
                       std::to_string(patience_) + (patience_ == 1 ? " epoch" : " epochs");
  if (best_epoch() < 0) return reason + " (no epoch had a finite score)";
  return reason + " (best " + format("%.4f", best_) + " at epoch " + std::to_string(best_epoch() + 1) + ")";
}

}  // namespace myelin::train
