#pragma once
// TableReader: typed reads of one TOML table with errors at file:line, and a check that the table
// holds no key nobody asked for (with the nearest known key suggested). Internal to src/config.
#include <toml++/toml.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "config/suggest.hpp"
#include "myelin/config/config.hpp"

namespace myelin::config {

/// The location of a TOML node in `file`.
Location location_of(const std::string& file, const toml::node& node);

/// TableReader: reads the keys of `table` (called `name` in messages, e.g. "[optimizer]").
/// Every get_* marks its key as known, present or not; finish() then rejects the other keys.
/// A key of the wrong type throws Error "file:line: [name] key must be ..., got ...".
class TableReader {
 public:
  TableReader(const toml::table& table, std::string name, std::string file);

  bool has(const std::string& key) const { return table_.contains(key); }
  int64_t get_int(const std::string& key, int64_t fallback);
  /// Integers are accepted for numbers.
  double get_double(const std::string& key, double fallback);
  bool get_bool(const std::string& key, bool fallback);
  std::string get_string(const std::string& key, const std::string& fallback);
  /// Throws Error when the key is absent.
  std::string require_string(const std::string& key);
  std::vector<int64_t> get_ints(const std::string& key);
  std::vector<double> get_doubles(const std::string& key);
  std::vector<std::string> get_strings(const std::string& key);
  /// A table column chosen by name (a string) or by 0-based index (an integer; negative counts
  /// from the end), as text: "price", "-1".
  std::string get_column(const std::string& key, const std::string& fallback);
  /// An array of columns, each a name or an index, as text.
  std::vector<std::string> get_columns(const std::string& key);
  /// The sub-table `key`, or null when absent.
  const toml::table* get_table(const std::string& key);
  /// The array of tables `key` ([[key]] entries), or null when absent.
  const toml::array* get_table_array(const std::string& key);

  /// Where `key` is written, or the table itself when the key is absent.
  Location where(const std::string& key) const;
  Location where() const { return where_; }
  /// Throws Error "file:line: unknown key 'k' in [name] (did you mean 'x'?)" for a key no get_*
  /// asked for.
  void finish() const;
  /// Throws Error "file:line: [name] key <message>".
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;

 private:
  const toml::node* find(const std::string& key);
  const toml::table& table_;
  std::string name_, file_;
  Location where_;
  std::set<std::string> known_;
};

/// Throws through `r` at `key` unless `value` is one of `allowed`, listing them and suggesting
/// the nearest ("did you mean ...?").
void check_choice(const TableReader& r, const std::string& key, const std::string& value,
                  const std::vector<std::string>& allowed);

}  // namespace myelin::config
