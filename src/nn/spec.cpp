// ModuleSpec: typed access to a module's settings, with errors that name the module and key.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "myelin/error.hpp"
#include "myelin/nn/module.hpp"
#include "nn/format.hpp"

namespace myelin::nn {
namespace {

[[noreturn]] void fail(const ModuleSpec& s, const std::string& key, const std::string& what) {
  throw Error(s.type + ": setting '" + key + "' " + what);
}

const std::string* find(const ModuleSpec& s, const std::string& key) {
  auto it = s.attrs.find(key);
  return it == s.attrs.end() ? nullptr : &it->second;
}

// An integer setting: digits, or a whole number in a float's notation ("1e+06", which is how a
// config's `kernel_size = 1e6` arrives), within +-ModuleSpec::kMaxIntSetting.
int64_t parse_int(const ModuleSpec& s, const std::string& key, const std::string& v) {
  constexpr int64_t kMax = ModuleSpec::kMaxIntSetting;
  const std::string range = "must be between -" + std::to_string(kMax) + " and " + std::to_string(kMax) + ", got " + v;
  const char* const last = v.data() + v.size();
  int64_t out = 0;
  const auto [int_end, int_error] = std::from_chars(v.data(), last, out);
  if (int_error == std::errc() && int_end == last) {
    if (out > kMax || out < -kMax) fail(s, key, range);
    return out;
  }
  double whole = 0;
  const auto [end, error] = std::from_chars(v.data(), last, whole);
  const bool too_large = error == std::errc::result_out_of_range || (error == std::errc() && std::isinf(whole));
  if (end != last || (error != std::errc() && !too_large) || (!too_large && whole != std::floor(whole)))
    fail(s, key, "must be an integer, got '" + v + "'");
  if (too_large || std::fabs(whole) > static_cast<double>(kMax)) fail(s, key, range);
  return static_cast<int64_t>(whole);
}

}  // namespace

ModuleSpec::ModuleSpec() = default;
ModuleSpec::ModuleSpec(std::string type, std::map<std::string, std::string> attrs,
                       std::vector<std::pair<std::string, ModuleSpec>> children)
    : type(std::move(type)), attrs(std::move(attrs)), children(std::move(children)) {}
ModuleSpec::ModuleSpec(const ModuleSpec&) = default;
ModuleSpec::ModuleSpec(ModuleSpec&&) noexcept = default;
ModuleSpec& ModuleSpec::operator=(const ModuleSpec&) = default;
ModuleSpec& ModuleSpec::operator=(ModuleSpec&&) noexcept = default;
ModuleSpec::~ModuleSpec() = default;

int64_t ModuleSpec::get_int(const std::string& key) const {
  const std::string* v = find(*this, key);
  if (!v) fail(*this, key, "is required");
  return parse_int(*this, key, *v);
}

int64_t ModuleSpec::get_int(const std::string& key, int64_t fallback) const {
  const std::string* v = find(*this, key);
  return v ? parse_int(*this, key, *v) : fallback;
}

double ModuleSpec::get_float(const std::string& key) const {
  const std::string* v = find(*this, key);
  if (!v) fail(*this, key, "is required");
  char* end = nullptr;
  const double out = std::strtod(v->c_str(), &end);
  if (v->empty() || *end != '\0') fail(*this, key, "must be a number, got '" + *v + "'");
  return out;
}

double ModuleSpec::get_float(const std::string& key, double fallback) const {
  return find(*this, key) ? get_float(key) : fallback;
}

bool ModuleSpec::get_bool(const std::string& key, bool fallback) const {
  const std::string* v = find(*this, key);
  if (!v) return fallback;
  if (*v == "true") return true;
  if (*v == "false") return false;
  fail(*this, key, "must be true or false, got '" + *v + "'");
}

std::string ModuleSpec::get_string(const std::string& key) const {
  const std::string* v = find(*this, key);
  if (!v) fail(*this, key, "is required");
  return *v;
}

std::string ModuleSpec::get_string(const std::string& key, const std::string& fallback) const {
  const std::string* v = find(*this, key);
  return v ? *v : fallback;
}

std::vector<int64_t> ModuleSpec::get_ints(const std::string& key) const {
  const std::string* v = find(*this, key);
  if (!v) fail(*this, key, "is required");
  std::vector<int64_t> out;
  std::stringstream in(*v);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(parse_int(*this, key, item));
  return out;
}

void ModuleSpec::set(const std::string& key, int64_t v) { attrs[key] = std::to_string(v); }
void ModuleSpec::set(const std::string& key, bool v) { attrs[key] = v ? "true" : "false"; }
void ModuleSpec::set(const std::string& key, const std::string& v) { attrs[key] = v; }
void ModuleSpec::set(const std::string& key, double v) { attrs[key] = format_number(v); }
void ModuleSpec::set(const std::string& key, const std::vector<int64_t>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(v[i]);
  }
  attrs[key] = s;
}

}  // namespace myelin::nn
