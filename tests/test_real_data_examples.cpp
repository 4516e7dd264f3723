// The real-data examples (examples/real_data/README.md) on their files as they come, fetched by
// `scripts/fetch-data real` (which `make test` runs): each config, trained as `myelin train`
// would, must clearly beat a simple baseline on its own test part: the majority class for the
// penguins table and the digit pictures, persistence and the same month (week) a year
// before for the El Nino (CO2) series.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>

#include "myelin/myelin.hpp"

namespace myelin {
namespace {

const std::string kExamples = std::string(MYELIN_SOURCE_DIR) + "/examples/real_data/";
const std::string kData = std::string(MYELIN_DATA_DIR) + "/real/";

// Every example of `d` as one batch.
data::Batch all_of(const data::Dataset& d) {
  std::vector<int64_t> indices(static_cast<size_t>(d.size()));
  std::iota(indices.begin(), indices.end(), 0);
  return d.get_batch(indices);
}

// A config's data and its model trained as the config says.
struct TrainedExample {
  config::PreparedData data;
  nn::ModulePtr model;
};

TrainedExample train_example(const std::string& config_name) {
  const config::RunConfig c = config::load_config(kExamples + config_name);
  TrainedExample run{config::load_data(c), nullptr};
  manual_seed(c.train.seed);
  run.model = config::build_model(c, run.data.input_shape);
  train::Trainer trainer(run.model, config::build_optimizer(c.optimizer, run.model->parameters()),
                         config::build_loss(c.loss), config::metrics_of(c));
  data::DataLoader loader(run.data.train, {.batch_size = c.train.batch_size, .shuffle = true, .seed = c.train.seed});
  trainer.fit(loader, c.train.epochs);
  run.model->eval();
  return run;
}

Tensor outputs_of(const TrainedExample& run, const Tensor& inputs) {
  NoGradGuard no_grad;
  return (*run.model)(inputs);
}

// Test accuracy of the trained model and of always answering the training part's majority class.
std::pair<double, double> accuracy_and_majority(const TrainedExample& run) {
  std::map<float, int64_t> counts;
  for (float label : all_of(*run.data.train).targets.to_vector()) ++counts[label];
  const float majority = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) {
                           return a.second < b.second;
                         })->first;
  const data::Batch test = all_of(*run.data.test);
  const std::vector<float> labels = test.targets.to_vector();
  const double majority_accuracy =
      static_cast<double>(std::count(labels.begin(), labels.end(), majority)) / static_cast<double>(labels.size());
  return {metrics::accuracy(outputs_of(run, test.inputs), test.targets), majority_accuracy};
}

#define SKIP_WITHOUT(file)                                                                  \
  if (!std::filesystem::exists(kData + file))                                               \
  GTEST_SKIP() << kData << file << " is missing: run scripts/fetch-data real"

TEST(RealDataExamples, PenguinsTableWithGapsAndWordLabels) {
  SKIP_WITHOUT("penguins.csv");
  const TrainedExample run = train_example("penguins.toml");
  EXPECT_EQ(run.data.class_names, (std::vector<std::string>{"Adelie", "Chinstrap", "Gentoo"}));
  EXPECT_EQ(run.data.train->size() + run.data.test->size(), 342);  // 344 rows, 2 dropped for NA
  const auto [accuracy, majority] = accuracy_and_majority(run);
  EXPECT_GT(accuracy, 0.95) << "majority class: " << majority;
  EXPECT_LT(majority, 0.6);
}

TEST(RealDataExamples, DigitPicturesFromAHeaderlessTable) {
  SKIP_WITHOUT("digits.csv");
  const TrainedExample run = train_example("digits.toml");
  EXPECT_EQ(run.data.train->size() + run.data.test->size(), 1797);  // the first row is data too
  const auto [accuracy, majority] = accuracy_and_majority(run);
  EXPECT_EQ(run.data.test->size(), 449);                              // the last quarter of the rows
  EXPECT_GT(accuracy, 0.92) << "majority class: " << majority;  // a linear classifier: 0.90
  EXPECT_LT(majority, 0.15);
}

// Test MAEs, in the target's units, of the trained model, persistence (the window's last value)
// and seasonal naive (the value `season` rows before the target, read from the window).
struct SeriesErrors {
  double model, persistence, seasonal_naive;
};

SeriesErrors series_errors(const TrainedExample& run, int64_t season) {
  const config::SeriesPreparation& s = *run.data.time_series;
  const data::Batch test = all_of(*run.data.test);
  const int64_t n = test.inputs.size(0), window = test.inputs.size(1);
  EXPECT_EQ(s.horizon, 1);
  EXPECT_GE(window, season);
  const Tensor actual = config::forecast_in_units(s, test.inputs, test.targets);
  const Tensor forecast = config::forecast_in_units(s, test.inputs, outputs_of(run, test.inputs));
  const Tensor persistence = data::unscale_targets(
      data::persistence_forecast(test.inputs, s.input_indices, s.target_indices, s.horizon), s.scaler, s.target_indices);
  const auto column = std::find(s.input_indices.begin(), s.input_indices.end(), s.target_indices[0]) - s.input_indices.begin();
  Tensor seasonal = Tensor::empty({n, 1});
  for (int64_t i = 0; i < n; ++i) seasonal.data()[i] = test.inputs.at({i, window - season, column});
  seasonal = data::unscale_targets(seasonal, s.scaler, s.target_indices);
  return {metrics::mae(forecast, actual), metrics::mae(persistence, actual), metrics::mae(seasonal, actual)};
}

TEST(RealDataExamples, ElNinoWideTableBeatsPersistenceAndLastYear) {
  SKIP_WITHOUT("elnino.csv");
  const TrainedExample run = train_example("elnino.toml");
  const config::SeriesPreparation& s = *run.data.time_series;
  EXPECT_EQ(s.part_rows, (std::vector<int64_t>{480, 120, 132}));  // 1950-1989, 1990s, 2000-2010 by month
  EXPECT_EQ(run.data.test->size(), 132);                             // every test month is forecast
  const SeriesErrors e = series_errors(run, 12);
  EXPECT_LT(e.model, 0.6 * e.persistence) << "model " << e.model << " C, persistence " << e.persistence << " C";
  EXPECT_LT(e.model, 0.6 * e.seasonal_naive) << "model " << e.model << " C, last year " << e.seasonal_naive << " C";
}

TEST(RealDataExamples, Co2WeeklyWithYyyymmddDatesAndGapsBeatsPersistence) {
  SKIP_WITHOUT("co2.csv");
  const TrainedExample run = train_example("co2.toml");
  const config::SeriesPreparation& s = *run.data.time_series;
  EXPECT_EQ(s.part_rows, (std::vector<int64_t>{1658, 313, 313}));  // all 2,284 weeks: the 59 gaps interpolated
  const SeriesErrors e = series_errors(run, 52);
  EXPECT_LT(e.model, 0.95 * e.persistence) << "model " << e.model << " ppm, persistence " << e.persistence << " ppm";
  EXPECT_LT(e.model, 0.5 * e.seasonal_naive) << "model " << e.model << " ppm, last year " << e.seasonal_naive << " ppm";
}

}  // namespace
}  // namespace myelin
