// source = "time_series": a CSV file of rows in time order, cut into windows of `window` rows
// that forecast the `targets` `horizon` steps ahead; parts split in time order, scaled with
// statistics of the training rows.
#include <algorithm>

#include "config/sources/sources.hpp"
#include "myelin/data/series_gaps.hpp"
#include "myelin/data/series_table.hpp"
#include "myelin/data/split.hpp"
#include "myelin/data/time_series.hpp"
#include "myelin/ops.hpp"

namespace myelin::config {
namespace {

struct SeriesSettings : SourceSettings {
  // The number columns the model reads and those it predicts (targets need not be inputs),
  // categorical columns to one-hot, the date column and whether to add day-of-year.
  std::vector<std::string> inputs, targets, one_hot;
  std::string date_column, date_format;
  bool day_of_year = false;
  data::WideLayout wide;                      // a table of a row per year, when wide.year_column is set
  data::SeriesMissing missing = data::SeriesMissing::error;
  std::vector<std::string> missing_values;  // cells that also mean "no value"
  int64_t window = 0, horizon = 1;  // rows per input window, steps predicted
  bool predict_change = false;      // targets are changes from the window's last row
  std::vector<double> split;        // train/validation/test fractions or row counts
  std::vector<std::string> split_dates;  // first date of validation and of test, or of test only
};

bool has_dates(const SeriesSettings& s) { return !s.date_column.empty() || !s.wide.year_column.empty(); }

// A split date as iso_date writes it: in date_format when one is given, else (or when it does
// not match) in the usual forms.
std::string split_date(const std::string& date, const std::string& format) {
  if (!format.empty()) {
    try {
      return data::iso_date(date, format);
    } catch (const Error&) {
      // not in the file's format: perhaps written as YYYY-MM-DD
    }
  }
  return data::iso_date(date);
}

// `split_dates`: the first date of the validation and test parts, or of the test part only.
std::vector<std::string> read_split_dates(TableReader& r, const SeriesSettings& s) {
  std::vector<std::string> dates = r.get_strings("split_dates");
  if (dates.empty()) return dates;
  if (!s.split.empty()) r.fail("split_dates", "cannot be used together with split");
  if (!has_dates(s)) r.fail("split_dates", "needs date_column (the column holding the dates) or a wide table");
  if (dates.size() > 2) r.fail("split_dates", "must be [first validation date, first test date] or [first test date]");
  for (std::string& date : dates) {
    try {
      date = split_date(date, s.date_format);
    } catch (const Error& e) {
      r.fail("split_dates", e.what());
    }
  }
  if (dates.size() == 2 && dates[1] < dates[0]) r.fail("split_dates", "the test part must not start before the validation part");
  return dates;
}

// Row counts of the train, validation and test parts: from `split`, or from split_dates (each
// part starts at the first row on or after its date).
std::vector<int64_t> part_rows(const DataConfig& d, const SeriesSettings& s, int64_t n,
                               const std::vector<std::string>& dates) {
  if (s.split_dates.empty()) return at_key(d, "split", "", [&] { return data::split_sizes(n, s.split); });
  std::vector<int64_t> starts;
  for (const std::string& date : s.split_dates)
    starts.push_back(std::lower_bound(dates.begin(), dates.end(), date) - dates.begin());
  if (starts.size() == 1) starts.insert(starts.begin(), starts[0]);  // no validation part
  return {starts[0], starts[1] - starts[0], n - starts[1]};
}

// `wide = { year = "Year", columns = ["Jan", ..., "Dec"], name = "co2" }`: a row per year.
data::WideLayout read_wide(TableReader w, const SeriesSettings& s, TableReader& r) {
  data::WideLayout wide{.year_column = w.require_string("year"), .value_columns = w.get_strings("columns"),
                        .name = w.require_string("name")};
  const size_t periods = wide.value_columns.size();
  if (periods == 0 || 12 % periods != 0)
    w.fail("columns", "must name the 12 month columns of a year in order (or 1, 2, 3, 4 or 6 equal parts of it), got " +
                          std::to_string(periods));
  w.finish();
  if (!s.date_column.empty() || !s.one_hot.empty())
    r.fail("wide", "takes its dates from the year column: a wide table has no date_column or one_hot columns");
  for (const auto* key : {"inputs", "targets"})
    for (const std::string& column : key == std::string("inputs") ? s.inputs : s.targets)
      if (column != wide.name)
        r.fail(key, "names '" + column + "', but the wide table is one series, named '" + wide.name + "' (wide name)");
  return wide;
}

// `missing`, `missing_values` and `date_format`.
void read_cell_keys(TableReader& r, SeriesSettings& s) {
  const std::string missing = r.get_string("missing", "error");
  check_choice(r, "missing", missing, {"error", "drop", "mean", "interpolate"});
  s.missing = data::series_missing_from_name(missing);
  s.missing_values = r.get_strings("missing_values");
  s.date_format = r.get_string("date_format", "");
  if (s.date_format.empty()) return;
  if (s.date_column.empty()) r.fail("date_format", "needs date_column (the column it reads)");
  try {
    data::check_date_format(s.date_format);
  } catch (const Error& e) {
    r.fail("date_format", e.what());
  }
}

class TimeSeriesSource final : public DataSource {
 public:
  std::string name() const override { return "time_series"; }
  std::string summary() const override { return "a CSV file of rows in time order, as windows that forecast target columns"; }

