// read_series_table: numbers from read_csv, text columns from read_csv_text, turned into
// one-hot and day-of-year columns.
#include "myelin/data/series_table.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "myelin/data/csv.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"

namespace myelin::data {
namespace {

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

struct Date {
  int year, month, day;
};

Date parse_date(const std::string& text) {
  auto digits = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const bool shaped = text.size() == 10 && text[4] == text[7] && (text[4] == '-' || text[4] == '/');
  const Date d = shaped ? Date{digits(0, 4), digits(5, 2), digits(8, 2)} : Date{-1, -1, -1};
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.year < 0 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > kDays[d.month - 1] ||
      (d.month == 2 && d.day == 29 && !leap(d.year)))
    throw Error("'" + text + "' is not a date written YYYY-MM-DD or YYYY/MM/DD");
  return d;
}

std::vector<std::string> distinct_sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

int day_of_year(const std::string& date) {
  const Date d = parse_date(date);
  static constexpr int kBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  return kBefore[d.month - 1] + d.day + (d.month > 2 && leap(d.year) ? 1 : 0);
}

std::string iso_date(const std::string& date) {
  parse_date(date);
  std::string out = date;
  out[4] = out[7] = '-';
  return out;
}

SeriesTable read_series_table(const std::string& path, const SeriesColumns& spec) {
  if (spec.day_of_year && spec.date_column.empty())
    throw Error(path + ": day_of_year needs the date column (date_column)");
  std::vector<std::string> text_columns;
  for (const auto& [column, categories] : spec.one_hot) text_columns.push_back(column);
  if (!spec.date_column.empty()) text_columns.push_back(spec.date_column);

  SeriesTable t;
  t.spec = spec;
  std::vector<Tensor> parts;
  int64_t rows = -1;
  if (!spec.numbers.empty()) {
    CsvOptions options;
    options.feature_columns = spec.numbers;
    const CsvTable numbers = read_csv(path, options);
    parts.push_back(numbers.features);
    t.columns = spec.numbers;
    rows = numbers.features.size(0);
  }
  const std::vector<std::vector<std::string>> text = text_columns.empty()
                                                         ? std::vector<std::vector<std::string>>{}
                                                         : read_csv_text(path, text_columns);
  if (rows < 0) rows = text.empty() ? 0 : static_cast<int64_t>(text[0].size());
  if (rows == 0) throw IoError(path + ": no rows after the header");

  size_t k = 0;
  for (auto& [column, categories] : t.spec.one_hot) {
    const std::vector<std::string>& cells = text[k++];
    if (categories.empty()) categories = distinct_sorted(cells);
    Tensor codes = Tensor::zeros({rows, static_cast<int64_t>(categories.size())});
    for (int64_t r = 0; r < rows; ++r) {
      const auto it = std::find(categories.begin(), categories.end(), cells[r]);
      if (it == categories.end())
        throw IoError(path + ": row " + std::to_string(r + 1) + ": column '" + column + "': category '" + cells[r] +
                      "' is not one of the model's " + std::to_string(categories.size()) + " categories");
      codes.data()[r * codes.size(1) + (it - categories.begin())] = 1.f;
    }
    for (const std::string& c : categories) t.columns.push_back(column + "=" + c);
    parts.push_back(codes);
  }
  if (!spec.date_column.empty()) {
    const std::vector<std::string>& cells = text[k];
    for (int64_t r = 0; r < rows; ++r) {
      try {
        t.dates.push_back(iso_date(cells[r]));
      } catch (const Error& e) {
        throw IoError(path + ": row " + std::to_string(r + 1) + ": column '" + spec.date_column + "': " + e.what());
      }
      if (r > 0 && t.dates[r] < t.dates[r - 1])
        throw IoError(path + ": row " + std::to_string(r + 1) + ": date " + t.dates[r] + " comes before the previous row's " +
                      t.dates[r - 1] + "; a series must be in time order");
    }
  }
  if (spec.day_of_year) {
    // (sin, cos) of the angle through the year, so 31 December sits next to 1 January.
    Tensor cycle = Tensor::empty({rows, 2});
    for (int64_t r = 0; r < rows; ++r) {
      const double angle = 2 * std::numbers::pi * (day_of_year(t.dates[r]) - 1) / 365.25;
      cycle.data()[2 * r] = static_cast<float>(std::sin(angle));
      cycle.data()[2 * r + 1] = static_cast<float>(std::cos(angle));
    }
    t.columns.insert(t.columns.end(), {"day_of_year_sin", "day_of_year_cos"});
    parts.push_back(cycle);
  }
  if (parts.empty()) throw Error(path + ": the series has no columns (give number columns, one_hot or day_of_year)");
  t.values = parts.size() == 1 ? parts[0] : concat(parts, 1);
  return t;
}

}  // namespace myelin::data
