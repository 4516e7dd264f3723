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
  d.input_indices = inputs;
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
    if (k > 0 && pieces[k].size(0) == 0) continue;  // no validation or test part
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

Tensor last_window(const Tensor& series, const Standardizer& scaler, const std::vector<int64_t>& input_indices,
                   int64_t window) {
  const int64_t n = series.size(0);
  if (n < window)
    throw Error("time series: " + std::to_string(n) + " rows are fewer than the model's window of " +
                std::to_string(window) + " rows");
  Tensor rows = series.detach().slice(0, n - window, n).contiguous();
  if (scaler.fitted()) rows = scaler.transform(rows);
  // out: (1, window, inputs)
  Tensor out = Tensor::empty({1, window, static_cast<int64_t>(input_indices.size())});
  const int64_t F = rows.size(1), nin = static_cast<int64_t>(input_indices.size());
  for (int64_t c : input_indices)
    if (c < 0 || c >= F) throw Error("time series: input column " + std::to_string(c) + " is outside [0, " + std::to_string(F) + ")");
  for (int64_t t = 0; t < window; ++t)
    for (int64_t c = 0; c < nin; ++c) out.data()[t * nin + c] = rows.data()[t * F + input_indices[c]];
  return out;
}

Tensor persistence_forecast(const Tensor& inputs, const std::vector<int64_t>& input_indices,
                            const std::vector<int64_t>& target_indices, int64_t horizon) {
  if (inputs.dim() != 3 || inputs.size(2) != static_cast<int64_t>(input_indices.size()))
    throw ShapeError("persistence_forecast: inputs must be (N, window, " + std::to_string(input_indices.size()) +
                     "), got " + to_string(inputs.shape()));
  std::vector<int64_t> positions;
  for (int64_t t : target_indices) {
    const auto it = std::find(input_indices.begin(), input_indices.end(), t);
    if (it == input_indices.end())
      throw Error("persistence_forecast: target column " + std::to_string(t) + " is not an input, so the window has no last value of it");
    positions.push_back(it - input_indices.begin());
  }
  const Tensor x = inputs.detach().contiguous();
  const int64_t n = x.size(0), w = x.size(1), f = x.size(2), nt = static_cast<int64_t>(positions.size());
  // out: (N, horizon * targets); x: (N, window, inputs)
  Tensor out = Tensor::empty({n, horizon * nt});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t step = 0; step < horizon; ++step)
      for (int64_t k = 0; k < nt; ++k)
        out.data()[i * horizon * nt + step * nt + k] = x.data()[(i * w + w - 1) * f + positions[k]];
  return out;
}

Tensor unscale_targets(const Tensor& outputs, const Standardizer& scaler, const std::vector<int64_t>& target_indices) {
  const int64_t m = outputs.size(0), nt = static_cast<int64_t>(target_indices.size());
  if (outputs.dim() != 2 || nt == 0 || outputs.size(1) % nt != 0)
    throw ShapeError("unscale_targets: outputs must be (M, horizon * " + std::to_string(nt) + "), got " +
                     to_string(outputs.shape()));
  Tensor out = outputs.detach().contiguous().clone().reshape({m, outputs.size(1) / nt, nt});
  if (!scaler.fitted()) return out;
  const Tensor mean = scaler.mean().contiguous(), std = scaler.std().contiguous();
  float* y = out.data();
  // y: (M, horizon, targets); target k is feature target_indices[k] of the scaler.
  for (int64_t i = 0; i < out.numel(); ++i) {
    const int64_t f = target_indices[i % nt];
    y[i] = y[i] * std.data()[f] + mean.data()[f];
  }
  return out;
}

}  // namespace myelin::data
