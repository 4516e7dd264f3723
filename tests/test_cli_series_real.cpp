// End-to-end tests of time series as people have them, through the `myelin` tool: dates in a
// config's date_format, gaps and the `missing` policies, wide tables (a row per year), errors in
// the targets' units after train and eval, eval's forecast picture, and predict --all.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::run_cli;
using testing::TempDir;

double sine(int i) { return 10 + 5 * std::sin(2 * M_PI * i / 20); }

// Daily rows first..first + rows - 1 from 1 January 2000, dates written DD.MM.YYYY: `temp` (a
// sine of period 20 days) and `wind`; the cells of `gaps` (row -> column) are written as given.
std::string daily_csv(int rows, int first = 0, const std::map<int, std::pair<std::string, std::string>>& gaps = {}) {
  using namespace std::chrono;
  std::ostringstream csv;
  csv << "date,temp,wind\n";
  for (int i = first; i < first + rows; ++i) {
    const year_month_day d{sys_days{2000y / January / 1} + days{i}};
    char date[16];
    std::snprintf(date, sizeof date, "%02u.%02u.%04d", unsigned(d.day()), unsigned(d.month()), int(d.year()));
    std::string temp = std::to_string(sine(i)), wind = std::to_string(3 + std::cos(2 * M_PI * i / 20));
    if (const auto gap = gaps.find(i); gap != gaps.end()) (gap->second.first == "temp" ? temp : wind) = gap->second.second;
    csv << date << "," << temp << "," << wind << "\n";
  }
  return csv.str();
}

// The config after [data]: a linear forecast of one step of one target from the whole window.
std::string linear_model(int epochs) {
  return "\n[[model.layers]]\ntype = \"Flatten\"\n\n[[model.layers]]\ntype = \"Linear\"\nunits = 1\n\n[loss]\n"
         "type = \"mse\"\n\n[optimizer]\ntype = \"adam\"\nlr = 0.01\n\n[train]\nepochs = " + std::to_string(epochs) +
         "\nbatch_size = 16\nseed = 1\nthreads = 1\n";
}

// A config over series.csv with `data_keys` added to [data]: window 10, one step ahead.
std::string daily_config(const std::string& data_keys, int epochs = 60) {
  return "[data]\nsource = \"time_series\"\nfile = \"series.csv\"\ninputs = [\"temp\", \"wind\"]\ntargets = [\"temp\"]\n"
         "date_column = \"date\"\ndate_format = \"%d.%m.%Y\"\nwindow = 10\n" + data_keys + linear_model(epochs);
}

// The lines of `text`.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The value after "<what> " in `text` (e.g. the MAE after "test MAE temp "), or NaN.
double number_after(const std::string& text, const std::string& what) {
  const size_t at = text.find(what);
  return at == std::string::npos ? std::nan("") : std::stod(text.substr(at + what.size()));
}

