#pragma once
// Time-series models in the CLI: forecasts from new rows (`myelin predict MODEL --csv FILE`),
// and the errors and picture of a prepared part in the targets' own units (train, eval).
#include <string>
#include <vector>

#include "model_info.hpp"
#include "myelin/config/config.hpp"
#include "myelin/nn/module.hpp"
#include "myelin/train/trainer.hpp"

namespace myelin::cli {

/// Reads the series of `csv_path` as the model's training data was read (same columns,
/// categories, dates, scaling and missing-value policy) and prints forecasts of the targets, in
/// their units, as CSV.
/// Without `all`: the next `horizon` steps after the file's last row, "step,<targets>" then a
/// row per step (1 = the row after the file's last). Gaps in rows the forecast does not read do
/// not matter; gaps in the last `window` rows' inputs are handled as the model's policy says
/// (error: an error naming the line and column; drop, mean, interpolate: over the whole file).
/// With `all`: a forecast from every window of the file, gaps handled as the policy says:
/// "row,date,step,<targets>", where row is the 1-based position in the series of the row
/// forecast (beyond the last for the steps after the file) and date its date (empty beyond the
/// file or without dates). Requires info.time_series (else Error).
void print_forecast(const ModelInfo& info, nn::Module& model, const std::string& csv_path, bool all = false);

/// UnitForecast: a model's forecasts of a prepared part and the actual values, in the targets'
/// units: both (M, horizon, targets), forecast i made from the part's window i.
struct UnitForecast {
  Tensor forecast, actual;
};

/// The forecasts of `trainer`'s model for the prepared windows `part` (a TensorDataset, as
/// config::load_data makes; else Error), and the actual values, in the targets' units.
UnitForecast forecast_part(const config::SeriesPreparation& series, train::Trainer& trainer, const data::Dataset& part);

/// Prints a line per target: "<part_name> MAE <target> 1.83, RMSE 2.41 (in the target's units;
/// the loss and the per-epoch scores are in standardised units, std 7.1)".
void print_errors_in_units(const config::SeriesPreparation& series, const UnitForecast& f, const std::string& part_name);

/// SeriesEvaluation: what `myelin eval` of a time-series model on a config reports on.
struct SeriesEvaluation {
  config::SeriesPreparation series;  // as the config prepared the data
  data::DatasetPtr part;             // the test part, else the validation part
  std::string part_name;             // "test" or "validation"
  std::string file;                  // the series' CSV file, for the dates of the part's rows
};

/// Prints each target's errors on the part in its units (print_errors_in_units) and draws each
/// target's actual values against the model's first-step forecasts over the part's rows, as
/// "<directory of model_path>/forecast_<part_name>.svg"; says where it wrote it.
void report_series_evaluation(const SeriesEvaluation& e, train::Trainer& trainer, const std::string& model_path);

}  // namespace myelin::cli
