#pragma once
// A CSV table as a numeric series: number columns, one-hot categories and day-of-year features.
#include <map>
#include <string>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::data {

/// SeriesColumns: which columns of a CSV file make the series, and which features are derived
/// from its text columns.
struct SeriesColumns {
  std::vector<std::string> numbers;  // columns read as numbers, in this order
  /// Text columns one-hot encoded as columns "<column>=<category>", by column name, each with
  /// its categories in order; an empty list takes the file's distinct values, sorted.
  std::map<std::string, std::vector<std::string>> one_hot;
  std::string date_column;   // dates written YYYY-MM-DD or YYYY/MM/DD, in time order; "" for none
  bool day_of_year = false;  // adds day_of_year_sin and day_of_year_cos (a yearly cycle); needs date_column
};

/// SeriesTable: what read_series_table returns.
struct SeriesTable {
  Tensor values;                     // (N, F): numbers, then one-hot columns, then day-of-year
  std::vector<std::string> columns;  // the F column names
  std::vector<std::string> dates;    // N dates as YYYY-MM-DD when date_column is set, else empty
  SeriesColumns spec;                // the spec with every one-hot column's categories filled in
};

/// Reads the series `spec` describes from the CSV file `path`.
/// Throws IoError naming the file, line and column for a missing column, a cell that is not a
/// number or a date, a category outside a given list, or dates that go back in time; Error when
/// day_of_year is set without date_column.
SeriesTable read_series_table(const std::string& path, const SeriesColumns& spec);

/// The day of the year, 1..366, of a date "YYYY-MM-DD" or "YYYY/MM/DD" (else Error).
int day_of_year(const std::string& date);

/// `date` as "YYYY-MM-DD" (from "YYYY/MM/DD" too), checked as a calendar date (else Error).
std::string iso_date(const std::string& date);

}  // namespace myelin::data
