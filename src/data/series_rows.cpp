// The cells of a series file: numbers, categories and dates, each gap handled as the
// SeriesMissing policy says, from a long table (a row per step) or a wide one (a row per year).
#include "data/series_rows.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>

#include "data/csv_cells.hpp"
#include "data/csv_columns.hpp"
#include "data/csv_scanner.hpp"
#include "myelin/error.hpp"
#include "myelin/quote.hpp"

namespace myelin::data::detail {
namespace {

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open: " + std::strerror(errno));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// CellReader: the header of a series file and its cells, row by row. Each cell reader returns
// nothing when the cell is a gap that leaves its step out (SeriesMissing::drop).
class CellReader {
 public:
  CellReader(const std::string& path, const SeriesColumns& spec, SeriesGaps gaps)
      : spec_(spec), gaps_(gaps), text_(file_text(path)), scanner_(text_, ',', path),
        columns_(scanner_, path, /*has_header=*/true, spec.missing_values, record_) {}

  size_t find(const std::string& name, const char* role) const { return columns_.find(name, role); }
  const std::string& name(size_t column) const { return columns_.names()[column]; }

  // Calls each(record) for every data row, in file order.
  template <class Each>
  void each_row(Each each) {
    do {
      columns_.check_width(record_);
      each(record_);
    } while (scanner_.next(record_));
  }

  // The number in column c: NaN for a gap that is kept, nothing for one that drops its step.
  std::optional<float> number(const CsvRecord& record, size_t c) const {
    const std::string cell = trim(record.fields[c]);
    if (is_missing_number(cell, spec_.missing_values)) {
      if (gaps_ == SeriesGaps::keep || spec_.missing == SeriesMissing::mean ||
          spec_.missing == SeriesMissing::interpolate)
        return std::numeric_limits<float>::quiet_NaN();
      if (spec_.missing == SeriesMissing::drop) return std::nullopt;
      columns_.fail(record.line, c, "missing value " + quote_prefix(cell) + ", expected a number" + kSeriesMissingHint);
    }
    if (const std::optional<float> value = parse_finite<float>(cell)) return *value;
    columns_.fail(record.line, c, quote_prefix(cell) + " is not a finite number");
  }

  // The text of column c (a category or a date), which no policy fills: nothing for a gap
  // under SeriesMissing::drop, else an error.
  std::optional<std::string> text(const CsvRecord& record, size_t c, const char* what) const {
    std::string cell = trim(record.fields[c]);
    const auto& extra = spec_.missing_values;
    if (!cell.empty() && std::find(extra.begin(), extra.end(), cell) == extra.end()) return cell;
    if (spec_.missing == SeriesMissing::drop) return std::nullopt;
    columns_.fail(record.line, c, "missing " + std::string(what) + " " + quote_prefix(cell) + "; a " + what +
                                      " cannot be filled in (missing = \"drop\" leaves out its row)");
  }

  // The date in column c as iso_date writes it (with `format` when not empty).
  std::optional<std::string> date(const CsvRecord& record, size_t c, const std::string& format) const {
    const std::optional<std::string> cell = text(record, c, "date");
    if (!cell) return std::nullopt;
    try {
      return iso_date(*cell, format);
    } catch (const Error& e) {
      columns_.fail(record.line, c, e.what());
    }
  }

 private:
  const SeriesColumns& spec_;
  SeriesGaps gaps_;
  std::string text_;
  CsvScanner scanner_;
  CsvRecord record_;  // the row being read (the first data row once the header is read)
  CsvColumns columns_;
};

}  // namespace

SeriesRows read_long_rows(const std::string& path, const SeriesColumns& spec, SeriesGaps gaps) {
  CellReader cells(path, spec, gaps);
  SeriesRows out;
  out.names = spec.numbers;
  std::vector<size_t> number_columns, category_columns;
  for (const std::string& name : spec.numbers) number_columns.push_back(cells.find(name, "feature"));
  for (const auto& [name, categories] : spec.one_hot) category_columns.push_back(cells.find(name, "category"));
  const bool dated = !spec.date_column.empty();
  const size_t date_column = dated ? cells.find(spec.date_column, "date") : 0;
  out.texts.resize(category_columns.size());
  int64_t dropped = 0;
  cells.each_row([&](const CsvRecord& record) {
    bool keep = true;
    std::vector<float> numbers;
    for (size_t c : number_columns) {
      const std::optional<float> v = cells.number(record, c);
      keep = keep && v.has_value();
      numbers.push_back(v.value_or(0.f));
    }
    std::vector<std::string> categories;
    for (size_t c : category_columns) {
      const std::optional<std::string> v = cells.text(record, c, "category");
      keep = keep && v.has_value();
      categories.push_back(v.value_or(""));
    }
    const std::optional<std::string> date = dated ? cells.date(record, date_column, spec.date_format) : std::optional<std::string>("");
    if (!keep || !date) {
      ++dropped;
      return;
    }
    out.numbers.insert(out.numbers.end(), numbers.begin(), numbers.end());
    for (size_t k = 0; k < categories.size(); ++k) out.texts[k].push_back(categories[k]);
    if (dated) out.dates.push_back(*date);
    out.lines.push_back(record.line);
  });
  if (out.lines.empty())
    throw IoError(path + ": every one of the " + std::to_string(dropped) +
                  " data rows has a missing value and was dropped (missing = \"drop\"); no rows are left");
  return out;
}

SeriesRows read_wide_rows(const std::string& path, const SeriesColumns& spec, SeriesGaps gaps) {
  CellReader cells(path, spec, gaps);
  SeriesRows out;
  out.names = {spec.wide.name};
  const size_t year_column = cells.find(spec.wide.year_column, "year");
  std::vector<size_t> value_columns;
  for (const std::string& name : spec.wide.value_columns) value_columns.push_back(cells.find(name, "value"));
  const int months_per_period = 12 / static_cast<int>(value_columns.size());
  cells.each_row([&](const CsvRecord& record) {
    const std::optional<std::string> year = cells.date(record, year_column, "%Y");
    if (!year) return;
    for (size_t k = 0; k < value_columns.size(); ++k) {
      const std::optional<float> v = cells.number(record, value_columns[k]);
      if (!v) continue;
      const int month = 1 + static_cast<int>(k) * months_per_period;
      out.numbers.push_back(*v);
      out.dates.push_back(*year + (month < 10 ? "-0" : "-") + std::to_string(month));
      out.lines.push_back(record.line);
      out.sources.push_back(cells.name(value_columns[k]));
    }
  });
  if (out.lines.empty()) throw IoError(path + ": no values are left after dropping the missing ones (missing = \"drop\")");
  return out;
}

}  // namespace myelin::data::detail
