#include "forecast.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "myelin/autograd.hpp"
#include "myelin/data/series_gaps.hpp"
#include "myelin/data/time_series.hpp"
#include "myelin/error.hpp"
#include "myelin/io/atomic_write.hpp"
#include "myelin/ops.hpp"
#include "myelin/viz/line_chart.hpp"

namespace myelin::cli {
namespace {

constexpr int64_t kWindowsPerBatch = 1024;

// The rows of `csv_path` to forecast from: the last `window` rows when only the next steps are
// wanted and their inputs have no gaps; else the whole file with its input gaps handled as the
// model's policy says (under "error", the error names the first gap the forecast would read).
data::SeriesTable rows_to_forecast_from(const config::SeriesPreparation& s, const std::string& csv_path, bool all) {
  const data::SeriesTable table = data::read_series_table(csv_path, s.columns, data::SeriesGaps::keep);
  if (table.columns != s.series_columns)
    throw Error(csv_path + ": the series has " + std::to_string(table.columns.size()) +
                " columns, but the model was trained on " + std::to_string(s.series_columns.size()));
  const int64_t n = table.values.size(0);
  if (!all) {
    const data::SeriesTable tail = data::table_rows(table, std::max<int64_t>(0, n - s.window), n);
    if (!data::has_gaps(tail, s.input_indices)) return tail;
    if (s.columns.missing == data::SeriesMissing::error) return data::fill_series_gaps(tail, s.input_indices, csv_path);
  }
  return data::fill_series_gaps(table, s.input_indices, csv_path);
}

// The model's forecasts for `windows` (W, window, inputs) in the targets' units: (W, horizon, targets).
Tensor forecast_windows(const config::SeriesPreparation& s, nn::Module& model, const Tensor& windows) {
  NoGradGuard no_grad;
  std::vector<Tensor> parts;
  for (int64_t begin = 0; begin < windows.size(0); begin += kWindowsPerBatch) {
    const Tensor batch = windows.slice(0, begin, std::min(windows.size(0), begin + kWindowsPerBatch)).contiguous();
    parts.push_back(config::forecast_in_units(s, batch, model(batch)));
  }
  const Tensor forecast = parts.size() == 1 ? parts[0] : concat(parts, 0).contiguous();
  if (forecast.size(1) != s.horizon)
    throw Error("the model gives " + std::to_string(forecast.size(1)) + " steps, but its data say horizon " +
                std::to_string(s.horizon));
  return forecast;
}

void print_values(const Tensor& forecast, int64_t i, int64_t step) {
  const int64_t nt = forecast.size(2), h = forecast.size(1);
  for (int64_t k = 0; k < nt; ++k) std::printf(",%.6g", forecast.data()[(i * h + step) * nt + k]);
  std::printf("\n");
}

}  // namespace

void print_forecast(const ModelInfo& info, nn::Module& model, const std::string& csv_path, bool all) {
  if (!info.time_series) throw Error(csv_path + ": --csv forecasts with time_series models; this one was trained on " +
                                     info.source + " data (give the file as INPUT)");
  const config::SeriesPreparation& s = *info.time_series;
  const data::SeriesTable rows = rows_to_forecast_from(s, csv_path, all);
  Tensor windows;  // (W, window, inputs)
  try {
    windows = all ? data::all_windows(rows.values, s.scaler, s.input_indices, s.window)
                  : data::last_window(rows.values, s.scaler, s.input_indices, s.window);
  } catch (const Error& e) {
    throw Error(csv_path + ": " + e.what());
  }
  const Tensor forecast = forecast_windows(s, model, windows);  // (W, horizon, targets)
  std::printf(all ? "row,date,step" : "step");
  for (const std::string& t : s.targets) std::printf(",%s", t.c_str());
  std::printf("\n");
  const int64_t n = rows.values.size(0);
  for (int64_t i = 0; i < forecast.size(0); ++i)
    for (int64_t step = 0; step < s.horizon; ++step) {
      if (all) {
        const int64_t row = i + s.window + step;  // 0-based in the series
        const std::string date = row < n && !rows.dates.empty() ? rows.dates[row] : "";
        std::printf("%lld,%s,", static_cast<long long>(row + 1), date.c_str());
      }
      std::printf("%lld", static_cast<long long>(step + 1));
      print_values(forecast, i, step);
    }
}

UnitForecast forecast_part(const config::SeriesPreparation& series, train::Trainer& trainer, const data::Dataset& part) {
  const auto* tensors = dynamic_cast<const data::TensorDataset*>(&part);
  if (!tensors) throw Error("forecast_part: the part is not a prepared TensorDataset");
  return {config::forecast_in_units(series, tensors->inputs(), trainer.predict(tensors->inputs())),
          config::forecast_in_units(series, tensors->inputs(), tensors->targets())};
}

void print_errors_in_units(const config::SeriesPreparation& series, const UnitForecast& f, const std::string& part_name) {
  const std::vector<data::TargetErrors> errors = data::errors_per_target(f.forecast, f.actual);
  for (size_t k = 0; k < errors.size(); ++k) {
    std::printf("%s MAE %s %.3g, RMSE %.3g ", part_name.c_str(), series.targets[k].c_str(), errors[k].mae, errors[k].rmse);
    if (series.scaler.fitted())
      std::printf("(in the target's units; the loss and the per-epoch scores are in standardised units, std %.3g)\n",
                  series.scaler.std().contiguous().data()[series.target_indices[k]]);
    else
      std::printf("(in the target's units, as are the loss and the per-epoch scores)\n");
  }
}

void report_series_evaluation(const SeriesEvaluation& e, train::Trainer& trainer, const std::string& model_path) {
  const config::SeriesPreparation& s = e.series;
  const UnitForecast f = forecast_part(s, trainer, *e.part);
  print_errors_in_units(s, f, e.part_name);

  if (f.forecast.size(0) < 2) return;  // a line needs two points
  // The dates of the rows forecast first: window i of a part forecasts its row i first.
  const data::SeriesTable table = data::read_series_table(e.file, s.columns);
  const int64_t first = s.part_rows[0] + (e.part_name == "test" ? s.part_rows[1] : 0), m = f.forecast.size(0);
  const int64_t nt = f.forecast.size(2), h = f.forecast.size(1);
  std::vector<viz::LineSeries> lines;
  for (int64_t k = 0; k < nt; ++k) {
    viz::LineSeries actual{s.targets[k] + " actual", {}, false}, forecast{s.targets[k] + " forecast", {}, true};
    for (int64_t i = 0; i < m; ++i) {
      actual.values.push_back(f.actual.data()[i * h * nt + k]);
      forecast.values.push_back(f.forecast.data()[i * h * nt + k]);
    }
    lines.push_back(actual);
    lines.push_back(forecast);
  }
  viz::LineChartOptions options{.title = "The " + e.part_name + " period: " + (h == 1 ? "" : "first-step ") +
                                         "forecast against the actual values (" + model_path + ")",
                                .y_label = "the targets' units"};
  const bool dated = first + m <= static_cast<int64_t>(table.dates.size());
  for (int64_t i = 0; dated && i < m; i += std::max<int64_t>(1, m / 8))
    options.x_ticks.emplace_back(static_cast<double>(i), table.dates[first + i]);
  const std::string svg = (std::filesystem::path(model_path).parent_path() / ("forecast_" + e.part_name + ".svg")).string();
  io::write_file_atomically(svg, viz::line_chart_svg(lines, options));
  std::printf("wrote %s (each target's actual values and the model's forecasts over the %s period)\n", svg.c_str(),
              e.part_name.c_str());
}

}  // namespace myelin::cli
