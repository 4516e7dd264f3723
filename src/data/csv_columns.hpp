#pragma once
// CsvColumns: the columns of a CSV table (from its header row, or numbered when it has none),
// choosing columns by name or index, and naming them in messages.
#include <string>
#include <vector>

#include "data/csv_scanner.hpp"

namespace myelin::data::detail {

class CsvColumns {
 public:
  // Reads the header row with `has_header` (rejecting a repeated name, and a row that looks like
  // data); without one, numbers the columns of the first row "0", "1", .... Either way leaves
  // the first data row in `first_row`. Throws IoError (path:line) for an empty file or one with
  // a header but no data rows. `missing_values` are cells that mean "no value" (CsvOptions).
  CsvColumns(CsvScanner& scanner, const std::string& path, bool has_header,
             const std::vector<std::string>& missing_values, CsvRecord& first_row);

  // The names: header names, or "0", "1", ... without a header.
  const std::vector<std::string>& names() const { return names_; }
  size_t size() const { return names_.size(); }

  // For messages: "column 'price'" with a header, "column 3" without.
  std::string describe(size_t column) const;

  // The index of the column `name`: a header name, else a 0-based index written as text,
  // negative counting from the end. `role` ("label", "feature") says why it is wanted, for the
  // IoError thrown when there is no such column.
  size_t find(const std::string& name, const char* role) const;

  // Throws IoError (path:line) unless `record` has one field per column.
  void check_width(const CsvRecord& record) const;

  // Throws IoError "path:line: column ...: what".
  [[noreturn]] void fail(int64_t line, size_t column, const std::string& what) const;

 private:
  void check_header(const CsvRecord& header, const std::vector<std::string>& missing_values) const;

  std::string path_;
  bool has_header_;
  std::vector<std::string> names_;
};

}  // namespace myelin::data::detail
