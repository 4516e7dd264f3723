// The baselines of examples/real_data (README.md there): the scores a trained model has to beat,
// measured on the very test part that `myelin train` makes from the same config (config::load_data:
// the same file, split, gaps policy and scaling).
//
//   classification: the majority class of the training part (always predict it);
//   time series:    persistence (the next value = the window's last one), seasonal naive
//                   (= the value one season earlier; --season rows, default 12, needs window >= season)
//                   and, for a series with dates, persistence of the anomaly (the window's last value
//                   moved by the change of the seasonal mean between its date and the target's; the
//                   seasonal mean of a date: the training rows within 182 / season days of its day of
//                   the year), as mean absolute and root mean squared errors in the target's own units.
// With MODEL (a model file that `myelin train` wrote for CONFIG) the model's score is printed beside.
//
// Run: build/examples/real_data_report CONFIG [MODEL] [--season M]
//   e.g. build/examples/real_data_report examples/real_data/elnino.toml runs/elnino/model.safetensors
#include <myelin/myelin.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <numeric>
#include <optional>
#include <string>

using namespace myelin;

namespace {

// Every example of `d` as one batch.
data::Batch all_of(const data::Dataset& d) {
  std::vector<int64_t> indices(static_cast<size_t>(d.size()));
  std::iota(indices.begin(), indices.end(), 0);
  return d.get_batch(indices);
}

// The outputs of `model` for `inputs`, without a graph.
Tensor outputs_of(const io::LoadedModel& model, const Tensor& inputs) {
  NoGradGuard no_grad;
  return (*model.module)(inputs);
}

void classification_report(const config::PreparedData& d, const std::optional<io::LoadedModel>& model) {
  // The majority class: the most frequent class index among the training targets.
  std::map<int64_t, int64_t> counts;
  const Tensor train_targets = all_of(*d.train).targets.contiguous();
  for (int64_t i = 0; i < train_targets.numel(); ++i) ++counts[static_cast<int64_t>(train_targets.data()[i])];
  int64_t majority = 0, most = -1;
  for (const auto& [label, count] : counts)
    if (count > most) majority = label, most = count;

  const data::Batch test = all_of(*d.test);
  const Tensor targets = test.targets.contiguous();
  int64_t hits = 0;
  for (int64_t i = 0; i < targets.numel(); ++i) hits += static_cast<int64_t>(targets.data()[i]) == majority;
  const std::string name = majority < static_cast<int64_t>(d.class_names.size())
                               ? d.class_names[static_cast<size_t>(majority)]
                               : std::to_string(majority);
  std::printf("training examples: %lld, test examples: %lld\n", static_cast<long long>(train_targets.numel()),
              static_cast<long long>(targets.numel()));
  std::printf("majority class (of the training part): %s, %lld of %lld\n", name.c_str(),
              static_cast<long long>(most), static_cast<long long>(train_targets.numel()));
  std::printf("test accuracy     majority class %.4f", static_cast<double>(hits) / static_cast<double>(targets.numel()));
  if (model) std::printf("   model %.4f", metrics::accuracy(outputs_of(*model, test.inputs), test.targets));
  std::printf("\n");
}

// Seasonal naive forecasts of windows `inputs` (N, window, inputs), scaled as the inputs, step-major
// (N, horizon * targets): step s of target k is the target's value `season` rows before it, repeating
// the window's last season for steps beyond one season.
Tensor seasonal_naive(const Tensor& inputs, const config::SeriesPreparation& s, int64_t season) {
  const int64_t n = inputs.size(0), window = inputs.size(1), width = inputs.size(2);
  const int64_t targets = static_cast<int64_t>(s.target_indices.size());
  if (season > window)
    throw Error("seasonal naive: the season (" + std::to_string(season) + " rows) is longer than the window (" +
                std::to_string(window) + " rows); use a window of at least one season");
  std::vector<int64_t> column(static_cast<size_t>(targets), -1);  // each target's place among the inputs
  for (int64_t k = 0; k < targets; ++k)
    for (size_t j = 0; j < s.input_indices.size(); ++j)
      if (s.input_indices[j] == s.target_indices[static_cast<size_t>(k)]) column[static_cast<size_t>(k)] = static_cast<int64_t>(j);
  for (int64_t k = 0; k < targets; ++k)
    if (column[static_cast<size_t>(k)] < 0) throw Error("seasonal naive: target '" + s.targets[static_cast<size_t>(k)] + "' is not an input");

  const Tensor x = inputs.contiguous();
  Tensor out = Tensor::empty({n, s.horizon * targets});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t step = 0; step < s.horizon; ++step)
      for (int64_t k = 0; k < targets; ++k) {
        const int64_t row = window - season + step % season;
        out.data()[i * s.horizon * targets + step * targets + k] =
            x.data()[(i * window + row) * width + column[static_cast<size_t>(k)]];
      }
  return out;
}

