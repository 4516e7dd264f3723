#pragma once
// Time-series forecasting data from a CSV file: chronological split, training-only scaling.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "myelin/data/sequence.hpp"
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
};

/// TimeSeriesData: the three chronological parts as WindowDatasets (validation and test null
/// when their part has no rows), and the Standardizer of the columns (fitted on the training
/// rows only; its state goes into a model file).
struct TimeSeriesData {
  std::shared_ptr<WindowDataset> train, validation, test;
  Standardizer scaler;                   // over all columns; unfitted when !standardize
  std::vector<std::string> columns;      // names of the series' columns
  std::vector<int64_t> input_indices;    // where the inputs are among `columns`
  std::vector<int64_t> target_indices;   // where the targets are among `columns`
};

/// Splits `series` (N, F) by rows into consecutive train / validation / test parts (never
/// shuffled: windows never span two parts), fits the scaler on the train rows alone, scales
/// all parts with it, and makes windows in each part. Requires: each part that has rows has at
/// least window + horizon of them, and the training part has rows (else Error naming the part).
TimeSeriesData make_time_series(const Tensor& series, const std::vector<std::string>& columns,
                                const TimeSeriesOptions& options);

/// make_time_series over the named columns of a CSV file (read with read_csv; errors name the
/// file, line and column). Columns of the series are input_columns followed by the target
/// columns not among them.
TimeSeriesData read_time_series_csv(const std::string& path, const TimeSeriesOptions& options);

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

}  // namespace myelin::data
