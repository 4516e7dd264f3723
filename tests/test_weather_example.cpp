// The weather example on the real data (scripts/fetch-data weather, which `make test` runs):
// its LSTM and MLP configs, trained as `myelin train` would, must forecast 2015's next-day
// temperatures better than persistence (tomorrow = today); the LSTM by at least 5%.
#include <gtest/gtest.h>

#include <filesystem>

#include "myelin/myelin.hpp"

namespace myelin {
namespace {

// Mean absolute errors (C) on the test year of the trained model and of persistence.
std::pair<double, double> test_errors(const std::string& config_name) {
  const config::RunConfig c = config::load_config(std::string(MYELIN_DATA_DIR) + "/../examples/weather/" + config_name);
  const config::PreparedData d = config::load_data(c);
  const config::SeriesPreparation& s = *d.time_series;
  EXPECT_EQ(s.part_rows, (std::vector<int64_t>{1096, 0, 365}));  // 2012-2014 (a leap year), 2015

  manual_seed(c.train.seed);
  nn::ModulePtr model = config::build_model(c, d.input_shape);
  train::Trainer trainer(model, config::build_optimizer(c.optimizer, model->parameters()), config::build_loss(c.loss),
                         config::metrics_of(c));
  data::DataLoader loader(d.train, {.batch_size = c.train.batch_size, .shuffle = true, .seed = c.train.seed});
  trainer.fit(loader, c.train.epochs);

  const auto test = std::dynamic_pointer_cast<const data::TensorDataset>(d.test);
  const Tensor forecast = config::forecast_in_units(s, test->inputs(), trainer.predict(test->inputs()));
  const Tensor actual = config::forecast_in_units(s, test->inputs(), test->targets());
  const Tensor persistence = data::unscale_targets(
      data::persistence_forecast(test->inputs(), s.input_indices, s.target_indices, s.horizon), s.scaler, s.target_indices);
  return {metrics::mae(forecast, actual), metrics::mae(persistence, actual)};
}

TEST(WeatherExample, ModelsBeatPersistenceOnTheTestYear) {
  const std::string csv = std::string(MYELIN_DATA_DIR) + "/weather/seattle-weather.csv";
  ASSERT_TRUE(std::filesystem::exists(csv)) << csv << " is missing: run scripts/fetch-data weather";
  const auto [lstm, lstm_persistence] = test_errors("lstm.toml");
  EXPECT_LT(lstm, 0.95 * lstm_persistence) << "LSTM " << lstm << " C, persistence " << lstm_persistence << " C";
  const auto [mlp, mlp_persistence] = test_errors("mlp.toml");
  EXPECT_LT(mlp, mlp_persistence) << "MLP " << mlp << " C, persistence " << mlp_persistence << " C";
}

}  // namespace
}  // namespace myelin
