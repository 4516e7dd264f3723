// CsvColumns: header checks (repeated names, a data row taken for a header), columns by name or
// index, and row widths.
#include "data/csv_columns.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "data/csv_cells.hpp"
#include "myelin/error.hpp"
#include "myelin/quote.hpp"

namespace myelin::data::detail {
namespace {

// The integer written in `text` (e.g. "3", "-1"), or nothing.
std::optional<int64_t> parse_index(const std::string& text) {
  int64_t out = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

}  // namespace

CsvColumns::CsvColumns(CsvScanner& scanner, const std::string& path, bool has_header,
                       const std::vector<std::string>& missing_values, CsvRecord& first_row)
    : path_(path), has_header_(has_header) {
  if (!scanner.next(first_row))
    throw IoError(path + ": the file is empty; expected " +
                  (has_header ? "a header row naming the columns" : "rows of data"));
  if (!has_header) {
    for (size_t c = 0; c < first_row.fields.size(); ++c) names_.push_back(std::to_string(c));
    return;
  }
  check_header(first_row, missing_values);
  for (const std::string& field : first_row.fields) names_.push_back(trim(field));
  std::map<std::string, size_t> first_of;
  for (size_t c = 0; c < names_.size(); ++c) {
    const auto [it, inserted] = first_of.emplace(names_[c], c);
    if (!inserted)
      throw IoError(path + ":" + std::to_string(first_row.line) + ": the header names column " +
                    quote_prefix(names_[c]) + " twice, as columns " + std::to_string(it->second) + " and " +
                    std::to_string(c) + " (counting from 0); give every column its own name");
  }
  const int64_t header_line = first_row.line;
  if (!scanner.next(first_row))
    throw IoError(path + ": has a header but no data rows (line " + std::to_string(header_line) +
                  " names the columns, and no row follows it)");
}

void CsvColumns::check_header(const CsvRecord& header, const std::vector<std::string>& missing_values) const {
  // A row of numbers (with perhaps some gaps) is data: the file has no header row.
  bool any_number = false;
  std::string row;
  for (const std::string& field : header.fields) {
    const std::string cell = trim(field);
    if (parse_finite<double>(cell)) any_number = true;
    else if (!is_missing_number(cell, missing_values)) return;
    row += (row.empty() ? "" : ",") + cell;
  }
  if (!any_number) return;
  throw IoError(path_ + ":" + std::to_string(header.line) +
                ": the first row looks like data, not column names (every cell is a number: " + quote_prefix(row) +
                "); if the file has no header row, set header = false in [data] and choose the label column by "
                "index (label = 0 for the first column, label = -1 for the last)");
}

std::string CsvColumns::describe(size_t column) const {
  return has_header_ ? "column " + quote_prefix(names_[column])
                     : "column " + std::to_string(column) + " (counting from 0)";
}

size_t CsvColumns::find(const std::string& name, const char* role) const {
  if (has_header_) {
    const auto it = std::find(names_.begin(), names_.end(), name);
    if (it != names_.end()) return static_cast<size_t>(it - names_.begin());
  }
  const int64_t n = static_cast<int64_t>(names_.size());
  if (const std::optional<int64_t> index = parse_index(name)) {
    if (*index < -n || *index >= n)
      throw IoError(path_ + ": the " + role + " column index " + name + " is out of range: the table has " +
                    std::to_string(n) + " columns (indices 0 to " + std::to_string(n - 1) + ", or -" +
                    std::to_string(n) + " to -1 counting from the end)");
    return static_cast<size_t>(*index < 0 ? *index + n : *index);
  }
  if (has_header_)
    throw IoError(path_ + ": the header has no " + role + " column " + quote_prefix(name) + " (its columns are " +
                  quote_list(names_) + ")");
  throw IoError(path_ + ": the " + role + " column " + quote_prefix(name) +
                " is not an index: without a header row (header = false) columns are chosen by 0-based index, "
                "0 to " + std::to_string(n - 1) + ", or -1 for the last");
}

void CsvColumns::check_width(const CsvRecord& record) const {
  const size_t n = record.fields.size();
  const std::string columns = std::to_string(size()) + " columns";
  if (n < size())
    fail(record.line, n, "missing value (the row has " + std::to_string(n) + " of the " +
                             (has_header_ ? "header's " : "first row's ") + columns + ")");
  if (n > size())
    throw IoError(path_ + ":" + std::to_string(record.line) + ": the row has " + std::to_string(n) + " fields, but " +
                  (has_header_ ? "the header names " : "the first row has ") + columns);
}

void CsvColumns::fail(int64_t line, size_t column, const std::string& what) const {
  throw IoError(path_ + ":" + std::to_string(line) + ": " + describe(column) + ": " + what);
}

}  // namespace myelin::data::detail
