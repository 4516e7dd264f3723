// read_csv: header lookup, numeric cells and class-name labels, with errors at file:line, column.
#include "myelin/data/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "data/csv_scanner.hpp"
#include "myelin/error.hpp"

namespace myelin::data {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw IoError(path + ": read error");
  return text.str();
}

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out;
}

// The place of a cell, for messages: "path:line: column 'name': ...".
struct Cell {
  const std::string& path;
  int64_t line;
  const std::string& column;
  [[noreturn]] void fail(const std::string& what) const {
    throw IoError(path + ":" + std::to_string(line) + ": column '" + column + "': " + what);
  }
};

float parse_number(const std::string& text, const Cell& where) {
  const std::string trimmed = trim(text);
  std::string_view v = trimmed;
  if (v.empty()) where.fail("missing value, expected a number");
  if (v.front() == '+') v.remove_prefix(1);
  float out = 0.f;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(out))
    where.fail("'" + trimmed + "' is not a finite number");
  return out;
}

// Index of the header column `name`; `role` says why it is needed ("label", "feature").
size_t column_index(const std::vector<std::string>& header, const std::string& name, const std::string& path,
                    const char* role) {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end())
    throw IoError(path + ": the header has no " + role + " column '" + name + "' (its columns are " +
                  join(header) + ")");
  if (std::find(it + 1, header.end(), name) != header.end())
    throw IoError(path + ": the " + role + " column '" + name + "' appears more than once in the header");
  return static_cast<size_t>(it - header.begin());
}

std::vector<std::string> read_header(detail::CsvScanner& scanner, const std::string& path) {
  detail::CsvRecord record;
  if (!scanner.next(record)) throw IoError(path + ": the file is empty; expected a header row naming the columns");
  std::vector<std::string> header;
  for (const std::string& f : record.fields) header.push_back(trim(f));
  return header;
}

void check_row_length(const detail::CsvRecord& record, const std::vector<std::string>& header, const std::string& path) {
  const size_t n = record.fields.size();
  if (n < header.size())
    Cell{path, record.line, header[n]}.fail("missing value (the row has " + std::to_string(n) + " of the header's " +
                                            std::to_string(header.size()) + " columns)");
  if (n > header.size())
    throw IoError(path + ":" + std::to_string(record.line) + ": the row has " + std::to_string(n) +
                  " fields, but the header names " + std::to_string(header.size()) + " columns");
}

}  // namespace

CsvTable read_csv(const std::string& path, const CsvOptions& options) {
  const bool has_label = !options.label_column.empty();
  if (!has_label && options.feature_columns.empty())
    throw Error("read_csv(" + path + "): options.label_column is required (or feature_columns, to read inputs only)");
  const std::string text = read_file(path);
  detail::CsvScanner scanner(text, options.delimiter, path);

  const std::vector<std::string> header = read_header(scanner, path);

  constexpr size_t kNone = static_cast<size_t>(-1);
  const size_t label_col = has_label ? column_index(header, options.label_column, path, "label") : kNone;
  std::vector<size_t> feature_cols;
  CsvTable table;
  if (options.feature_columns.empty()) {
    for (size_t c = 0; c < header.size(); ++c)
      if (c != label_col) feature_cols.push_back(c);
  } else {
    for (const std::string& name : options.feature_columns) {
      const size_t c = column_index(header, name, path, "feature");
      if (c == label_col) throw Error("read_csv(" + path + "): column '" + name + "' is both the label and a feature");
      feature_cols.push_back(c);
    }
  }
  for (size_t c : feature_cols) table.feature_names.push_back(header[c]);

  std::vector<float> features, labels;
  std::vector<std::string> label_names;  // with class names: the raw labels, one per row
  std::vector<int64_t> lines;
  detail::CsvRecord record;
  while (scanner.next(record)) {
    const std::vector<std::string>& fields = record.fields;
    check_row_length(record, header, path);
    for (size_t c : feature_cols) features.push_back(parse_number(fields[c], Cell{path, record.line, header[c]}));
    lines.push_back(record.line);
    if (!has_label) continue;
    const Cell label_cell{path, record.line, header[label_col]};
    if (options.labels_are_class_names) {
      label_names.push_back(trim(fields[label_col]));
      if (label_names.back().empty()) label_cell.fail("missing class name");
    } else {
      labels.push_back(parse_number(fields[label_col], label_cell));
    }
  }

  if (has_label && options.labels_are_class_names) {
    table.class_names = options.class_names;
    if (table.class_names.empty()) {
      table.class_names = label_names;
      std::sort(table.class_names.begin(), table.class_names.end());
      table.class_names.erase(std::unique(table.class_names.begin(), table.class_names.end()),
                              table.class_names.end());
    }
    std::map<std::string, float> index;
    for (size_t k = 0; k < table.class_names.size(); ++k) index.emplace(table.class_names[k], static_cast<float>(k));
    for (size_t r = 0; r < label_names.size(); ++r) {
      const auto it = index.find(label_names[r]);
      if (it == index.end())
        Cell{path, lines[r], header[label_col]}.fail("class '" + label_names[r] +
                                                     "' is not one of the given class names " +
                                                     join(table.class_names));
      labels.push_back(it->second);
    }
  }

  const int64_t rows = static_cast<int64_t>(lines.size());
  table.features = Tensor::from_vector(features, {rows, static_cast<int64_t>(feature_cols.size())});
  if (has_label) table.labels = Tensor::from_vector(labels, {rows});
  return table;
}

std::vector<std::vector<std::string>> read_csv_text(const std::string& path, const std::vector<std::string>& columns,
                                                    char delimiter) {
  const std::string text = read_file(path);
  detail::CsvScanner scanner(text, delimiter, path);
  const std::vector<std::string> header = read_header(scanner, path);
  std::vector<size_t> cols;
  for (const std::string& name : columns) cols.push_back(column_index(header, name, path, "text"));
  std::vector<std::vector<std::string>> out(columns.size());
  detail::CsvRecord record;
  while (scanner.next(record)) {
    check_row_length(record, header, path);
    for (size_t k = 0; k < cols.size(); ++k) {
      out[k].push_back(trim(record.fields[cols[k]]));
      if (out[k].back().empty()) Cell{path, record.line, header[cols[k]]}.fail("missing value");
    }
  }
  return out;
}

}  // namespace myelin::data
