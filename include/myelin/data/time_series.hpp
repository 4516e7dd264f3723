#pragma once
// Time-series forecasting data from a CSV file: chronological split, training-only scaling.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "myelin/data/sequence.hpp"
#include "myelin/data/series_table.hpp"
#include "myelin/data/standardizer.hpp"

namespace myelin::data {

/// TimeSeriesOptions: what to read and how to cut it.
struct TimeSeriesOptions {
  std::vector<std::string> input_columns;   // the model sees these (may include the targets)
  std::vector<std::string> target_columns;  // the model predicts these; at least one
  int64_t window = 24;                      // steps of input per example
  int64_t horizon = 1;                      // steps ahead predicted
  /// Fractions (summing to 1) or row counts of train, validation and test, in time order.
  /// Validation and test may be 0 (no such part).
  std::vector<double> parts = {0.7, 0.15, 0.15};
  bool standardize = true;
  /// What fills gaps (NaN) in the series: mean uses the training part's column means,
  /// interpolate works within each part (so no value crosses from one part into another);
  /// error and drop (rows with gaps left out when read) reject any NaN.
  SeriesMissing missing = SeriesMissing::error;
  /// The time of each row, for interpolate (e.g. series_times of the table); empty: 0, 1, ...
  std::vector<double> times;
};

/// TimeSeriesData: the three chronological parts as WindowDatasets (validation and test null
/// when their part has no rows), and the Standardizer of the columns (fitted on the training
/// rows only; its state goes into a model file).
/// Training windows lie inside the training part. A validation or test window may read input
/// rows of the parts before it, never their targets, so every row of those parts (all but the
/// last horizon - 1) is forecast: example i of such a part forecasts its rows i .. i + horizon - 1.
struct TimeSeriesData {
  std::shared_ptr<WindowDataset> train, validation, test;
  Standardizer scaler;                   // over all columns; unfitted when !standardize
  std::vector<float> fill_values;        // SeriesMissing::mean: each column's training mean; else empty
  std::vector<std::string> columns;      // names of the series' columns
  std::vector<int64_t> input_indices;    // where the inputs are among `columns`
  std::vector<int64_t> target_indices;   // where the targets are among `columns`
};

/// Splits `series` (N, F) by rows into consecutive train / validation / test parts (never
/// shuffled), fills gaps as options.missing says, fits the scaler on the train rows alone,
/// scales all parts with it, and makes the windows of each part (see TimeSeriesData).
/// Requires: the training part has at least window + horizon rows, and a validation or test
/// part with rows at least horizon (else Error naming the part; no sum overflows, whatever the
/// window and horizon); no NaN unless options.missing is mean or interpolate.
TimeSeriesData make_time_series(const Tensor& series, const std::vector<std::string>& columns,
                                const TimeSeriesOptions& options);

/// make_time_series over the named columns of a CSV file (read with read_csv; errors name the
/// file, line and column). Columns of the series are input_columns followed by the target
/// columns not among them.
TimeSeriesData read_time_series_csv(const std::string& path, const TimeSeriesOptions& options);

/// Every window of `series` (N, F) as model inputs: rows [i, i + window) of the columns
/// `input_indices` for i = 0 .. N - window, scaled with `scaler` when it is fitted:
/// (N - window + 1, window, inputs). Window i forecasts the rows from i + window on (the last
/// one, the steps after the series).
/// Requires: 1 <= window <= N (else Error saying how many rows are needed).
Tensor all_windows(const Tensor& series, const Standardizer& scaler, const std::vector<int64_t>& input_indices,
                   int64_t window);

/// The model input after the end of `series` (N, F): its last `window` rows of the columns
/// `input_indices`, scaled with `scaler` when it is fitted, as a batch of one (1, window, inputs).
/// Requires: N >= window (else Error saying how many rows are needed).
Tensor last_window(const Tensor& series, const Standardizer& scaler, const std::vector<int64_t>& input_indices,
                   int64_t window);

/// The persistence baseline ("tomorrow = today") of windows `inputs` (N, window, inputs): each
/// target's value in the window's last row, for every step: (N, horizon * targets), scaled as the
/// inputs are. `input_indices` and `target_indices` are the series columns of the inputs and
/// targets (TimeSeriesData's). Requires every target among the inputs (else Error naming it).
Tensor persistence_forecast(const Tensor& inputs, const std::vector<int64_t>& input_indices,
                            const std::vector<int64_t>& target_indices, int64_t horizon);

/// Forecasts (M, horizon * targets), step-major as WindowDataset's targets and scaled as the
/// series, back in the units of the target columns (`target_indices` into the scaler's
/// features; unchanged when the scaler is unfitted): (M, horizon, targets).
Tensor unscale_targets(const Tensor& outputs, const Standardizer& scaler, const std::vector<int64_t>& target_indices);

/// TargetErrors: how far forecasts of one target are from what happened.
struct TargetErrors {
  double mae = 0;   // mean absolute error
  double rmse = 0;  // root mean squared error
};

/// The errors of each target k over every example and step of `forecast` against `actual`,
/// both (M, horizon, targets) in the same units (e.g. the targets' own, from unscale_targets
/// or config::forecast_in_units): one TargetErrors per target. Requires equal 3-D shapes with
/// M >= 1 (else ShapeError).
std::vector<TargetErrors> errors_per_target(const Tensor& forecast, const Tensor& actual);

}  // namespace myelin::data
