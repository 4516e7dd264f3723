// The csv source's [data] keys through load_config and load_data: columns by index, the ordered
// split, and gaps filled with the means of the training part only.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "myelin/config/config.hpp"
#include "temp_dir.hpp"

namespace myelin::testing {
namespace {

const char* kModel = "\n[model]\n[[model.layers]]\ntype = \"Linear\"\nunits = 1\n\n[loss]\ntype = \"mse\"\n";

config::PreparedData load(const TempDir& dir, const std::string& data_keys) {
  const std::string path = dir.write("c.toml", "[data]\nsource = \"csv\"\n" + data_keys + kModel);
  const config::RunConfig c = config::load_config(path);
  return config::load_data(c);
}

// Every row of a data set, as one batch.
data::Batch all_rows(const data::Dataset& set) {
  std::vector<int64_t> rows(static_cast<size_t>(set.size()));
  std::iota(rows.begin(), rows.end(), 0);
  return set.get_batch(rows);
}

TEST(ConfigCsv, IndicesAndAnOrderedSplit) {
  TempDir dir;
  std::ostringstream rows;
  for (int i = 0; i < 10; ++i) rows << i << "," << 10 * i << "," << i % 2 << "\n";
  dir.write("t.csv", rows.str());
  const config::PreparedData d =
      load(dir, "train = \"t.csv\"\nheader = false\nlabel = 0\nfeatures = [-2]\nsplit = [5, 3, 2]\n");
  EXPECT_EQ(d.label_column, "0");
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"1"}));
  ASSERT_TRUE(d.validation && d.test);
  // Parts in file order: rows 0-4 train, 5-7 validate, 8-9 test.
  EXPECT_EQ(all_rows(*d.train).targets.to_vector(), (std::vector<float>{0, 1, 2, 3, 4}));
  EXPECT_EQ(all_rows(*d.validation).inputs.to_vector(), (std::vector<float>{50, 60, 70}));
  EXPECT_EQ(all_rows(*d.test).targets.to_vector(), (std::vector<float>{8, 9}));
}

TEST(ConfigCsv, GapsTakeTheMeanOfTheTrainingPartOnly) {
  TempDir dir;
  // Column x has gaps in training rows; the held-out rows have large values that must not count.
  std::ostringstream rows;
  rows << "x,y\n";
  for (int i = 0; i < 20; ++i) rows << (i % 5 == 0 ? std::string("NA") : std::to_string(i < 12 ? i : 1000 + i)) << ",1\n";
  dir.write("t.csv", rows.str());
  const config::PreparedData d = load(dir, "train = \"t.csv\"\nlabel = \"y\"\nmissing = \"mean\"\nsplit = [0.6, 0, 0.4]\n");
  ASSERT_TRUE(d.csv);
  // Training rows 0..11 with gaps at 0, 5 and 10: the mean of the other nine.
  const float expected = (1 + 2 + 3 + 4 + 6 + 7 + 8 + 9 + 11) / 9.f;
  ASSERT_EQ(d.csv->fill_values.size(), 1u);
  EXPECT_FLOAT_EQ(d.csv->fill_values[0], expected);
  EXPECT_EQ(d.csv->cells_filled, 4);  // rows 0, 5, 10 and 15
  const std::vector<float> train = all_rows(*d.train).inputs.to_vector();
  EXPECT_FLOAT_EQ(train[0], expected);
  EXPECT_FLOAT_EQ(train[1], 1.f);
  const std::vector<float> test = all_rows(*d.test).inputs.to_vector();
  EXPECT_FLOAT_EQ(test[15 - 12], expected);  // a held-out gap takes the training mean too
}

TEST(ConfigCsv, RandomHoldOutFillsWithTheRemainingTrainingRowsMeans) {
  TempDir dir;
  std::ostringstream rows;
  rows << "x,y\n";
  for (int i = 0; i < 40; ++i) rows << (i % 4 == 0 ? std::string("") : std::to_string(i * i)) << ",1\n";
  dir.write("t.csv", rows.str());
  const config::PreparedData d = load(dir, "train = \"t.csv\"\nlabel = \"y\"\nmissing = \"mean\"\ntest_split = 0.5\n");
  ASSERT_TRUE(d.csv && d.test);
  // Filling with their own mean leaves the training rows' mean unchanged; the file's mean differs.
  const std::vector<float> train = all_rows(*d.train).inputs.to_vector();
  const double train_mean = std::accumulate(train.begin(), train.end(), 0.0) / static_cast<double>(train.size());
  EXPECT_NEAR(d.csv->fill_values[0], train_mean, 1e-3);
  for (float v : all_rows(*d.test).inputs.to_vector()) EXPECT_FALSE(std::isnan(v));
}

}  // namespace
}  // namespace myelin::testing
