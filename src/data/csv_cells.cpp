// CSV cells: trimming, exact finite numbers, and the markers that mean "no value".
#include "data/csv_cells.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "myelin/data/csv.hpp"

namespace myelin::data {

const std::vector<std::string>& csv_missing_markers() {
  static const std::vector<std::string> markers{"NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "?"};
  return markers;
}

namespace detail {

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

template <class T>
std::optional<T> parse_finite(std::string_view v) {
  if (v.starts_with('+')) v.remove_prefix(1);
  T out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || !std::isfinite(out)) return std::nullopt;
  return out;
}
template std::optional<float> parse_finite<float>(std::string_view);
template std::optional<double> parse_finite<double>(std::string_view);

bool is_missing_number(std::string_view trimmed, const std::vector<std::string>& extra) {
  const auto is = [&](const std::string& marker) { return trimmed == marker; };
  return trimmed.empty() || std::any_of(csv_missing_markers().begin(), csv_missing_markers().end(), is) ||
         std::any_of(extra.begin(), extra.end(), is);
}

}  // namespace detail
}  // namespace myelin::data
