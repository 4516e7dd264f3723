// Tutorial part 2 (examples/weather/README.md): how good is a trained forecaster of Seattle's
// temperatures? Measures its mean absolute error in degrees C on the test year next to two
// baselines, and draws its 2015 forecast against what happened.
//
//   persistence:  tomorrow = today (the last day of the window)
//   climatology:  the mean of the same calendar days (+-3) over the training years
//
// Run: build/examples/weather_report CONFIG MODEL [--svg FILE]
//   e.g. build/examples/weather_report examples/weather/lstm.toml runs/lstm/model.safetensors --svg lstm.svg
#include <myelin/myelin.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

using namespace myelin;

namespace {

// Climatology (N, horizon, targets) for the test windows: each target day's value is the mean
// of that target over the training rows within 3 days of the same day of the year.
Tensor climatology(const config::SeriesPreparation& s, const data::SeriesTable& table, int64_t test_windows) {
  // Test window i forecasts the test year's row i first (its inputs may reach back into 2014).
  const int64_t train_rows = s.part_rows[0], first = s.part_rows[0] + s.part_rows[1];
  const int64_t nt = static_cast<int64_t>(s.target_indices.size()), F = table.values.size(1);
  Tensor out = Tensor::empty({test_windows, s.horizon, nt});
  for (int64_t i = 0; i < test_windows; ++i)
    for (int64_t step = 0; step < s.horizon; ++step) {
      const int day = data::day_of_year(table.dates[first + i + step]);
      for (int64_t k = 0; k < nt; ++k) {
        double sum = 0;
        int64_t count = 0;
        for (int64_t r = 0; r < train_rows; ++r) {
          const int d = std::abs(data::day_of_year(table.dates[r]) - day);
          if (std::min(d, 366 - d) > 3) continue;
          sum += table.values.data()[r * F + s.target_indices[k]];
          ++count;
        }
        out.data()[(i * s.horizon + step) * nt + k] = static_cast<float>(sum / count);
      }
    }
  return out;
}

// Mean absolute error of target k (all steps) of forecasts (N, horizon, targets).
double mae_of(const Tensor& forecast, const Tensor& actual, int64_t k) {
  return metrics::mae(forecast.select(2, k).contiguous(), actual.select(2, k).contiguous());
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 3) throw Error("usage: weather_report CONFIG MODEL [--svg FILE]");
  const std::string svg_path = argc >= 5 && !std::strcmp(argv[3], "--svg") ? argv[4] : "";

  // 1. The test part, prepared exactly as in training (scaled with the training years' statistics).
  const config::RunConfig c = config::load_config(argv[1]);
  const config::PreparedData d = config::load_data(c);
  if (!d.time_series || !d.test) throw Error(std::string(argv[1]) + ": needs time_series data with a test part");
  const config::SeriesPreparation& s = *d.time_series;
  const auto test = std::dynamic_pointer_cast<const data::TensorDataset>(d.test);

  // 2. The model's forecasts and the baselines, all in degrees C: (N, horizon, targets).
  const io::LoadedModel loaded = io::load_model(argv[2]);
  Tensor model_forecast;
  {
    NoGradGuard no_grad;
    model_forecast = config::forecast_in_units(s, test->inputs(), (*loaded.module)(test->inputs()));
  }
  const Tensor actual = config::forecast_in_units(s, test->inputs(), test->targets());
  const Tensor persistence = data::unscale_targets(
      data::persistence_forecast(test->inputs(), s.input_indices, s.target_indices, s.horizon), s.scaler, s.target_indices);
  const data::SeriesTable table = data::read_series_table(c.data.path("file"), s.columns);
  const int64_t n = actual.size(0);
  const Tensor climate = climatology(s, table, n);

  // 3. The report.
  const int64_t first = s.part_rows[0] + s.part_rows[1];
  std::printf("test days: %s .. %s (%lld forecasts, %lld day%s ahead)\n", table.dates[first].c_str(),
              table.dates[first + n - 1].c_str(), static_cast<long long>(n), static_cast<long long>(s.horizon),
              s.horizon == 1 ? "" : "s");
  std::printf("mean absolute error (C)   %-12s %-12s %-12s\n", "model", "persistence", "climatology");
  for (int64_t k = 0; k < static_cast<int64_t>(s.targets.size()); ++k)
    std::printf("  %-23s %-12.2f %-12.2f %-12.2f\n", s.targets[k].c_str(), mae_of(model_forecast, actual, k),
                mae_of(persistence, actual, k), mae_of(climate, actual, k));

  // 4. The picture: each target's actual values and the model's first-step forecast.
  if (!svg_path.empty()) {
    std::vector<viz::LineSeries> lines;
    for (int64_t k = 0; k < static_cast<int64_t>(s.targets.size()); ++k) {
      viz::LineSeries real{s.targets[k] + " actual", {}, false}, guess{s.targets[k] + " forecast", {}, true};
      for (int64_t i = 0; i < n; ++i) {
        real.values.push_back(actual.data()[(i * s.horizon) * actual.size(2) + k]);
        guess.values.push_back(model_forecast.data()[(i * s.horizon) * actual.size(2) + k]);
      }
      lines.push_back(real);
      lines.push_back(guess);
    }
    viz::LineChartOptions options{.title = "Seattle " + table.dates[first].substr(0, 4) +
                                           ": next-day forecast of " + std::string(argv[1]) + " against the actual",
                                  .y_label = "degrees C"};
    for (int64_t i = 0; i < n; ++i)
      if (table.dates[first + i].substr(8) == "01")
        options.x_ticks.emplace_back(static_cast<double>(i), table.dates[first + i].substr(0, 7));
    io::write_file_atomically(svg_path, viz::line_chart_svg(lines, options));
    std::printf("wrote %s\n", svg_path.c_str());
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
