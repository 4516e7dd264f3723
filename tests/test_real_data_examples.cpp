// The real-data examples (examples/real_data/README.md) on their files as they come, fetched by
// `scripts/fetch-data real` (which `make test` runs): each config, trained as `myelin train`
// would, must clearly beat a simple baseline on its own test part: the majority class for the
// penguins table and the digit pictures.
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

}  // namespace
}  // namespace myelin
