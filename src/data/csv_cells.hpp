#pragma once
// The text of one CSV cell: trimming, numbers, and missing-value markers.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace myelin::data::detail {

// `s` without leading and trailing spaces, tabs and line breaks.
std::string trim(std::string_view s);

// The finite number written in `trimmed` (an optional leading '+' is allowed), or nothing when
// the text is not exactly one finite number of type T (float or double).
template <class T>
std::optional<T> parse_finite(std::string_view trimmed);

// Whether `trimmed` stands for "no value": empty, one of csv_missing_markers(), or one of
// `extra` (CsvOptions::missing_values).
bool is_missing_number(std::string_view trimmed, const std::vector<std::string>& extra);

}  // namespace myelin::data::detail
