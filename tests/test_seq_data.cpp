// Sequence datasets: next-token windows, sliding windows, and the time-series split, whose
// scaling must be fitted on training rows only.
#include <gtest/gtest.h>

#include "myelin/myelin.hpp"
#include "temp_dir.hpp"

namespace myelin::data {
namespace {

TEST(SeqData, TokenWindowsAreShiftedByOne) {
  const TokenSequenceDataset ds(Tensor::arange(10), 4);  // windows at 0 and 4; 8 would need 13 tokens
  ASSERT_EQ(ds.size(), 2);
  const Example e = ds.get(1);
  EXPECT_EQ(e.input.to_vector(), (std::vector<float>{4, 5, 6, 7}));
  EXPECT_EQ(e.target.to_vector(), (std::vector<float>{5, 6, 7, 8}));
  const std::vector<int64_t> idx{1, 0};
  const Batch b = ds.get_batch(idx);
  EXPECT_EQ(b.inputs.shape(), (Shape{2, 4}));
  EXPECT_EQ(b.targets.at({1, 3}), 4.f);
  EXPECT_EQ(TokenSequenceDataset(Tensor::arange(10), 4, 1).size(), 6);
  EXPECT_THROW(TokenSequenceDataset(Tensor::arange(4), 4), Error);
}

TEST(SeqData, WindowsTakeInputAndTargetColumns) {
  // Column 0 is t, column 1 is 10 t.
  std::vector<float> v;
  for (int t = 0; t < 6; ++t) v.insert(v.end(), {float(t), 10.f * t});
  const WindowDataset ds(Tensor::from_vector(v, {6, 2}), {0, 1}, {1}, 3, 2);
  ASSERT_EQ(ds.size(), 2);
  const Example e = ds.get(1);
  EXPECT_EQ(e.input.shape(), (Shape{3, 2}));
  EXPECT_EQ(e.input.at({2, 0}), 3.f);
  EXPECT_EQ(e.target.to_vector(), (std::vector<float>{40, 50}));
  EXPECT_THROW(WindowDataset(Tensor::zeros({6, 2}), {2}, {0}, 3), Error);
}

TEST(SeqData, ValidationAndTestRowsNeverReachTheScaler) {
  // 20 training rows of 1..20, then validation and test rows of 1e6: any leak moves the mean.
  std::vector<float> v;
  for (int i = 0; i < 40; ++i) v.push_back(i < 20 ? float(i + 1) : 1e6f);
  TimeSeriesOptions o;
  o.input_columns = {"temp"};
  o.target_columns = {"temp"};
  o.window = 3;
  o.parts = {20, 10, 10};
  const TimeSeriesData d = make_time_series(Tensor::from_vector(v, {40, 1}), {"temp"}, o);
  EXPECT_FLOAT_EQ(d.scaler.mean().item(), 10.5f);
  EXPECT_EQ(d.train->size(), 20 - 3);
  EXPECT_EQ(d.validation->size(), 10);  // its windows read the training rows before it
  // The first training window is the first rows, scaled; the last training target is row 19.
  EXPECT_NEAR(d.train->get(0).input.at({0, 0}), (1 - 10.5f) / d.scaler.std().item(), 1e-5f);
  EXPECT_NEAR(d.train->get(16).target.item(), (20 - 10.5f) / d.scaler.std().item(), 1e-5f);
  o.parts = {3, 20, 10};  // a training part shorter than window + horizon
  EXPECT_THROW(make_time_series(Tensor::from_vector(std::vector<float>(33, 0.f), {33, 1}), {"temp"}, o), Error);
}

TEST(SeqData, TimeSeriesFromCsvColumns) {
  myelin::testing::TempDir dir;
  std::string csv = "day,temp,rain,wind\n";
  for (int i = 0; i < 40; ++i)
    csv += std::to_string(i) + "," + std::to_string(i * 2) + "," + std::to_string(i % 3) + ",7\n";
  const std::string path = dir.write("w.csv", csv);
  TimeSeriesOptions o;
  o.input_columns = {"rain", "temp"};
  o.target_columns = {"temp", "wind"};
  o.window = 4;
  o.standardize = false;
  const TimeSeriesData d = read_time_series_csv(path, o);
  EXPECT_EQ(d.columns, (std::vector<std::string>{"rain", "temp", "wind"}));
  const Example e = d.train->get(0);
  EXPECT_EQ(e.input.to_vector(), (std::vector<float>{0, 0, 1, 2, 2, 4, 0, 6}));
  EXPECT_EQ(e.target.to_vector(), (std::vector<float>{8, 7}));
  o.target_columns = {"snow"};
  EXPECT_THROW(read_time_series_csv(path, o), Error);
}

}  // namespace
}  // namespace myelin::data
