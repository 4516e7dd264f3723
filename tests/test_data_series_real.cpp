// Time series as people have them: dates in many forms, wide tables (a row per year), gaps
// (error, drop, training mean, interpolation), forecasts of every test row, and errors in the
// targets' own units.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "expect_error.hpp"
#include "myelin/data/series_gaps.hpp"
#include "myelin/data/time_series.hpp"
#include "myelin/error.hpp"
#include "temp_dir.hpp"

namespace myelin::data {
namespace {

using myelin::testing::expect_error;
using myelin::testing::TempDir;

std::vector<float> column(const SeriesTable& t, int64_t c) {
  std::vector<float> out;
  for (int64_t r = 0; r < t.values.size(0); ++r) out.push_back(t.values.at({r, c}));
  return out;
}

TEST(SeriesDates, WrittenFormsBecomeIsoStringsInTimeOrder) {
  EXPECT_EQ(iso_date("2024-01-05"), "2024-01-05");
  EXPECT_EQ(iso_date("2024/01/05"), "2024-01-05");
  EXPECT_EQ(iso_date("20240105"), "2024-01-05");
  EXPECT_EQ(iso_date("2024"), "2024");
  EXPECT_EQ(iso_date("2024-02"), "2024-02");
  EXPECT_EQ(iso_date("2024/02"), "2024-02");
  EXPECT_EQ(iso_date("2024-01-05T13:00"), "2024-01-05T13:00:00");
  EXPECT_EQ(iso_date("2024-01-05T13:00:07"), "2024-01-05T13:00:07");
  EXPECT_EQ(iso_date("2024-01-05T13:00:07Z"), "2024-01-05T13:00:07");
  EXPECT_EQ(iso_date("2024-01-05 13:00"), "2024-01-05T13:00:00");
  // A period sorts before the periods inside it and after the ones before it.
  EXPECT_LT(iso_date("2023-12-31T23:59"), iso_date("2024"));
  EXPECT_LT(iso_date("2024"), iso_date("2024-01"));
  EXPECT_LT(iso_date("2024-01"), iso_date("20240101"));
  EXPECT_LT(iso_date("2024-01-01"), iso_date("2024-01-01 00:00"));

  expect_error([] { iso_date("2024-13-01"); }, "'2024-13-01' is not a date: month 13 is outside 1..12");
  expect_error([] { iso_date("2023-02-29"); }, "day 29 is outside 1..28");
  expect_error([] { iso_date("2024-01-05T24:00"); }, "hour 24 is outside 0..23");
  expect_error([] { iso_date("15-02-01"); }, "expected YYYY-MM-DD");
  expect_error([] { iso_date("2024-01-05X13:00"); }, "is not a date");
  expect_error([] { iso_date("2024-1-5"); }, "is not a date");

  EXPECT_EQ(day_of_year("2016-12-31"), 366);
  EXPECT_EQ(day_of_year("20150301"), 60);
  EXPECT_EQ(day_of_year("2015-03"), 60);
  EXPECT_EQ(day_of_year("2015"), 1);
  EXPECT_EQ(day_of_year("2015-03-01T18:00"), 60);
  EXPECT_EQ(seconds_since_epoch("1970-01-02T01:00:01"), 86400.0 + 3600 + 1);
  EXPECT_EQ(seconds_since_epoch("2000-03-01") - seconds_since_epoch("2000-02-28"), 2 * 86400.0);  // 2000 is leap
  EXPECT_LT(seconds_since_epoch("1969-12-31"), 0.0);
}

TEST(SeriesDates, ExplicitFormatReadsOtherOrders) {
  EXPECT_EQ(iso_date("05.01.2024", "%d.%m.%Y"), "2024-01-05");
  EXPECT_EQ(iso_date("5.1.2024", "%d.%m.%Y"), "2024-01-05");
  EXPECT_EQ(iso_date("01/2024", "%m/%Y"), "2024-01");
  EXPECT_EQ(iso_date("2024-01-05 7h30", "%Y-%m-%d %Hh%M"), "2024-01-05T07:30:00");
  EXPECT_EQ(iso_date("100% 2024", "100%% %Y"), "2024");
  expect_error([] { iso_date("2024-01-05", "%d.%m.%Y"); }, "expected '.' at character 3 (date_format '%d.%m.%Y')");
  expect_error([] { iso_date("05.01.2024x", "%d.%m.%Y"); }, "unexpected text after the format's end");
  expect_error([] { iso_date("31.02.2024", "%d.%m.%Y"); }, "day 31 is outside 1..29");
  expect_error([] { check_date_format("%d.%m"); }, "has no %Y");
  expect_error([] { check_date_format("%Y-%d"); }, "has %d but no %m");
  expect_error([] { check_date_format("%Y-%m %H"); }, "has a time of day but no %d");
  expect_error([] { check_date_format("%Y %b"); }, "%b is not one of %Y %m %d %H %M %S %%");
}

TEST(SeriesDates, TablesReadEveryFormAndKeepTimeOrder) {
  TempDir dir;
  SeriesColumns spec;
  spec.numbers = {"t"};
  spec.date_column = "when";
  spec.day_of_year = true;
  const SeriesTable compact = read_series_table(dir.write("a.csv", "when,t\n20231231,1\n20240101,2\n"), spec);
  EXPECT_EQ(compact.dates, (std::vector<std::string>{"2023-12-31", "2024-01-01"}));
  EXPECT_EQ(compact.lines, (std::vector<int64_t>{2, 3}));
  EXPECT_NEAR(compact.values.at({1, 1}), 0.f, 1e-6);  // 1 January: angle 0

  const SeriesTable hourly =
      read_series_table(dir.write("b.csv", "when,t\n2024-01-05T23:00Z,1\n2024-01-06 00:00,2\n"), spec);
  EXPECT_EQ(hourly.dates, (std::vector<std::string>{"2024-01-05T23:00:00", "2024-01-06T00:00:00"}));

  spec.date_format = "%d.%m.%Y";
  const SeriesTable dotted = read_series_table(dir.write("c.csv", "when,t\n30.12.2023,1\n02.01.2024,2\n"), spec);
  EXPECT_EQ(dotted.dates, (std::vector<std::string>{"2023-12-30", "2024-01-02"}));
  const std::string back = dir.write("d.csv", "when,t\n02.01.2024,1\n30.12.2023,2\n");
  expect_error<IoError>([&] { read_series_table(back, spec); },
                        {back + ":3: column 'when': date 2023-12-30 comes before the previous row's 2024-01-02"});
  const std::string iso = dir.write("e.csv", "when,t\n2024-01-02,1\n");
  expect_error<IoError>([&] { read_series_table(iso, spec); }, {iso + ":2: column 'when': '2024-01-02' is not a date"});
  spec.date_format = "%d.%q";
  expect_error([&] { read_series_table(iso, spec); }, "%q is not one of");
}

// A NOAA-style table: a row per year, a column per month, "-99.99" for months not yet measured.
const char* kWide =
    "Year,Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec,Annual\n"
    "1999,1,2,3,4,5,6,7,8,9,10,11,12,6.5\n"
    "2000,13,14,15,16,17,18,19,20,21,22,23,24,18.5\n"
    "2001,25,26,-99.99,-99.99,-99.99,-99.99,-99.99,-99.99,-99.99,-99.99,-99.99,-99.99,\n";

SeriesColumns wide_spec() {
  SeriesColumns spec;
  spec.wide = {.year_column = "Year",
               .value_columns = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
               .name = "co2"};
  spec.numbers = {"co2"};
  spec.missing_values = {"-99.99"};
  return spec;
}

TEST(SeriesWide, ARowPerYearBecomesOneSeriesInTimeOrder) {
  TempDir dir;
  const std::string path = dir.write("wide.csv", kWide);
  SeriesColumns spec = wide_spec();
  spec.missing = SeriesMissing::drop;  // the months of 2001 not yet measured
  spec.day_of_year = true;
  const SeriesTable t = read_series_table(path, spec);
  EXPECT_EQ(t.columns, (std::vector<std::string>{"co2", "day_of_year_sin", "day_of_year_cos"}));
  ASSERT_EQ(t.values.size(0), 26);
  for (int64_t r = 0; r < 26; ++r) EXPECT_EQ(t.values.at({r, 0}), r + 1.f);
  EXPECT_EQ(t.dates.front(), "1999-01");
  EXPECT_EQ(t.dates[11], "1999-12");
  EXPECT_EQ(t.dates.back(), "2001-02");
  EXPECT_EQ(t.lines[12], 3);
  EXPECT_EQ(t.sources[13], "Feb");
  EXPECT_NEAR(t.values.at({6, 2}), -1.f, 2e-2);  // July: half a year after January

  // Quarters: four value columns are periods starting in months 1, 4, 7 and 10.
  spec = wide_spec();
  spec.missing = SeriesMissing::drop;
  spec.wide.value_columns = {"Jan", "Feb", "Mar", "Apr"};
  EXPECT_EQ(read_series_table(path, spec).dates[1], "1999-04");

  // The default policy names the first gap and what to do about it.
  expect_error<IoError>([&] { read_series_table(path, wide_spec()); },
                        {path + ":4: column 'Mar': missing value '-99.99', expected a number", "missing = \"drop\""});
  spec = wide_spec();
  spec.wide.value_columns = {"Jan", "Feb", "Mar", "Apr", "May"};
  expect_error([&] { read_series_table(path, spec); }, "needs 12 value columns");
  spec = wide_spec();
  spec.numbers = {"co3"};
  expect_error([&] { read_series_table(path, spec); }, "'co3' is not it");
  spec = wide_spec();
  spec.one_hot["Annual"] = {};
  expect_error([&] { read_series_table(path, spec); }, "no date_column or one_hot");
  const std::string bad_year = dir.write("y.csv", "Year,Jan\n99,1\n");
  spec = wide_spec();
  spec.wide.value_columns = {"Jan"};
  expect_error<IoError>([&] { read_series_table(bad_year, spec); }, {bad_year + ":2: column 'Year': '99' is not a date"});
}

// Rows of t over days 1..8 with gaps: empty, "NA", "nan", "?" and the user's "-999".
const char* kGappy =
    "date,t,u\n"
    "2024-01-01,1,10\n"
    "2024-01-02,,20\n"
    "2024-01-04,4,NA\n"
    "2024-01-05,5,nan\n"
    "2024-01-06,-999,60\n"
    "2024-01-07,7,?\n"
    "2024-01-08,8,80\n";

SeriesColumns gappy_spec(SeriesMissing policy) {
  SeriesColumns spec;
  spec.numbers = {"t", "u"};
  spec.date_column = "date";
  spec.missing = policy;
  spec.missing_values = {"-999"};
  return spec;
}

TEST(SeriesGaps, EachPolicyReadsGaps) {
  TempDir dir;
  const std::string path = dir.write("g.csv", kGappy);
  expect_error<IoError>([&] { read_series_table(path, gappy_spec(SeriesMissing::error)); },
                        {path + ":3: column 't': missing value '', expected a number",
                         "set missing = \"drop\", \"mean\" or \"interpolate\""});

  const SeriesTable dropped = read_series_table(path, gappy_spec(SeriesMissing::drop));
  EXPECT_EQ(dropped.dates, (std::vector<std::string>{"2024-01-01", "2024-01-08"}));
  EXPECT_EQ(column(dropped, 1), (std::vector<float>{10, 80}));

  // mean and interpolate keep the gaps as NaN, for make_time_series (or fill_series_gaps).
  const SeriesTable kept = read_series_table(path, gappy_spec(SeriesMissing::interpolate));
  EXPECT_EQ(kept.values.size(0), 7);
  EXPECT_TRUE(std::isnan(kept.values.at({1, 0})));
  EXPECT_TRUE(std::isnan(kept.values.at({4, 0})));  // "-999"
  EXPECT_TRUE(std::isnan(kept.values.at({5, 1})));  // "?"
  EXPECT_TRUE(has_gaps(kept, {0}));

  // SeriesGaps::keep reads gaps as NaN even under error, so a caller can look first.
  const SeriesTable lenient = read_series_table(path, gappy_spec(SeriesMissing::error), SeriesGaps::keep);
  EXPECT_FALSE(has_gaps(table_rows(lenient, 5, 7), {0}));
  expect_error<IoError>([&] { fill_series_gaps(lenient, {0, 1}, path); }, {path + ":3: column 't': missing value"});

  // A date or category cannot be filled: an error unless its row is dropped.
  const std::string no_date = dir.write("d.csv", "date,t,u\n2024-01-01,1,2\n,3,4\n");
  expect_error<IoError>([&] { read_series_table(no_date, gappy_spec(SeriesMissing::mean)); },
                        {no_date + ":3: column 'date': missing date"});
  EXPECT_EQ(read_series_table(no_date, gappy_spec(SeriesMissing::drop)).values.size(0), 1);
}

TEST(SeriesGaps, InterpolationFollowsTheDatesAndTakesTheNearestValueAtTheEdges) {
  TempDir dir;
  const std::string path = dir.write("g.csv", kGappy);
  const SeriesTable t = read_series_table(path, gappy_spec(SeriesMissing::interpolate));
  const SeriesTable filled = fill_series_gaps(t, {0, 1}, path);
  // t: day 2 lies between day 1 (1) and day 4 (4), a third of the way: 2; day 6 between 5 and 7: 6.
  EXPECT_NEAR(filled.values.at({1, 0}), 2.f, 1e-5);
  EXPECT_NEAR(filled.values.at({4, 0}), 6.f, 1e-5);
  // u: days 4 and 5 between day 2 (20) and day 6 (60); day 7 between 60 and 80.
  EXPECT_NEAR(filled.values.at({2, 1}), 40.f, 1e-4);
  EXPECT_NEAR(filled.values.at({3, 1}), 50.f, 1e-4);
  EXPECT_NEAR(filled.values.at({5, 1}), 70.f, 1e-4);
  // Without times, by row; before the first and after the last value, that value.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Tensor edges = interpolate_gaps(Tensor::from_vector({nan, 1, nan, 3, nan}, {5, 1}));
  EXPECT_EQ(edges.to_vector(), (std::vector<float>{1, 1, 2, 3, 3}));
  expect_error([&] { interpolate_gaps(Tensor::from_vector({nan, nan}, {2, 1}), {}, {"snow"}); },
               "column 'snow' has no values");
  // Only the columns asked for are filled.
  const SeriesTable only_u = fill_series_gaps(t, {1}, path);
  EXPECT_TRUE(std::isnan(only_u.values.at({1, 0})));
  EXPECT_NEAR(only_u.values.at({5, 1}), 70.f, 1e-4);

  SeriesTable by_mean = t;
  by_mean.spec.missing = SeriesMissing::mean;
  expect_error([&] { fill_series_gaps(by_mean, {0}, path); }, "needs the training means");
  by_mean.spec.fill_values = {100, 200};
  EXPECT_EQ(fill_series_gaps(by_mean, {0, 1}, path).values.at({5, 1}), 200.f);
}

TimeSeriesOptions one_column_options(SeriesMissing missing, std::vector<double> parts) {
  TimeSeriesOptions o;
  o.input_columns = {"t"};
  o.target_columns = {"t"};
  o.window = 2;
  o.parts = std::move(parts);
  o.missing = missing;
  o.standardize = false;
  return o;
}

TEST(SeriesGaps, MeanFillUsesTheTrainingRowsOnly) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Training rows 1..4 with a gap (mean of 1, 2, 4 = 7/3); later rows are huge, gaps among them too.
  const Tensor series = Tensor::from_vector({1, nan, 2, 4, 1000, nan, 3000, 4000}, {8, 1});
  const TimeSeriesData d = make_time_series(series, {"t"}, one_column_options(SeriesMissing::mean, {4, 2, 2}));
  ASSERT_EQ(d.fill_values.size(), 1u);
  EXPECT_NEAR(d.fill_values[0], 7.f / 3, 1e-5);
  EXPECT_NEAR(d.train->get(0).input.at({1, 0}), 7.f / 3, 1e-5);
  EXPECT_NEAR(d.validation->get(1).target.item(), 7.f / 3, 1e-5);  // row 5, a validation gap

