#include "config/toml_reader.hpp"

#include <optional>

#include "myelin/error.hpp"

namespace myelin::config {
namespace {

std::string type_of(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

}  // namespace

// The value must be one of `allowed` (else an error that suggests the nearest).
void check_choice(const TableReader& r, const std::string& key, const std::string& value,
                  const std::vector<std::string>& allowed) {
  for (const auto& a : allowed)
    if (value == a) return;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "'" : ", '") + a + "'";
  const std::string guess = nearest(value, allowed);
  r.fail(key, "is '" + value + "', expected one of " + list + (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
}

Location location_of(const std::string& file, const toml::node& node) {
  return {file, static_cast<int64_t>(node.source().begin.line)};
}

TableReader::TableReader(const toml::table& table, std::string name, std::string file)
    : table_(table), name_(std::move(name)), file_(std::move(file)), where_(location_of(file_, table)) {}

const toml::node* TableReader::find(const std::string& key) {
  known_.insert(key);
  return table_.get(key);
}

Location TableReader::where(const std::string& key) const {
  const toml::node* n = table_.get(key);
  return n ? location_of(file_, *n) : where_;
}

void TableReader::fail(const std::string& key, const std::string& message) const {
  throw Error(where(key).str() + ": " + name_ + " " + key + " " + message);
}

int64_t TableReader::get_int(const std::string& key, int64_t fallback) {
  const toml::node* n = find(key);
  if (!n) return fallback;
  if (auto v = n->value_exact<int64_t>()) return *v;
  fail(key, "must be an integer, got " + type_of(*n));
}

double TableReader::get_double(const std::string& key, double fallback) {
  const toml::node* n = find(key);
  if (!n) return fallback;
  if (n->is_integer() || n->is_floating_point()) return *n->value<double>();
  fail(key, "must be a number, got " + type_of(*n));
}

bool TableReader::get_bool(const std::string& key, bool fallback) {
  const toml::node* n = find(key);
  if (!n) return fallback;
  if (auto v = n->value_exact<bool>()) return *v;
  fail(key, "must be true or false, got " + type_of(*n));
}

std::string TableReader::get_string(const std::string& key, const std::string& fallback) {
  const toml::node* n = find(key);
  if (!n) return fallback;
  if (auto v = n->value_exact<std::string>()) return *v;
  fail(key, "must be a string, got " + type_of(*n));
}

std::string TableReader::require_string(const std::string& key) {
  if (!has(key)) {
    known_.insert(key);
    throw Error(where_.str() + ": " + name_ + " needs the key '" + key + "'");
  }
  return get_string(key, "");
}

namespace {
// The elements of an array node, each converted by `convert` (which returns nullopt for a wrong type).
template <class T, class Convert>
std::vector<T> elements(const TableReader& r, const std::string& key, const toml::node& n,
                        const std::string& what, Convert convert) {
  const toml::array* a = n.as_array();
  if (!a) r.fail(key, "must be an array of " + what + ", got " + type_of(n));
  std::vector<T> out;
  for (const toml::node& e : *a) {
    std::optional<T> v = convert(e);
    if (!v) r.fail(key, "must be an array of " + what + ", but holds " + type_of(e));
    out.push_back(*v);
  }
  return out;
}
}  // namespace

std::vector<int64_t> TableReader::get_ints(const std::string& key) {
  const toml::node* n = find(key);
  if (!n) return {};
  return elements<int64_t>(*this, key, *n, "integers", [](const toml::node& e) { return e.value_exact<int64_t>(); });
}

std::vector<double> TableReader::get_doubles(const std::string& key) {
  const toml::node* n = find(key);
  if (!n) return {};
  return elements<double>(*this, key, *n, "numbers", [](const toml::node& e) -> std::optional<double> {
    if (e.is_integer() || e.is_floating_point()) return e.value<double>();
    return std::nullopt;
  });
}

std::vector<std::string> TableReader::get_strings(const std::string& key) {
  const toml::node* n = find(key);
  if (!n) return {};
  return elements<std::string>(*this, key, *n, "strings", [](const toml::node& e) { return e.value_exact<std::string>(); });
}

namespace {
// A column name, or a column index as its text; nothing for another type.
std::optional<std::string> column_of(const toml::node& n) {
  if (auto name = n.value_exact<std::string>()) return name;
  if (auto index = n.value_exact<int64_t>()) return std::to_string(*index);
  return std::nullopt;
}
}  // namespace

std::string TableReader::get_column(const std::string& key, const std::string& fallback) {
  const toml::node* n = find(key);
  if (!n) return fallback;
  if (auto column = column_of(*n)) return *column;
  fail(key, "must be a column name (a string) or index (an integer), got " + type_of(*n));
}

std::vector<std::string> TableReader::get_columns(const std::string& key) {
  const toml::node* n = find(key);
  if (!n) return {};
  return elements<std::string>(*this, key, *n, "column names (strings) or indices (integers)", column_of);
}

const toml::table* TableReader::get_table(const std::string& key) {
  const toml::node* n = find(key);
  if (!n) return nullptr;
  if (const toml::table* t = n->as_table()) return t;
  fail(key, "must be a table, got " + type_of(*n));
}

const toml::array* TableReader::get_table_array(const std::string& key) {
  const toml::node* n = find(key);
  if (!n) return nullptr;
  const toml::array* a = n->as_array();
  if (!a || !a->is_array_of_tables()) fail(key, "must be a list of tables ([[" + key + "]] entries), got " + type_of(*n));
  return a;
}

void TableReader::finish() const {
  std::vector<std::string> known(known_.begin(), known_.end());
  for (const auto& [key, node] : table_) {
    const std::string k(key.str());
    if (known_.count(k)) continue;
    const std::string suggestion = nearest(k, known);
    std::string list;
    for (const auto& x : known) list += (list.empty() ? "" : ", ") + x;
    throw Error(location_of(file_, node).str() + ": unknown key '" + k + "' in " + name_ +
                (suggestion.empty() ? " (known keys: " + list + ")" : " (did you mean '" + suggestion + "'?)"));
  }
}

}  // namespace myelin::config
