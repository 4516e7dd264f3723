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
  std::vector<double> parts = {0.7, 0.15, 0.15};
  bool standardize = true;
};

/// TimeSeriesData: the three chronological parts as WindowDatasets, and the Standardizer of the
/// columns (fitted on the training rows only; its state goes into a model file). Columns of the
/// series are input_columns followed by the target columns not among them.
struct TimeSeriesData {
  std::shared_ptr<WindowDataset> train, validation, test;
  Standardizer scaler;                   // over all columns; unfitted when !standardize
  std::vector<std::string> columns;      // names of the series' columns
  std::vector<int64_t> target_indices;   // where the targets are among `columns`
};

/// Splits `series` (N, F) by rows into consecutive train / validation / test parts (never
/// shuffled: windows never span two parts), fits the scaler on the train rows alone, scales
/// all parts with it, and makes windows in each part. Requires: each part has at least
/// window + horizon rows (else Error naming the part).
TimeSeriesData make_time_series(const Tensor& series, const std::vector<std::string>& columns,
                                const TimeSeriesOptions& options);

/// make_time_series over the named columns of a CSV file (read with read_csv; errors name the
/// file, line and column).
TimeSeriesData read_time_series_csv(const std::string& path, const TimeSeriesOptions& options);

}  // namespace myelin::data
