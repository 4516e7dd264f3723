// Time-series data: chronological parts first, then gaps filled and scaling fitted from the
// training rows, then windows whose targets lie within each part, so nothing from later rows
// reaches training or its statistics.
#include "myelin/data/time_series.hpp"

#include <algorithm>

#include "myelin/data/csv.hpp"
#include "myelin/data/missing_values.hpp"
#include "myelin/data/series_gaps.hpp"
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

// window + horizon as text, exact for any two int64 values >= 1 (their sum fits in uint64).
std::string sum_text(int64_t window, int64_t horizon) {
  return std::to_string(static_cast<uint64_t>(window) + static_cast<uint64_t>(horizon));
}

// The training part needs window + horizon rows; a validation or test part with rows needs
// horizon of them (its windows read inputs from the rows before it). Compared without sums.
void check_part_sizes(const std::vector<int64_t>& sizes, int64_t window, int64_t horizon) {
  if (window > sizes[0] || horizon > sizes[0] - window)
    throw Error("time series: the train part has " + std::to_string(sizes[0]) + " rows, fewer than window + horizon = " +
                sum_text(window, horizon));
  const char* names[] = {"validation", "test"};
  for (int k = 0; k < 2; ++k)
    if (sizes[k + 1] > 0 && sizes[k + 1] < horizon)
      throw Error(std::string("time series: the ") + names[k] + " part has " + std::to_string(sizes[k + 1]) +
                  " rows, fewer than horizon = " + std::to_string(horizon) + " (one forecast needs that many)");
}

// `values` (N, F) with its gaps (NaN) filled as options.missing says, from the rows of each part
// alone (mean: the training rows'; interpolate: each part's own); `fill_values` gets the
// training means under mean.
Tensor fill_gaps(const Tensor& values, const std::vector<int64_t>& sizes, const std::vector<std::string>& columns,
                 const TimeSeriesOptions& options, std::vector<float>& fill_values) {
  const int64_t n = values.size(0);
  if (!options.times.empty() && static_cast<int64_t>(options.times.size()) != n)
    throw Error("time series: " + std::to_string(options.times.size()) + " row times for " + std::to_string(n) + " rows");
  if (options.missing == SeriesMissing::mean) {
    const Tensor means = column_means_ignoring_nan(values.slice(0, 0, sizes[0]).contiguous(), columns);
    fill_values = means.to_vector();
    return has_nan(values) ? fill_nan(values, means) : values;
  }
  if (!has_nan(values)) return values;
  if (options.missing != SeriesMissing::interpolate)
    throw Error("time series: the series has gaps (NaN); fill them with missing = mean or interpolate (missing = " +
                series_missing_name(options.missing) + ")");
  std::vector<Tensor> parts;
  int64_t start = 0;
  for (int64_t rows : sizes) {
    if (rows > 0) {
      const std::vector<double> times = options.times.empty() ? std::vector<double>{}
                                                              : std::vector<double>(options.times.begin() + start,
                                                                                    options.times.begin() + start + rows);
      parts.push_back(interpolate_gaps(values.slice(0, start, start + rows).contiguous(), times, columns));
    }
    start += rows;
  }
  return parts.size() == 1 ? parts[0] : concat(parts, 0).contiguous();
}

}  // namespace

TimeSeriesData make_time_series(const Tensor& series, const std::vector<std::string>& columns,
                                const TimeSeriesOptions& options) {
  if (series.dim() != 2 || series.size(1) != static_cast<int64_t>(columns.size()))
    throw ShapeError("time series: series " + to_string(series.shape()) + " does not have " +
                     std::to_string(columns.size()) + " named columns");
  if (options.target_columns.empty()) throw Error("time series: no target columns given");
  if (options.input_columns.empty()) throw Error("time series: no input columns given");
  if (options.window < 1 || options.horizon < 1)
    throw Error("time series: window and horizon must be at least 1, got " + std::to_string(options.window) + " and " +
                std::to_string(options.horizon));
  std::vector<int64_t> inputs, targets;
  for (const std::string& c : options.input_columns) inputs.push_back(column_of(columns, c));
  for (const std::string& c : options.target_columns) targets.push_back(column_of(columns, c));

  const std::vector<int64_t> sizes = split_sizes(series.size(0), options.parts);
  if (sizes.size() != 3)
    throw Error("time series: parts must give train, validation and test, got " +
                std::to_string(sizes.size()) + " parts");
  check_part_sizes(sizes, options.window, options.horizon);
  TimeSeriesData d;
  d.columns = columns;
  d.input_indices = inputs;
  d.target_indices = targets;
  Tensor values = fill_gaps(series.detach().contiguous(), sizes, columns, options, d.fill_values);
  if (options.standardize) {
    d.scaler.fit(values.slice(0, 0, sizes[0]).contiguous());  // the training rows only
    values = d.scaler.transform(values);
  }
  d.train = std::make_shared<WindowDataset>(values.slice(0, 0, sizes[0]).contiguous(), inputs, targets, options.window,
                                            options.horizon);
  // Validation and test windows start `window` rows before their part: their first target is
  // the part's first row.
  int64_t start = sizes[0];
  for (auto [part, rows] : {std::pair{&d.validation, sizes[1]}, std::pair{&d.test, sizes[2]}}) {
    if (rows > 0)
      *part = std::make_shared<WindowDataset>(values.slice(0, start - options.window, start + rows).contiguous(), inputs,
                                              targets, options.window, options.horizon);
    start += rows;
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

Tensor all_windows(const Tensor& series, const Standardizer& scaler, const std::vector<int64_t>& input_indices,
                   int64_t window) {
  const int64_t n = series.size(0);
  if (window < 1 || n < window)
    throw Error("time series: " + std::to_string(n) + " rows are fewer than the model's window of " +
                std::to_string(window) + " rows");
  Tensor rows = series.detach().contiguous();
  if (scaler.fitted()) rows = scaler.transform(rows);
  const int64_t F = rows.size(1), nin = static_cast<int64_t>(input_indices.size()), count = n - window + 1;
  for (int64_t c : input_indices)
    if (c < 0 || c >= F) throw Error("time series: input column " + std::to_string(c) + " is outside [0, " + std::to_string(F) + ")");
  // out: (count, window, inputs); rows: (N, F)
  Tensor out = Tensor::empty({count, window, nin});
  float* o = out.data();
  for (int64_t i = 0; i < count; ++i)
    for (int64_t t = 0; t < window; ++t)
      for (int64_t c = 0; c < nin; ++c) o[(i * window + t) * nin + c] = rows.data()[(i + t) * F + input_indices[c]];
  return out;
}

Tensor last_window(const Tensor& series, const Standardizer& scaler, const std::vector<int64_t>& input_indices,
                   int64_t window) {
  const int64_t n = series.size(0);  // fewer rows than the window: all_windows says so
  return all_windows(series.slice(0, std::max<int64_t>(0, n - window), n), scaler, input_indices, window);
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
