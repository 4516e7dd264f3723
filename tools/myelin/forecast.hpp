#pragma once
// Forecasting with a time-series model: `myelin predict MODEL --csv FILE`.
#include <string>

#include "model_info.hpp"
#include "myelin/nn/module.hpp"

namespace myelin::cli {

/// Reads the series of `csv_path` as the model's training data was read (same columns,
/// categories and scaling), feeds its last window to `model` and prints the next `horizon`
/// steps of the targets, in their units, as CSV: "step,<target names>" then one row per step
/// (1 = the row after the file's last). Requires info.time_series (else Error).
void print_forecast(const ModelInfo& info, nn::Module& model, const std::string& csv_path);

}  // namespace myelin::cli
