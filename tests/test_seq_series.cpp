// Series tables (numbers, one-hot categories, day of year), vocabularies, and the forecasting
// helpers: last window, persistence and un-scaling.
#include <gtest/gtest.h>

#include <cmath>

#include "myelin/myelin.hpp"
#include "temp_dir.hpp"

namespace myelin::data {
namespace {

TEST(SeqSeries, TableOneHotsCategoriesAndAddsTheSeason) {
  testing::TempDir dir;
  const std::string path = dir.write("w.csv", "date,t,sky\n2016/12/31,1.5,rain\n2017-01-01,2,sun\n2017-07-02,3,rain\n");
  SeriesColumns spec;
  spec.numbers = {"t"};
  spec.one_hot["sky"] = {};
  spec.date_column = "date";
  spec.day_of_year = true;
  const SeriesTable t = read_series_table(path, spec);
  EXPECT_EQ(t.columns, (std::vector<std::string>{"t", "sky=rain", "sky=sun", "day_of_year_sin", "day_of_year_cos"}));
  EXPECT_EQ(t.dates, (std::vector<std::string>{"2016-12-31", "2017-01-01", "2017-07-02"}));
  EXPECT_EQ(t.spec.one_hot.at("sky"), (std::vector<std::string>{"rain", "sun"}));
  EXPECT_EQ(t.values.at({0, 0}), 1.5f);
  EXPECT_EQ(t.values.at({1, 1}), 0.f);
  EXPECT_EQ(t.values.at({1, 2}), 1.f);
  EXPECT_NEAR(t.values.at({1, 3}), 0.f, 1e-6);  // 1 January: angle 0
  EXPECT_NEAR(t.values.at({0, 4}), 1.f, 1e-3);  // 31 December sits next to it
  EXPECT_NEAR(t.values.at({2, 4}), -1.f, 1e-2);  // early July: half a year on
  EXPECT_EQ(day_of_year("2016-12-31"), 366);
  EXPECT_EQ(day_of_year("2015-03-01"), 60);

  spec.one_hot["sky"] = {"sun"};  // a stored category list without "rain"
  EXPECT_THROW(read_series_table(path, spec), IoError);
  spec.one_hot["sky"] = {};
  dir.write("back.csv", "date,t,sky\n2017-01-02,1,sun\n2017-01-01,2,sun\n");
  try {
    read_series_table(dir.file("back.csv"), spec);
    FAIL() << "dates going back were accepted";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(":3: column 'date': date 2017-01-01 comes before the previous row's 2017-01-02"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(day_of_year("2015-02-29"), Error);
  EXPECT_THROW(iso_date("15-02-01"), Error);
}

TEST(SeqSeries, VocabularyEncodesAndDecodes) {
  const Vocabulary v = Vocabulary::of_text(Tensor::from_vector({98, 97, 98, 10}, {4}));  // "bab\n"
  EXPECT_EQ(v.symbols(), (std::vector<int>{10, 97, 98}));
  EXPECT_EQ(v.encode("ab\n"), (std::vector<int64_t>{1, 2, 0}));
  EXPECT_EQ(v.decode({2, 1, 0}), "ba\n");
  EXPECT_THROW(v.encode("abc"), Error);
  EXPECT_THROW(v.decode({3}), Error);
  EXPECT_THROW(Vocabulary({1, 1}), Error);
  EXPECT_EQ(Vocabulary::all_bytes().encode("A"), (std::vector<int64_t>{65}));
}

TEST(SeqSeries, ForecastHelpersScaleAndUnscale) {
  // Columns: a (input), b (input and target); rows b = 10 * row.
  std::vector<float> v;
  for (int r = 0; r < 6; ++r) v.insert(v.end(), {float(r), 10.f * r});
  const Tensor series = Tensor::from_vector(v, {6, 2});
  Standardizer scaler;
  scaler.fit(series.slice(0, 0, 4));
  const Tensor w = last_window(series, scaler, {1, 0}, 3);  // rows 3..5, columns b then a
  EXPECT_EQ(w.shape(), (Shape{1, 3, 2}));
  EXPECT_NEAR(w.at({0, 2, 0}), (50 - scaler.mean().at({1})) / scaler.std().at({1}), 1e-5);
  EXPECT_THROW(last_window(series, scaler, {0}, 7), Error);

  const Tensor p = persistence_forecast(w, {1, 0}, {1}, 2);  // b's last value, for 2 steps
  EXPECT_EQ(p.shape(), (Shape{1, 2}));
  const Tensor back = unscale_targets(p, scaler, {1});
  EXPECT_EQ(back.shape(), (Shape{1, 2, 1}));
  EXPECT_NEAR(back.at({0, 1, 0}), 50.f, 1e-4);
  EXPECT_THROW(persistence_forecast(w, {1, 0}, {2}, 1), Error);  // column 2 is not an input
}

TEST(SeqSeries, LineChartDrawsEverySeries) {
  const std::string svg = viz::line_chart_svg({{"actual", {1, 2, std::nan(""), 4}, false}, {"forecast <1>", {1, 2, 3, 3}, true}},
                                              {.title = "t", .y_label = "C", .x_ticks = {{0, "Jan"}}});
  EXPECT_NE(svg.find("forecast &lt;1&gt;"), std::string::npos);
  EXPECT_NE(svg.find(">Jan<"), std::string::npos);
  size_t lines = 0;
  for (size_t at = 0; (at = svg.find("<polyline", at)) != std::string::npos; ++at) ++lines;
  EXPECT_EQ(lines, 2u);  // the NaN splits "actual" into runs of 2 and 1 points; only the first is a line
  EXPECT_THROW(viz::line_chart_svg({{"a", {1}, false}}), Error);
  EXPECT_THROW(viz::line_chart_svg({{"a", {1, 2}, false}, {"b", {1, 2, 3}, false}}), Error);
}

}  // namespace
}  // namespace myelin::data
