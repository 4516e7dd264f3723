// Reading back the metrics CSV that train::CsvLogger writes, to re-plot a run's curves.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

#include "myelin/error.hpp"
#include "myelin/viz/learning_curve.hpp"

namespace myelin::viz {
namespace {

std::vector<std::string_view> split_cells(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  for (;;) {
    const size_t comma = line.find(',', start);
    cells.push_back(line.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) return cells;
    start = comma + 1;
  }
}

std::string_view trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// A cell as a number (locale-independent); empty reads as NaN.
double parse_cell(std::string_view cell, size_t line_no, std::string_view column) {
  cell = trim(cell);
  if (cell.empty()) return std::numeric_limits<double>::quiet_NaN();
  if (cell.front() == '+') cell.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (ec != std::errc() || end != cell.data() + cell.size())
    throw Error("metrics CSV line " + std::to_string(line_no) + ", column '" + std::string(column) +
                "': expected a number, got '" + std::string(cell) + "'");
  return v;
}

}  // namespace

std::vector<train::EpochLogs> history_from_metrics_csv(const std::string& csv_text) {
  std::vector<std::string> columns;
  std::vector<train::EpochLogs> history;
  std::string_view text = csv_text;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = trim(text.substr(0, newline));
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_no;
    if (line.empty()) continue;
    const std::vector<std::string_view> cells = split_cells(line);
    if (columns.empty()) {
      for (std::string_view c : cells) columns.emplace_back(trim(c));
      if (std::find(columns.begin(), columns.end(), "epoch") == columns.end())
        throw Error("metrics CSV line " + std::to_string(line_no) +
                    ": the header has no 'epoch' column (expected epoch,seconds,lr,<scores>)");
      continue;
    }
    if (cells.size() != columns.size())
      throw Error("metrics CSV line " + std::to_string(line_no) + ": expected " +
                  std::to_string(columns.size()) + " cells as in the header, got " +
                  std::to_string(cells.size()));
    train::EpochLogs logs;
    for (size_t i = 0; i < cells.size(); ++i) {
      const std::string& name = columns[i];
      const double v = parse_cell(cells[i], line_no, name);
      if (name == "epoch") {
        if (!std::isfinite(v) || v < 1 || v != std::floor(v))
          throw Error("metrics CSV line " + std::to_string(line_no) +
                      ": epoch must be a whole number from 1, got '" + std::string(trim(cells[i])) +
                      "'");
        logs.epoch = static_cast<int64_t>(v) - 1;
      } else if (name == "seconds") {
        logs.seconds = v;
      } else if (name == "lr") {
        logs.learning_rate = v;
      } else if (name.rfind("val_", 0) == 0) {
        logs.validation[name.substr(4)] = v;
      } else {
        logs.train[name] = v;
      }
    }
    history.push_back(std::move(logs));
  }
  return history;
}

std::string learning_curve_svg_from_csv(const std::string& csv_text, const CurveOptions& options) {
  return learning_curve_svg(history_from_metrics_csv(csv_text), options);
}

}  // namespace myelin::viz
