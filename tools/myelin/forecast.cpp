#include "forecast.hpp"

#include <cstdio>

#include "myelin/autograd.hpp"
#include "myelin/data/time_series.hpp"
#include "myelin/error.hpp"

namespace myelin::cli {

void print_forecast(const ModelInfo& info, nn::Module& model, const std::string& csv_path) {
  if (!info.time_series) throw Error(csv_path + ": --csv forecasts with time_series models; this one was trained on " +
                                     info.source + " data (give the file as INPUT)");
  const config::SeriesPreparation& s = *info.time_series;
  const data::SeriesTable table = data::read_series_table(csv_path, s.columns);
  if (table.columns != s.series_columns)
    throw Error(csv_path + ": the series has " + std::to_string(table.columns.size()) +
                " columns, but the model was trained on " + std::to_string(s.series_columns.size()));
  Tensor window;
  try {
    window = data::last_window(table.values, s.scaler, s.input_indices, s.window);
  } catch (const Error& e) {
    throw Error(csv_path + ": " + e.what());
  }
  NoGradGuard no_grad;
  // forecast: (1, horizon, targets)
  const Tensor forecast = config::forecast_in_units(s, window, model(window));
  if (forecast.size(1) != s.horizon)
    throw Error("the model gives " + std::to_string(forecast.size(1)) + " steps, but its data say horizon " +
                std::to_string(s.horizon));
  std::printf("step");
  for (const std::string& t : s.targets) std::printf(",%s", t.c_str());
  std::printf("\n");
  const int64_t nt = forecast.size(2);
  for (int64_t step = 0; step < s.horizon; ++step) {
    std::printf("%lld", static_cast<long long>(step + 1));
    for (int64_t k = 0; k < nt; ++k) std::printf(",%.6g", forecast.data()[step * nt + k]);
    std::printf("\n");
  }
}

}  // namespace myelin::cli