  // Interpolation stays within each part: the validation gap (row 5) lies between 1000 and
  // 3000, the training gap (row 1) between 1 and 2.
  const TimeSeriesData i = make_time_series(series, {"t"}, one_column_options(SeriesMissing::interpolate, {4, 2, 2}));
  EXPECT_NEAR(i.train->get(0).input.at({1, 0}), 1.5f, 1e-5);
  EXPECT_NEAR(i.validation->get(1).target.item(), 1000.f, 1e-3);  // the part's last row: its nearest value

  expect_error([&] { make_time_series(series, {"t"}, one_column_options(SeriesMissing::error, {4, 2, 2})); },
               "the series has gaps (NaN)");
  const Tensor empty_train = Tensor::from_vector({nan, nan, nan, nan, 1, 2, 3, 4}, {8, 1});
  expect_error([&] { make_time_series(empty_train, {"t"}, one_column_options(SeriesMissing::mean, {4, 2, 2})); },
               "column 't' has no values");
}

TEST(SeriesWindows, EveryValidationAndTestRowIsForecastFromTheRowsBeforeIt) {
  std::vector<float> v;
  for (int r = 0; r < 20; ++r) v.push_back(static_cast<float>(r));
  TimeSeriesOptions o = one_column_options(SeriesMissing::error, {10, 5, 5});
  o.window = 3;
  const TimeSeriesData d = make_time_series(Tensor::from_vector(v, {20, 1}), {"t"}, o);
  EXPECT_EQ(d.train->size(), 10 - 3);          // windows and targets inside the training rows
  EXPECT_EQ(d.train->get(6).target.item(), 9.f);
  EXPECT_EQ(d.validation->size(), 5);          // rows 10..14, each forecast
  EXPECT_EQ(d.validation->get(0).input.to_vector(), (std::vector<float>{7, 8, 9}));
  EXPECT_EQ(d.validation->get(0).target.item(), 10.f);
  EXPECT_EQ(d.test->size(), 5);
  EXPECT_EQ(d.test->get(0).target.item(), 15.f);
  EXPECT_EQ(d.test->get(4).target.item(), 19.f);

  // With a horizon of 2 the last row of a part is only ever a second step.
  o.horizon = 2;
  const TimeSeriesData h = make_time_series(Tensor::from_vector(v, {20, 1}), {"t"}, o);
  EXPECT_EQ(h.test->size(), 4);
  EXPECT_EQ(h.test->get(3).target.to_vector(), (std::vector<float>{18, 19}));
  o.parts = {19, 0, 1};
  expect_error([&] { make_time_series(Tensor::from_vector(v, {20, 1}), {"t"}, o); },
               "the test part has 1 rows, fewer than horizon = 2");
}

TEST(SeriesWindows, HugeWindowsAndHorizonsAreCleanErrors) {
  const int64_t huge = std::numeric_limits<int64_t>::max();
  const Tensor series = Tensor::zeros({30, 1});
  TimeSeriesOptions o = one_column_options(SeriesMissing::error, {20, 5, 5});
  o.window = huge;
  expect_error([&] { make_time_series(series, {"t"}, o); },
               "the train part has 20 rows, fewer than window + horizon = 9223372036854775808");
  o.window = 3;
  o.horizon = huge;
  expect_error([&] { make_time_series(series, {"t"}, o); }, "fewer than window + horizon = 9223372036854775810");
  expect_error([&] { WindowDataset(series, {0}, {0}, huge, huge); }, "fewer than window + horizon");
  expect_error([&] { all_windows(series, Standardizer(), {0}, huge); }, "fewer than the model's window");
}

TEST(SeriesWindows, AllWindowsEndWithTheLastOne) {
  std::vector<float> v;
  for (int r = 0; r < 6; ++r) v.insert(v.end(), {float(r), 10.f * r});
  const Tensor series = Tensor::from_vector(v, {6, 2});
  const Tensor all = all_windows(series, Standardizer(), {1}, 4);
  EXPECT_EQ(all.shape(), (Shape{3, 4, 1}));
  EXPECT_EQ(all.select(0, 0).reshape({4}).to_vector(), (std::vector<float>{0, 10, 20, 30}));
  const Tensor last = last_window(series, Standardizer(), {1}, 4);
  EXPECT_EQ(last.reshape({4}).to_vector(), all.select(0, 2).reshape({4}).to_vector());
}

TEST(SeriesErrors, MaeAndRmsePerTargetInTheirUnits) {
  // Two forecasts, two steps, two targets: errors of target 0 are 1, -1, 3, -3; of target 1 all 0.5.
  const Tensor actual = Tensor::zeros({2, 2, 2});
  const Tensor forecast = Tensor::from_vector({1, 0.5, -1, 0.5, 3, 0.5, -3, 0.5}, {2, 2, 2});
  const std::vector<TargetErrors> e = errors_per_target(forecast, actual);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_DOUBLE_EQ(e[0].mae, 2.0);
  EXPECT_DOUBLE_EQ(e[0].rmse, std::sqrt(5.0));
  EXPECT_DOUBLE_EQ(e[1].mae, 0.5);
  EXPECT_DOUBLE_EQ(e[1].rmse, 0.5);
  EXPECT_THROW(errors_per_target(forecast, Tensor::zeros({2, 2, 1})), ShapeError);
  EXPECT_THROW(errors_per_target(Tensor::zeros({2, 2}), Tensor::zeros({2, 2})), ShapeError);
}

TEST(SeriesMissingNames, RoundTrip) {
  for (const char* name : {"error", "drop", "mean", "interpolate"})
    EXPECT_EQ(series_missing_name(series_missing_from_name(name)), name);
  expect_error([] { series_missing_from_name("zero"); }, "'zero' is not one of \"error\", \"drop\", \"mean\", \"interpolate\"");
}

}  // namespace
}  // namespace myelin::data
