// read_series_table: the cells of a long table (a row per step, series_rows.cpp) or a wide one
// (a row per year), then the one-hot and day-of-year columns derived from them.
#include "myelin/data/series_table.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "data/series_rows.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "myelin/quote.hpp"

namespace myelin::data {
namespace {

constexpr const char* kPolicies[] = {"error", "drop", "mean", "interpolate"};

std::vector<std::string> distinct_sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

void check_spec(const std::string& path, const SeriesColumns& spec) {
  const bool wide = !spec.wide.year_column.empty();
  if (spec.day_of_year && spec.date_column.empty() && !wide)
    throw Error(path + ": day_of_year needs the dates (date_column, or a wide table)");
  if (!spec.date_format.empty()) {
    if (spec.date_column.empty()) throw Error(path + ": date_format needs date_column (the column it reads)");
    check_date_format(spec.date_format);
  }
  if (!wide) return;
  if (!spec.date_column.empty() || !spec.one_hot.empty())
    throw Error(path + ": a wide table (a row per year) takes its dates from the year column and has no date_column or "
                "one_hot columns");
  const size_t periods = spec.wide.value_columns.size();
  if (periods == 0 || 12 % periods != 0)
    throw Error(path + ": a wide table needs 12 value columns (one per month), or 1, 2, 3, 4 or 6 (equal parts of a "
                "year), got " + std::to_string(periods));
  if (spec.wide.name.empty()) throw Error(path + ": a wide table needs the name of its series (wide name)");
  for (const std::string& n : spec.numbers)
    if (n != spec.wide.name)
      throw Error(path + ": the wide table makes one number column, " + quote_prefix(spec.wide.name) + "; " +
                  quote_prefix(n) + " is not it");
}

// The one-hot columns of `cells` (one category per row) in t.values' parts; fills in the
// category list when it is empty.
Tensor one_hot_columns(const std::string& path, const std::string& column, std::vector<std::string>& categories,
                       const std::vector<std::string>& cells, const std::vector<int64_t>& lines) {
  if (categories.empty()) categories = distinct_sorted(cells);
  const int64_t rows = static_cast<int64_t>(cells.size()), k = static_cast<int64_t>(categories.size());
  Tensor codes = Tensor::zeros({rows, k});  // (rows, categories)
  for (int64_t r = 0; r < rows; ++r) {
    const auto it = std::find(categories.begin(), categories.end(), cells[r]);
    if (it == categories.end())
      throw IoError(path + ":" + std::to_string(lines[r]) + ": column " + quote_prefix(column) + ": category " +
                    quote_prefix(cells[r]) + " is not one of the model's " + std::to_string(k) + " categories");
    codes.data()[r * k + (it - categories.begin())] = 1.f;
  }
  return codes;
}

// (sin, cos) of the angle through the year of each date, so 31 December sits next to 1 January.
Tensor day_of_year_columns(const std::vector<std::string>& dates) {
  const int64_t rows = static_cast<int64_t>(dates.size());
  Tensor cycle = Tensor::empty({rows, 2});  // (rows, 2)
  for (int64_t r = 0; r < rows; ++r) {
    const double angle = 2 * std::numbers::pi * (day_of_year(dates[r]) - 1) / 365.25;
    cycle.data()[2 * r] = static_cast<float>(std::sin(angle));
    cycle.data()[2 * r + 1] = static_cast<float>(std::cos(angle));
  }
  return cycle;
}

void check_time_order(const std::string& path, const std::string& column, const detail::SeriesRows& rows) {
  for (size_t r = 1; r < rows.dates.size(); ++r)
    if (rows.dates[r] < rows.dates[r - 1])
      throw IoError(path + ":" + std::to_string(rows.lines[r]) + ": column " + quote_prefix(column) + ": date " +
                    rows.dates[r] + " comes before the previous row's " + rows.dates[r - 1] +
                    "; a series must be in time order");
}

}  // namespace

SeriesMissing series_missing_from_name(const std::string& name) {
  for (size_t k = 0; k < std::size(kPolicies); ++k)
    if (name == kPolicies[k]) return static_cast<SeriesMissing>(k);
  throw Error("missing " + quote_prefix(name) + " is not one of \"error\", \"drop\", \"mean\", \"interpolate\"");
}

std::string series_missing_name(SeriesMissing policy) { return kPolicies[static_cast<size_t>(policy)]; }

SeriesTable read_series_table(const std::string& path, const SeriesColumns& spec, SeriesGaps gaps) {
  check_spec(path, spec);
  const bool wide = !spec.wide.year_column.empty();
  const detail::SeriesRows rows = wide ? detail::read_wide_rows(path, spec, gaps) : detail::read_long_rows(path, spec, gaps);
  check_time_order(path, wide ? spec.wide.year_column : spec.date_column, rows);

  SeriesTable t;
  t.spec = spec;
  t.dates = rows.dates;
  t.lines = rows.lines;
  t.sources = rows.sources;
  const int64_t n = static_cast<int64_t>(rows.lines.size());
  std::vector<Tensor> parts;
  if (!rows.names.empty()) {
    parts.push_back(Tensor::from_vector(rows.numbers, {n, static_cast<int64_t>(rows.names.size())}));
    t.columns = rows.names;
  }
  size_t k = 0;
  for (auto& [column, categories] : t.spec.one_hot) {
    parts.push_back(one_hot_columns(path, column, categories, rows.texts[k++], rows.lines));
    for (const std::string& c : categories) t.columns.push_back(column + "=" + c);
  }
  if (spec.day_of_year) {
    parts.push_back(day_of_year_columns(t.dates));
    t.columns.insert(t.columns.end(), {"day_of_year_sin", "day_of_year_cos"});
  }
  if (parts.empty()) throw Error(path + ": the series has no columns (give number columns, one_hot or day_of_year)");
  t.values = parts.size() == 1 ? parts[0] : concat(parts, 1).contiguous();
  return t;
}

}  // namespace myelin::data
