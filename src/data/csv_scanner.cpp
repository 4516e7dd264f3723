// CsvScanner: records and fields of CSV text, with quoted fields.
#include "data/csv_scanner.hpp"

#include "myelin/error.hpp"

namespace myelin::data::detail {

CsvScanner::CsvScanner(std::string_view text, char delimiter, std::string path)
    : text_(text), delimiter_(delimiter), path_(std::move(path)) {
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // a UTF-8 byte-order mark is not data
}

bool CsvScanner::next(CsvRecord& out) {
  // Skip blank lines (also "\r\n" ones).
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;

  out.line = line_;
  out.fields.clear();
  std::string field;
  bool quoted = false;       // inside a quoted field
  bool after_quote = false;  // a quoted field just closed; only a delimiter or line end may follow
  while (pos_ < text_.size()) {
    const char c = text_[pos_++];
    if (quoted) {
      if (c == '"' && pos_ < text_.size() && text_[pos_] == '"') {
        field += '"';
        ++pos_;
      } else if (c == '"') {
        quoted = false;
        after_quote = true;
      } else {
        if (c == '\n') ++line_;
        field += c;
      }
    } else if (c == delimiter_) {
      out.fields.push_back(std::move(field));
      field.clear();
      after_quote = false;
    } else if (c == '\n') {
      ++line_;
      break;
    } else if (c == '\r' && (pos_ == text_.size() || text_[pos_] == '\n')) {
      // the CR of a CRLF line end
    } else if (after_quote && (c == ' ' || c == '\t')) {
      // spaces after a closing quote are not part of the field either
    } else if (after_quote) {
      throw IoError(path_ + ":" + std::to_string(line_) + ": unexpected character '" + std::string(1, c) +
                    "' after a closing quote (expected the delimiter or the end of the line)");
    } else if (c == '"' && field.find_first_not_of(" \t") == std::string::npos) {
      field.clear();  // spaces before an opening quote are not part of the field
      quoted = true;
    } else {
      field += c;
    }
  }
  if (quoted)
    throw IoError(path_ + ":" + std::to_string(out.line) + ": a quoted field opened on this line never closes");
  out.fields.push_back(std::move(field));
  return true;
}

}  // namespace myelin::data::detail
