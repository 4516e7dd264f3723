#pragma once
// CsvScanner: splits CSV text into records of fields (RFC 4180 quoting), remembering the line on
// which each record starts, for error messages.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace myelin::data::detail {

struct CsvRecord {
  int64_t line = 0;  // 1-based line of the record's first character
  std::vector<std::string> fields;
};

class CsvScanner {
 public:
  // `text` must outlive the scanner; `path` is only for messages.
  CsvScanner(std::string_view text, char delimiter, std::string path);
  // Reads the next non-blank record into `out`; false at the end of the text.
  // Throws IoError (path:line) for a quote that never closes or text after a closing quote.
  bool next(CsvRecord& out);

 private:
  std::string_view text_;
  char delimiter_;
  std::string path_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

}  // namespace myelin::data::detail