  void read_keys(TableReader& r, DataConfig& d) const override {
    auto s = std::make_shared<SeriesSettings>();
    d.paths["file"] = r.require_string("file");
    d.standardize = r.get_bool("standardize", true);
    s->targets = r.get_strings("targets");
    if (s->targets.empty()) r.fail("targets", "is required: the number columns to forecast, e.g. [\"temp_max\"]");
    s->inputs = r.get_strings("inputs");
    s->one_hot = r.get_strings("one_hot");
    s->date_column = r.get_string("date_column", "");
    s->day_of_year = r.get_bool("day_of_year", false);
    if (const toml::table* w = r.get_table("wide")) s->wide = read_wide(TableReader(*w, "[data.wide]", d.where.file), *s, r);
    read_cell_keys(r, *s);
    if (s->day_of_year && !has_dates(*s))
      r.fail("day_of_year", "needs date_column (the column holding the dates) or a wide table");
    if (!r.has("window")) r.fail("window", "is required: how many rows the model sees per forecast");
    s->window = r.get_int("window", 0);
    if (s->window < 1) r.fail("window", "must be at least 1");
    s->horizon = r.get_int("horizon", 1);
    if (s->horizon < 1) r.fail("horizon", "must be at least 1");
    s->predict_change = r.get_bool("predict_change", false);
    if (s->predict_change)
      for (const std::string& t : s->targets)
        if (std::find(s->inputs.begin(), s->inputs.end(), t) == s->inputs.end())
          r.fail("predict_change", "needs every target among the inputs, so the window holds its last value ('" + t + "' is not)");
    s->split = read_ordered_split(r);
    s->split_dates = read_split_dates(r, *s);
    if (s->split.empty() && s->split_dates.empty()) s->split = {0.7, 0.15, 0.15};
    reject_shuffling_keys(r, d);
    d.settings = s;
  }

  PreparedData load(const RunConfig& config) const override {
    const DataConfig& d = config.data;
    const SeriesSettings& s = settings_of<SeriesSettings>(d);
    data::SeriesColumns spec;
    spec.numbers = s.inputs;
    spec.date_column = s.date_column;
    spec.date_format = s.date_format;
    spec.day_of_year = s.day_of_year;
    spec.wide = s.wide;
    spec.missing = s.missing;
    spec.missing_values = s.missing_values;
    for (const std::string& t : s.targets)
      if (std::find(spec.numbers.begin(), spec.numbers.end(), t) == spec.numbers.end()) spec.numbers.push_back(t);
    for (const std::string& c : s.one_hot) spec.one_hot[c] = {};
    const std::string file = d.path("file");
    const data::SeriesTable table = at_key(d, "file", file, [&] { return data::read_series_table(file, spec); });
    data::TimeSeriesOptions options{.input_columns = s.inputs, .target_columns = s.targets, .window = s.window,
                                    .horizon = s.horizon, .standardize = d.standardize, .missing = s.missing,
                                    .times = data::series_times(table)};
    // Derived columns (one-hot, day of year) follow the number columns and are always inputs.
    options.input_columns.insert(options.input_columns.end(),
                                 table.columns.begin() + static_cast<long>(spec.numbers.size()), table.columns.end());
    const std::vector<int64_t> rows_of_parts = part_rows(d, s, table.values.size(0), table.dates);
    options.parts.assign(rows_of_parts.begin(), rows_of_parts.end());
    if (rows_of_parts[0] == 0)
      throw Error(d.where_of(s.split_dates.empty() ? "split" : "split_dates").str() + ": [data] the training part of " +
                  file + " has no rows");
    const data::TimeSeriesData ts =
        at_key(d, "window", "", [&] { return data::make_time_series(table.values, table.columns, options); });
    Parts parts;
    parts.train = rows(*ts.train);
    if (ts.validation) parts.validation = rows(*ts.validation);
    if (ts.test) parts.test = rows(*ts.test);
    if (s.predict_change)
      for (Part* p : {&parts.train, &parts.validation, &parts.test})
        if (p->defined())
          p->targets = sub(p->targets, data::persistence_forecast(p->inputs, ts.input_indices, ts.target_indices, s.horizon));
    PreparedData out;
    out.class_names = d.class_names;
    data::SeriesColumns columns = table.spec;
    columns.fill_values = ts.fill_values;  // missing = "mean": the training means, for predict
    out.time_series = SeriesPreparation{
        .columns = columns, .series_columns = ts.columns, .input_indices = ts.input_indices,
        .target_indices = ts.target_indices, .targets = s.targets, .window = s.window, .horizon = s.horizon,
        .scaler = ts.scaler, .part_rows = rows_of_parts, .predict_change = s.predict_change};
    return prepare_parts(config, std::move(parts), std::move(out));
  }
};

}  // namespace

const DataSource& time_series_source() {
  static const TimeSeriesSource source;
  return source;
}

}  // namespace myelin::config
