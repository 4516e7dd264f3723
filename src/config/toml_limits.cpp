#include "config/toml_limits.hpp"

#include <fstream>
#include <vector>

#include "myelin/error.hpp"

namespace myelin::config {
namespace {

// DepthScan: one pass over a TOML text that tracks how deep the value being read sits: the
// current table header's parts, the dotted key of each open key/value pair, and the arrays and
// inline tables open around it.
class DepthScan {
 public:
  DepthScan(const std::string& text, const std::string& path) : text_(text), path_(path) {}

  void run() {
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '\n') end_line();
      else if (c == '#') skip_comment();
      else if (c == '"' || c == '\'') skip_string(c);
      else if (c == ' ' || c == '\t' || c == '\r') ++at_;
      else if (reading_key_) key_char(c);
      else value_char(c);
    }
  }

 private:
  // An array ('[') or inline table ('{') open around the value, with the parts of the dotted key
  // being read or last read inside it (inline tables only).
  struct Open {
    char kind;
    int key_parts;
  };

  void end_line() {
    ++line_, ++at_;
    if (!open_.empty()) return;  // arrays may span lines
    reading_key_ = true, statement_started_ = false, key_parts_ = 1, statement_key_parts_ = 0;
  }

  void skip_comment() {
    while (at_ < text_.size() && text_[at_] != '\n') ++at_;
  }

  // A basic ("...", with escapes) or literal ('...') string, single- or multi-line ("""...""").
  void skip_string(char quote) {
    statement_started_ = true;
    const bool multi_line = text_.compare(at_, 3, std::string(3, quote)) == 0;
    at_ += multi_line ? 3 : 1;
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '\\' && quote == '"') {
        if (at_ + 1 < text_.size() && text_[at_ + 1] == '\n') ++line_;
        at_ += 2;
        continue;
      }
      if (c == '\n') {
        if (!multi_line) return;  // unterminated: the parser reports it
        ++line_;
      }
      if (c == quote && (!multi_line || text_.compare(at_, 3, std::string(3, quote)) == 0)) {
        at_ += multi_line ? 3 : 1;
        // A multi-line string may end with one or two quotes of its own before the delimiter.
        for (int extra = 0; multi_line && extra < 2 && at_ < text_.size() && text_[at_] == quote; ++extra) ++at_;
        return;
      }
      ++at_;
    }
  }

  void key_char(char c) {
    if (c == '[' && !statement_started_ && open_.empty()) return table_header();
    statement_started_ = true;
    ++at_;
    if (c == '.') {
      ++key_parts_;
      check();
    } else if (c == '=') {
      (open_.empty() ? statement_key_parts_ : open_.back().key_parts) = key_parts_;
      key_parts_ = 1, reading_key_ = false;
      check();
    } else if (c == '}' && !open_.empty()) {  // an empty inline table, or a trailing comma
      close();
    }
  }

  void value_char(char c) {
    ++at_;
    if (c == '[' || c == '{') {
      open_.push_back({c, 0});
      check();
      if (c == '{') reading_key_ = true, key_parts_ = 1;
    } else if ((c == ']' || c == '}') && !open_.empty()) {
      close();
    } else if (c == ',' && !open_.empty() && open_.back().kind == '{') {
      open_.back().key_parts = 0;
      reading_key_ = true, key_parts_ = 1;
    }
  }

  void close() {
    open_.pop_back();
    reading_key_ = false;
  }

  // [a.b.c] or [[a.b.c]]: the header's parts become the depth every key below starts from.
  void table_header() {
    statement_started_ = true;
    header_parts_ = 1;
    ++at_;
    while (at_ < text_.size() && text_[at_] != ']' && text_[at_] != '\n') {
      const char c = text_[at_];
      if (c == '"' || c == '\'') {
        skip_string(c);
        continue;
      }
      if (c == '.') ++header_parts_;
      ++at_;
      check();
    }
    reading_key_ = false;  // the rest of the line is the closing brackets and a comment
  }

  // The depth here: the header, the keys of the open pairs (and of the key being read), and the
  // open arrays and inline tables.
  void check() const {
    int depth = header_parts_ + statement_key_parts_ + static_cast<int>(open_.size()) + (reading_key_ ? key_parts_ : 0);
    for (const Open& o : open_) depth += o.key_parts;
    if (depth > kMaxConfigDepth)
      throw Error(path_ + ":" + std::to_string(line_) + ": the config nests more than " +
                  std::to_string(kMaxConfigDepth) + " levels deep (table header parts, dotted key parts, arrays and " +
                  "inline tables counted together); a run config needs a handful");
  }

  const std::string& text_;
  const std::string& path_;
  size_t at_ = 0;
  int64_t line_ = 1;
  bool reading_key_ = true;         // at a key: the start of a line, or after '{' or ',' in an inline table
  bool statement_started_ = false;  // the line holds more than blanks so far
  int key_parts_ = 1;               // of the key being read
  int statement_key_parts_ = 0;     // of the key of this line's key/value pair
  int header_parts_ = 0;            // of the last table header
  std::vector<Open> open_;
};

}  // namespace

void check_toml_depth(const std::string& text, const std::string& path) { DepthScan(text, path).run(); }

toml::table parse_toml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open the config file");
  // Read in chunks up to the limit, so that a device or pipe without a size is bounded too.
  std::string text;
  std::vector<char> chunk(size_t{1} << 16);
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    text.append(chunk.data(), static_cast<size_t>(in.gcount()));
    if (text.size() > static_cast<size_t>(kMaxConfigBytes))
      throw IoError(path + ": more than " + std::to_string(kMaxConfigBytes) + " bytes, the most a config file may have");
  }
  check_toml_depth(text, path);
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw Error(path + ":" + std::to_string(e.source().begin.line) + ": TOML syntax error: " +
                std::string(e.description()));
  }
}

}  // namespace myelin::config
