// Time-series data: chronological parts first, then scaling fitted on the training rows, then
// windows within each part, so nothing from later rows reaches training or its statistics.
#include "myelin/data/time_series.hpp"

#include <algorithm>

#include "myelin/data/csv.hpp"
#include "myelin/data/split.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin::data {

namespace {

int64_t column_of(const std::vector<std::string>& columns, const std::string& name) {
  const auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end()) throw Error("time series: no column named '" + name + "'");
  return it - columns.begin();
}

}  // namespace

TimeSeriesData make_time_series(const Tensor& series, const std::vector<std::string>& columns,
                                const TimeSeriesOptions& options) {
  if (series.dim() != 2 || series.size(1) != static_cast<int64_t>(columns.size()))
    throw ShapeError("time series: series " + to_string(series.shape()) + " does not have " +
                     std::to_string(columns.size()) + " named columns");
  if (options.target_columns.empty()) throw Error("time series: no target columns given");
  if (options.input_columns.empty()) throw Error("time series: no input columns given");
  std::vector<int64_t> inputs, targets;
  for (const std::string& c : options.input_columns) inputs.push_back(column_of(columns, c));
  for (const std::string& c : options.target_columns) targets.push_back(column_of(columns, c));

  const std::vector<int64_t> sizes = split_sizes(series.size(0), options.parts);
  if (sizes.size() != 3)
    throw Error("time series: parts must give train, validation and test, got " +
                std::to_string(sizes.size()) + " parts");
  TimeSeriesData d;
  d.columns = columns;
  d.target_indices = targets;
  std::vector<Tensor> pieces;
  int64_t start = 0;
  for (int64_t n : sizes) {
    pieces.push_back(series.detach().slice(0, start, start + n).contiguous());
    start += n;
  }
  if (options.standardize) {
    d.scaler.fit(pieces[0]);  // the training rows only
    for (Tensor& p : pieces) p = d.scaler.transform(p);
  }
  const char* names[] = {"train", "validation", "test"};
  std::shared_ptr<WindowDataset>* parts[] = {&d.train, &d.validation, &d.test};
  for (int k = 0; k < 3; ++k) {
    if (pieces[k].size(0) < options.window + options.horizon)
      throw Error(std::string("time series: the ") + names[k] + " part has " +
                  std::to_string(pieces[k].size(0)) + " rows, fewer than window + horizon = " +
                  std::to_string(options.window + options.horizon));
    *parts[k] = std::make_shared<WindowDataset>(pieces[k], inputs, targets, options.window,
                                                options.horizon);
  }
  return d;
}

TimeSeriesData read_time_series_csv(const std::string& path, const TimeSeriesOptions& options) {
  std::vector<std::string> columns = options.input_columns;
  for (const std::string& c : options.target_columns)
    if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
  if (columns.empty()) throw Error("read_time_series_csv(" + path + "): no columns given");
  // read_csv reads one label column and feature columns; the first column serves as the label.
  CsvOptions csv;
  csv.label_column = columns[0];
  csv.feature_columns.assign(columns.begin() + 1, columns.end());
  const CsvTable table = read_csv(path, csv);
  Tensor series = table.labels.unsqueeze(1);
  if (columns.size() > 1) series = concat({series, table.features}, 1);
  return make_time_series(series, columns, options);
}

}  // namespace myelin::data
