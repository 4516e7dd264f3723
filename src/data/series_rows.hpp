#pragma once
// The cells of a series file, row by row: number cells (NaN in gaps), the text of one-hot
// columns, dates and the line of each row, from a long table or a wide one.
#include <cstdint>
#include <string>
#include <vector>

#include "myelin/data/series_table.hpp"

namespace myelin::data::detail {

// How a message about a gap says what to do about it.
inline constexpr const char* kSeriesMissingHint =
    "; set missing = \"drop\", \"mean\" or \"interpolate\" in [data] to accept gaps (SeriesColumns::missing in C++)";

struct SeriesRows {
  std::vector<std::string> names;               // the number columns
  std::vector<float> numbers;                   // (rows, names.size()), row-major; NaN in kept gaps
  std::vector<std::vector<std::string>> texts;  // per one-hot column (spec.one_hot's order): a cell per row
  std::vector<std::string> dates;               // a date per row (iso_date) when the table has dates
  std::vector<int64_t> lines;                   // the file line of each row
  std::vector<std::string> sources;             // wide tables: the value column of each row
};

// A table of one row per time step: spec.numbers, spec.one_hot's columns and spec.date_column.
SeriesRows read_long_rows(const std::string& path, const SeriesColumns& spec, SeriesGaps gaps);

// A table of one row per year (spec.wide): a row per value cell, in time order.
SeriesRows read_wide_rows(const std::string& path, const SeriesColumns& spec, SeriesGaps gaps);

}  // namespace myelin::data::detail