TEST(CliSeriesReal, DatedRowsWithGapsTrainAndReportErrorsInTheTargetsUnits) {
  TempDir dir;
  // Gaps in training, validation and test rows: empty, NA, and the file's own marker -999.
  dir.write("series.csv", daily_csv(300, 0, {{5, {"temp", ""}}, {230, {"wind", "NA"}}, {280, {"temp", "-999"}}}));
  const std::string config = dir.write(
      "ts.toml", daily_config("missing = \"interpolate\"\nmissing_values = [\"-999\"]\nsplit_dates = [\"2000-07-29\", \"20000913\"]\n"));
  const std::string out = dir.file("run");
  const auto train = run_cli("train " + config + " --out " + out);
  ASSERT_EQ(train.status, 0) << train.output;
  // 2000-07-29 is day 210 and 2000-09-13 day 256 (2000 is a leap year): every validation and
  // test row is forecast, from windows that may start in the part before.
  EXPECT_NE(train.output.find("200 training examples, 46 validation, 44 test"), std::string::npos) << train.output;
  for (const char* part : {"validation", "test"})
    EXPECT_NE(train.output.find(std::string(part) + " MAE temp "), std::string::npos) << train.output;
  EXPECT_NE(train.output.find("(in the target's units; the loss and the per-epoch scores are in standardised units, std 3.5"),
            std::string::npos)
      << train.output;  // the sine's standard deviation: 5 / sqrt(2)
  const double train_mae = number_after(train.output, "test MAE temp ");
  EXPECT_LT(train_mae, 0.5) << train.output;

  // eval reports the same errors and draws the test period next to the model.
  const std::string model = out + "/model.safetensors";
  const auto eval = run_cli("eval " + model + " " + config);
  ASSERT_EQ(eval.status, 0) << eval.output;
  EXPECT_DOUBLE_EQ(number_after(eval.output, "test MAE temp "), train_mae) << eval.output;
  EXPECT_NE(eval.output.find("wrote " + out + "/forecast_test.svg"), std::string::npos) << eval.output;
  ASSERT_TRUE(std::filesystem::exists(out + "/forecast_test.svg"));
  std::ifstream svg(out + "/forecast_test.svg");
  const std::string picture((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
  EXPECT_NE(picture.find(">temp forecast<"), std::string::npos);
  EXPECT_NE(picture.find(">2000-09-13<"), std::string::npos);  // the test period's first day labels the axis

  // predict --all: a forecast for every row after the first window, then the day after the file.
  dir.write("recent.csv", daily_csv(40, 260));
  const auto all = run_cli("predict " + model + " --csv " + dir.file("recent.csv") + " --all");
  ASSERT_EQ(all.status, 0) << all.output;
  const std::vector<std::string> rows = lines_of(all.output);
  ASSERT_EQ(rows.size(), 1u + 31u) << all.output;  // windows of rows 1..10 to 31..40
  EXPECT_EQ(rows[0], "row,date,step,temp");
  EXPECT_EQ(rows[1].substr(0, rows[1].rfind(',')), "11,2000-09-27,1");  // day 270
  EXPECT_EQ(rows.back().substr(0, rows.back().rfind(',')), "41,,1");
  for (size_t r = 1; r < rows.size(); ++r)
    EXPECT_NEAR(std::stod(rows[r].substr(rows[r].rfind(',') + 1)), sine(260 + 9 + static_cast<int>(r)), 0.5) << rows[r];
  // Its last row is the forecast plain predict gives.
  const auto next = run_cli("predict " + model + " --csv " + dir.file("recent.csv"));
  EXPECT_NEAR(std::stod(lines_of(next.output).back().substr(2)), std::stod(rows.back().substr(rows.back().rfind(',') + 1)),
              1e-4)
      << next.output;

  // A gap inside the last window is interpolated as in training.
  dir.write("gap.csv", daily_csv(40, 260, {{295, {"temp", "NA"}}}));
  const auto filled = run_cli("predict " + model + " --csv " + dir.file("gap.csv"));
  ASSERT_EQ(filled.status, 0) << filled.output;
  EXPECT_NEAR(std::stod(lines_of(filled.output).back().substr(2)), sine(300), 0.5) << filled.output;
}

TEST(CliSeriesReal, PredictReadsOnlyTheRowsItNeedsAndFillsByTheModelsPolicy) {
  TempDir dir;
  dir.write("series.csv", daily_csv(300));
  const std::string out = dir.file("strict"), mean_out = dir.file("mean");
  ASSERT_EQ(run_cli("train " + dir.write("a.toml", daily_config("", 5)) + " --out " + out).status, 0);
  ASSERT_EQ(run_cli("train " + dir.write("b.toml", daily_config("missing = \"mean\"\n", 5)) + " --out " + mean_out).status, 0);

  // A gap in an old row: the forecast does not read it, so the default policy does not mind.
  dir.write("old_gap.csv", daily_csv(40, 260, {{262, {"temp", ""}}}));
  const auto old_gap = run_cli("predict " + out + "/model.safetensors --csv " + dir.file("old_gap.csv"));
  EXPECT_EQ(old_gap.status, 0) << old_gap.output;
  // In the last window it is an error that names the line and column and what to do.
  dir.write("new_gap.csv", daily_csv(40, 260, {{296, {"wind", "null"}}}));
  const auto new_gap = run_cli("predict " + out + "/model.safetensors --csv " + dir.file("new_gap.csv"));
  EXPECT_EQ(new_gap.status, 1);
  EXPECT_NE(new_gap.output.find(dir.file("new_gap.csv") + ":38: column 'wind': missing value; set missing = \"drop\""),
            std::string::npos)
      << new_gap.output;

  // missing = "mean": the model file keeps the training mean of wind (rows 0..209, 70% of the
  // rows) and fills the gap with it, exactly as if the file held that value.
  double sum = 0;
  for (int i = 0; i < 210; ++i) sum += std::stod(std::to_string(3 + std::cos(2 * M_PI * i / 20)));
  dir.write("with_mean.csv", daily_csv(40, 260, {{296, {"wind", std::to_string(sum / 210)}}}));
  const auto gap = run_cli("predict " + mean_out + "/model.safetensors --csv " + dir.file("new_gap.csv"));
  const auto same = run_cli("predict " + mean_out + "/model.safetensors --csv " + dir.file("with_mean.csv"));
  ASSERT_EQ(gap.status, 0) << gap.output;
  EXPECT_NEAR(std::stod(lines_of(gap.output).back().substr(2)), std::stod(lines_of(same.output).back().substr(2)), 1e-4)
      << gap.output << same.output;
}

// Monthly values 1999..2016 in a NOAA-style wide table; 2016 measured up to March.
std::string wide_csv() {
  std::ostringstream csv;
  csv << "Year,Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec,Annual\n";
  for (int year = 1999, i = 0; year <= 2016; ++year) {
    csv << year;
    for (int month = 0; month < 12; ++month, ++i) csv << "," << (year == 2016 && month >= 3 ? "-99.99" : std::to_string(sine(i)));
    csv << ",0\n";
  }
  return csv.str();
}

const char* kWideData = R"([data]
source = "time_series"
file = "wide.csv"
wide = { year = "Year", columns = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], name = "level" }
inputs = ["level"]
targets = ["level"]
day_of_year = true
missing = "drop"
missing_values = ["-99.99"]
window = 24
split_dates = ["2014"]
)";

