#pragma once
// A CSV table as a numeric series: number columns, one-hot categories and day-of-year features,
// read from one row per time step or from a wide table (a row per year, a column per month),
// with a policy for missing values.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "myelin/data/dates.hpp"
#include "myelin/tensor.hpp"

namespace myelin::data {

/// What happens to a missing number in a series: an empty cell, one of csv_missing_markers()
/// (NA, N/A, NaN, nan, null, ?, ...) or one of SeriesColumns::missing_values.
enum class SeriesMissing {
  error,        ///< an error naming the file, line and column (the default)
  drop,         ///< the row (the time step) is left out
  mean,         ///< filled with its column's mean over the training part
  interpolate,  ///< filled linearly in time between the values before and after it (edges: the nearest value)
};

/// The policy named "error", "drop", "mean" or "interpolate" (else Error listing them).
SeriesMissing series_missing_from_name(const std::string& name);
/// The name series_missing_from_name reads.
std::string series_missing_name(SeriesMissing policy);

/// WideLayout: a table with a row per year and a column per part of the year, e.g.
/// "Year,Jan,Feb,...,Dec" (NOAA, HadCRUT, Mauna Loa tables), read as one series in time order.
/// With 12 value columns each is a month; with 1, 2, 3, 4 or 6 each is the period starting at
/// month 1 + k * 12 / count. Dates are written YYYY-MM.
struct WideLayout {
  std::string year_column;                 // the column holding the year; "" for a table of one row per step
  std::vector<std::string> value_columns;  // the columns of one year's values, in time order
  std::string name;                        // the name of the series' one number column (e.g. "anomaly")
  bool operator==(const WideLayout&) const = default;
};

/// SeriesColumns: which columns of a CSV file make the series, which features are derived from
/// its text columns, how its dates are written and what fills its gaps.
struct SeriesColumns {
  std::vector<std::string> numbers;  // columns read as numbers, in this order (wide: each is wide.name)
  /// Text columns one-hot encoded as columns "<column>=<category>", by column name, each with
  /// its categories in order; an empty list takes the file's distinct values, sorted.
  std::map<std::string, std::vector<std::string>> one_hot;
  std::string date_column;   // dates in time order, in any form iso_date reads; "" for none
  std::string date_format;   // strptime-like (see iso_date); "" reads the usual forms
  bool day_of_year = false;  // adds day_of_year_sin and day_of_year_cos (a yearly cycle); needs dates
  WideLayout wide;           // a wide table when wide.year_column is set (then no date_column or one_hot)
  SeriesMissing missing = SeriesMissing::error;
  std::vector<std::string> missing_values;  // cells that also mean "no value", e.g. {"-99.99", "-999"}
  /// Under SeriesMissing::mean: the value that fills a gap in each column of the series (the
  /// training part's means, kept with a model); empty until a model is prepared.
  std::vector<float> fill_values;
};

/// SeriesTable: what read_series_table returns.
struct SeriesTable {
  Tensor values;                     // (N, F): numbers, then one-hot columns, then day-of-year; NaN in gaps
  std::vector<std::string> columns;  // the F column names
  std::vector<std::string> dates;    // N dates as iso_date gives them when the table has dates, else empty
  std::vector<int64_t> lines;        // N: the file line each row was read from, for messages
  std::vector<std::string> sources;  // wide tables: the value column each row was read from; else empty
  SeriesColumns spec;                // the spec with every one-hot column's categories filled in
};

/// How read_series_table treats missing number cells.
enum class SeriesGaps {
  by_policy,  ///< as spec.missing says: error throws, drop leaves the row out, mean and interpolate keep NaN
  keep,       ///< every missing number is NaN, whatever the policy (to look at the rows needed first)
};

/// Reads the series `spec` describes from the CSV file `path`. Missing number cells are NaN or
/// handled as `gaps` says; a missing date or category cannot be filled: its row is dropped
/// under SeriesMissing::drop, else it is an error.
/// Throws IoError "path:line: column 'c': ..." for a missing column, a cell that is not a
/// number or a date, a missing value under SeriesMissing::error (suggesting the `missing` key),
/// a category outside a given list, or dates that go back in time; Error for a spec that does
/// not fit together (day_of_year without dates, a wide table with one_hot, a bad date_format).
SeriesTable read_series_table(const std::string& path, const SeriesColumns& spec, SeriesGaps gaps = SeriesGaps::by_policy);

}  // namespace myelin::data