// Persistence of the anomaly for the test forecasts (N, horizon, targets) whose persistence
// forecasts (in units) are `persistence` and whose first target row is `first` of `table`.
Tensor anomaly_persistence(const Tensor& persistence, const data::SeriesTable& table, const config::SeriesPreparation& s,
                           int64_t first, int64_t season) {
  const int64_t n = persistence.size(0), targets = persistence.size(2), width = table.values.size(1);
  const int half_width = static_cast<int>(182 / season);
  std::vector<int> day(table.dates.size());
  for (size_t r = 0; r < day.size(); ++r) day[r] = data::day_of_year(table.dates[r]);
  // The mean of target k over the training rows near day of the year d.
  const auto seasonal_mean = [&](int d, int64_t k) {
    double sum = 0;
    int64_t count = 0;
    for (int64_t r = 0; r < s.part_rows[0]; ++r) {
      const int apart = std::abs(day[static_cast<size_t>(r)] - d);
      const float v = table.values.data()[r * width + s.target_indices[static_cast<size_t>(k)]];
      if (std::min(apart, 366 - apart) > half_width || std::isnan(v)) continue;
      sum += v;
      ++count;
    }
    return count ? sum / static_cast<double>(count) : std::nan("");
  };
  const Tensor last = persistence.contiguous();
  Tensor out = Tensor::empty({n, s.horizon, targets});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t step = 0; step < s.horizon; ++step)
      for (int64_t k = 0; k < targets; ++k) {
        const int64_t at = (i * s.horizon + step) * targets + k;
        out.data()[at] = static_cast<float>(last.data()[at] - seasonal_mean(day[static_cast<size_t>(first + i - 1)], k) +
                                            seasonal_mean(day[static_cast<size_t>(first + i + step)], k));
      }
  return out;
}

void series_report(const config::RunConfig& c, const config::PreparedData& d, const std::optional<io::LoadedModel>& model,
                   int64_t season) {
  const config::SeriesPreparation& s = *d.time_series;
  const data::Batch test = all_of(*d.test);
  const int64_t n = test.inputs.size(0);

  // Forecasts (N, horizon, targets) in the targets' units.
  const Tensor actual = config::forecast_in_units(s, test.inputs, test.targets);
  const Tensor persistence = data::unscale_targets(
      data::persistence_forecast(test.inputs, s.input_indices, s.target_indices, s.horizon), s.scaler, s.target_indices);
  const Tensor seasonal = data::unscale_targets(seasonal_naive(test.inputs, s, season), s.scaler, s.target_indices);
  std::optional<Tensor> forecast;
  if (model) forecast = config::forecast_in_units(s, test.inputs, outputs_of(*model, test.inputs));

  // The test rows forecast: the last example's last step is the series' last row.
  const int64_t rows = std::accumulate(s.part_rows.begin(), s.part_rows.end(), int64_t{0});
  const int64_t first = rows - (s.horizon - 1) - n;
  const data::SeriesTable table = data::read_series_table(c.data.path("file"), s.columns);
  std::printf("rows: %lld (train %lld, validation %lld, test %lld); test forecasts: %lld",
              static_cast<long long>(rows), static_cast<long long>(s.part_rows[0]),
              static_cast<long long>(s.part_rows[1]), static_cast<long long>(s.part_rows[2]),
              static_cast<long long>(n));
  if (static_cast<int64_t>(table.dates.size()) == rows)
    std::printf(", %s .. %s", table.dates[static_cast<size_t>(first)].c_str(),
                table.dates[static_cast<size_t>(first + n + s.horizon - 2)].c_str());
  std::printf(" (%lld step%s ahead)\n", static_cast<long long>(s.horizon), s.horizon == 1 ? "" : "s");
  std::optional<Tensor> anomaly;
  if (static_cast<int64_t>(table.dates.size()) == rows && first >= 1)
    anomaly = anomaly_persistence(persistence, table, s, first, season);

  std::printf("%-22s %-16s %-16s %-20s %-16s\n", "test error (units)", "model", "persistence",
              ("seasonal naive (" + std::to_string(season) + ")").c_str(), "anomaly persistence");
  for (int64_t k = 0; k < static_cast<int64_t>(s.targets.size()); ++k) {
    const auto errors = [&](const Tensor& f) {
      const Tensor a = actual.select(2, k).contiguous(), p = f.select(2, k).contiguous();
      char text[64];
      std::snprintf(text, sizeof text, "%.3f / %.3f", metrics::mae(p, a), metrics::rmse(p, a));
      return std::string(text);
    };
    std::printf("  %-20s %-16s %-16s %-20s %-16s   (MAE / RMSE)\n", s.targets[static_cast<size_t>(k)].c_str(),
                forecast ? errors(*forecast).c_str() : "-", errors(persistence).c_str(), errors(seasonal).c_str(),
                anomaly ? errors(*anomaly).c_str() : "-");
  }
}

}  // namespace

int main(int argc, char** argv) try {
  std::string config_path, model_path;
  int64_t season = 12;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--season") && i + 1 < argc) season = std::atoll(argv[++i]);
    else if (config_path.empty()) config_path = argv[i];
    else if (model_path.empty()) model_path = argv[i];
    else throw Error(std::string("unexpected argument '") + argv[i] + "'");
  }
  if (config_path.empty() || season < 1) throw Error("usage: real_data_report CONFIG [MODEL] [--season M]");

  const config::RunConfig c = config::load_config(config_path);
  const config::PreparedData d = config::load_data(c);
  if (!d.test) throw Error(config_path + ": the report needs a test part (test_split, split or a test file)");
  std::optional<io::LoadedModel> model;
  if (!model_path.empty()) model = io::load_model(model_path);

  if (d.time_series) series_report(c, d, model, season);
  else if (c.loss.classifies()) classification_report(d, model);
  else throw Error(config_path + ": the report knows classification and time series configs");
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