std::string wide_config() { return kWideData + linear_model(3); }

TEST(CliSeriesReal, WideTablesTrainAsOneMonthlySeries) {
  TempDir dir;
  dir.write("wide.csv", wide_csv());
  const std::string out = dir.file("run");
  const auto train = run_cli("train " + dir.write("w.toml", wide_config()) + " --out " + out);
  ASSERT_EQ(train.status, 0) << train.output;
  // 1999-2013 (180 months) train; 2014 to March 2016 (27 months) test.
  EXPECT_NE(train.output.find("156 training examples, 27 test"), std::string::npos) << train.output;
  EXPECT_NE(train.output.find("test MAE level "), std::string::npos) << train.output;

  // predict --all on the same wide file dates each forecast by month.
  const auto all = run_cli("predict " + out + "/model.safetensors --csv " + dir.file("wide.csv") + " --all");
  ASSERT_EQ(all.status, 0) << all.output;
  const std::vector<std::string> rows = lines_of(all.output);
  EXPECT_EQ(rows[1].substr(0, rows[1].rfind(',')), "25,2001-01,1");
  EXPECT_EQ(rows[rows.size() - 2].substr(0, rows[rows.size() - 2].rfind(',')), "207,2016-03,1");
}

TEST(CliSeriesReal, BadSeriesKeysNameTheProblem) {
  TempDir dir;
  dir.write("series.csv", daily_csv(60, 0, {{3, {"temp", "NaN"}}}));
  dir.write("wide.csv", wide_csv());
  auto expect_error = [&](const std::string& config, const std::string& message) {
    const auto r = run_cli("train " + dir.write("bad.toml", config) + " --out " + dir.file("bad"));
    EXPECT_EQ(r.status, 1) << config;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
  };
  auto replaced = [](std::string s, const std::string& from, const std::string& to) {
    return s.replace(s.find(from), from.size(), to);
  };
  expect_error(daily_config(""), dir.file("series.csv") + ":5: column 'temp': missing value 'NaN', expected a number; set "
                                 "missing = \"drop\", \"mean\" or \"interpolate\" in [data]");
  expect_error(daily_config("missing = \"zero\"\n"), "[data] missing");
  expect_error(daily_config("missing = \"zero\"\n"), "interpolate");
  expect_error(replaced(daily_config(""), "date_column = \"date\"\n", ""), "[data] date_format needs date_column");
  expect_error(replaced(daily_config(""), "%d.%m.%Y", "%d.%m"), "[data] date_format date_format '%d.%m' has no %Y");
  expect_error(replaced(daily_config("missing = \"drop\"\n"), "window = 10", "window = 9223372036854775807"),
               "[data] window: time series: the train part has 41 rows, fewer than window + horizon = 9223372036854775808");
  expect_error(daily_config("missing = \"drop\"\nhorizon = 9223372036854775807\n"),
               "fewer than window + horizon = 9223372036854775817");
  expect_error(replaced(wide_config(), "\"Nov\", \"Dec\"]", "\"Nov\"]"), "[data.wide] columns must name the 12 month columns");
  expect_error(replaced(wide_config(), "targets = [\"level\"]", "targets = [\"Jan\"]"),
               "[data] targets names 'Jan', but the wide table is one series, named 'level'");
}

}  // namespace
}  // namespace myelin
