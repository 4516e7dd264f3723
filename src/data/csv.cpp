// read_csv: the chosen columns, numeric cells, missing values and labels (numbers, class
// indices or class names), with errors at file:line, column.
#include "myelin/data/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "data/csv_cells.hpp"
#include "data/csv_columns.hpp"
#include "data/csv_scanner.hpp"
#include "myelin/error.hpp"
#include "myelin/quote.hpp"

namespace myelin::data {
namespace {

using detail::CsvColumns;
using detail::CsvRecord;
using detail::trim;

constexpr size_t kNoColumn = static_cast<size_t>(-1);
// Class indices are stored as floats, which hold every whole number below 2^24 exactly.
constexpr double kClassIndexLimit = 16777216.0;
constexpr const char* kMissingHint =
    "; set missing = \"drop\" in [data] to skip rows with gaps, or missing = \"mean\" to fill them with the "
    "training mean (CsvOptions::missing in C++)";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw IoError(path + ": read error");
  return text.str();
}

// TableBuilder: read_csv's rows, one at a time, into feature and label values.
class TableBuilder {
 public:
  TableBuilder(const std::string& path, const CsvOptions& options, const CsvColumns& columns)
      : path_(path), options_(options), columns_(columns) {
    if (!options.label_column.empty()) label_ = columns.find(options.label_column, "label");
    if (options.feature_columns.empty()) {
      for (size_t c = 0; c < columns.size(); ++c)
        if (c != label_) features_.push_back(c);
    } else {
      for (const std::string& name : options.feature_columns) {
        const size_t c = columns.find(name, "feature");
        if (c == label_)
          throw Error("read_csv(" + path + "): " + columns.describe(c) + " is both the label and a feature");
        features_.push_back(c);
      }
    }
  }

  void add_row(const CsvRecord& record) {
    columns_.check_width(record);
    bool gap = false;
    row_.clear();
    for (size_t c : features_) row_.push_back(feature_value(record, c, gap));
    if (label_ != kNoColumn) read_label(record, gap);
    if (gap && options_.missing == CsvMissing::drop) {
      ++table_.rows_dropped;
      return;
    }
    if (label_ != kNoColumn && !options_.labels_are_class_names) labels_.push_back(row_label_);
    if (label_ != kNoColumn && options_.labels_are_class_names) label_names_.push_back(row_label_name_);
    features_values_.insert(features_values_.end(), row_.begin(), row_.end());
    lines_.push_back(record.line);
  }

  CsvTable finish() {
    const int64_t rows = static_cast<int64_t>(lines_.size());
    if (rows == 0)
      throw IoError(path_ + ": every one of the " + std::to_string(table_.rows_dropped) +
                    " data rows has a missing value and was dropped (missing = \"drop\"); no rows are left");
    for (size_t c : features_) table_.feature_names.push_back(columns_.names()[c]);
    if (label_ != kNoColumn) table_.label_name = columns_.names()[label_];
    if (label_ != kNoColumn && options_.labels_are_class_names) map_class_names();
    table_.features = Tensor::from_vector(features_values_, {rows, static_cast<int64_t>(features_.size())});
    if (label_ != kNoColumn) table_.labels = Tensor::from_vector(labels_, {rows});
    return std::move(table_);
  }

 private:
  // The feature cell in column c as a number; NaN, with `gap` set, when it is missing.
  float feature_value(const CsvRecord& record, size_t c, bool& gap) {
    const std::string cell = trim(record.fields[c]);
    if (detail::is_missing_number(cell, options_.missing_values)) {
      if (options_.missing == CsvMissing::error)
        columns_.fail(record.line, c, "missing value " + quote_prefix(cell) + ", expected a number" + kMissingHint);
      gap = true;
      if (options_.missing == CsvMissing::keep_nan) ++table_.cells_missing;
      return std::numeric_limits<float>::quiet_NaN();
    }
    if (const std::optional<float> value = detail::parse_finite<float>(cell)) return *value;
    columns_.fail(record.line, c, quote_prefix(cell) + " is not a finite number");
  }

  // Reads the label cell into row_label_ or row_label_name_; sets `gap` when it is missing.
  void read_label(const CsvRecord& record, bool& gap) {
    const std::string cell = trim(record.fields[label_]);
    const bool names = options_.labels_are_class_names;
    const bool missing = names ? cell.empty() || std::find(options_.missing_values.begin(),
                                                           options_.missing_values.end(),
                                                           cell) != options_.missing_values.end()
                               : detail::is_missing_number(cell, options_.missing_values);
    if (missing) {
      const std::string what = "missing label " + quote_prefix(cell) + ", expected " +
                               (names ? "a class name" : options_.labels_are_class_indices ? "a class index" : "a number");
      if (options_.missing == CsvMissing::error) columns_.fail(record.line, label_, what + kMissingHint);
      if (options_.missing == CsvMissing::keep_nan)
        columns_.fail(record.line, label_, what + "; a label cannot be filled in with a mean (missing = \"drop\" skips "
                                                   "rows with gaps)");
      gap = true;
    } else if (names) {
      row_label_name_ = cell;
    } else if (options_.labels_are_class_indices) {
      row_label_ = class_index(record.line, cell);
    } else if (const std::optional<float> value = detail::parse_finite<float>(cell)) {
      row_label_ = *value;
    } else {
      columns_.fail(record.line, label_, "label " + quote_prefix(cell) + " is not a finite number");
    }
  }

  float class_index(int64_t line, const std::string& cell) const {
    const std::optional<double> value = detail::parse_finite<double>(cell);
    if (!value || *value < 0 || *value >= kClassIndexLimit || *value != std::floor(*value))
      columns_.fail(line, label_, "label " + quote_prefix(cell) +
                                      " is not a class index: expected a whole number from 0 to 16777215, as a "
                                      "classification loss needs (class indices 0..K-1)");
    return static_cast<float>(*value);
  }

  // Class names to indices: the given mapping, or this file's distinct names, sorted.
  void map_class_names() {
    table_.class_names = options_.class_names;
    if (table_.class_names.empty()) {
      table_.class_names = label_names_;
      std::sort(table_.class_names.begin(), table_.class_names.end());
      table_.class_names.erase(std::unique(table_.class_names.begin(), table_.class_names.end()),
                               table_.class_names.end());
    }
    std::map<std::string, float> index;
    for (size_t k = 0; k < table_.class_names.size(); ++k) index.emplace(table_.class_names[k], static_cast<float>(k));
    for (size_t r = 0; r < label_names_.size(); ++r) {
      const auto it = index.find(label_names_[r]);
      if (it == index.end())
        columns_.fail(lines_[r], label_, "class " + quote_prefix(label_names_[r]) +
                                             " is not one of the given class names " + quote_list(table_.class_names));
      labels_.push_back(it->second);
    }
  }

  const std::string& path_;
  const CsvOptions& options_;
  const CsvColumns& columns_;
  size_t label_ = kNoColumn;
  std::vector<size_t> features_;  // column indices, in the order of the table's features

  std::vector<float> row_;  // the current row's features
  float row_label_ = 0.f;
  std::string row_label_name_;

  std::vector<float> features_values_, labels_;
  std::vector<std::string> label_names_;  // with class names: the raw labels, one per row
  std::vector<int64_t> lines_;            // the line of each kept row
  CsvTable table_;
};

}  // namespace

CsvTable read_csv(const std::string& path, const CsvOptions& options) {
  if (options.label_column.empty() && options.feature_columns.empty())
    throw Error("read_csv(" + path + "): options.label_column is required (or feature_columns, to read inputs only)");
  if (options.labels_are_class_names && options.labels_are_class_indices)
    throw Error("read_csv(" + path + "): labels are either class names or class indices, not both");
  const std::string text = read_file(path);
  detail::CsvScanner scanner(text, options.delimiter, path);
  CsvRecord record;
  const CsvColumns columns(scanner, path, options.header, options.missing_values, record);
  TableBuilder builder(path, options, columns);
  do {
    builder.add_row(record);
  } while (scanner.next(record));
  return builder.finish();
}

std::vector<std::string> read_csv_columns(const std::string& path, bool header, char delimiter) {
  const std::string text = read_file(path);
  detail::CsvScanner scanner(text, delimiter, path);
  CsvRecord first_row;
  return CsvColumns(scanner, path, header, /*missing_values=*/{}, first_row).names();
}

std::vector<std::vector<std::string>> read_csv_text(const std::string& path, const std::vector<std::string>& columns,
                                                    char delimiter) {
  const std::string text = read_file(path);
  detail::CsvScanner scanner(text, delimiter, path);
  CsvRecord record;
  const CsvColumns table(scanner, path, /*has_header=*/true, /*missing_values=*/{}, record);
  std::vector<size_t> cols;
  for (const std::string& name : columns) cols.push_back(table.find(name, "text"));
  std::vector<std::vector<std::string>> out(columns.size());
  do {
    table.check_width(record);
    for (size_t k = 0; k < cols.size(); ++k) {
      out[k].push_back(trim(record.fields[cols[k]]));
      if (out[k].back().empty()) table.fail(record.line, cols[k], "missing value");
    }
  } while (scanner.next(record));
  return out;
}

}  // namespace myelin::data
