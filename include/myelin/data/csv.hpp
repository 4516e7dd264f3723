#pragma once
// Reader for CSV tables: numeric features and one label column, chosen by header name or by
// index, with a policy for missing values.
#include <cstdint>
#include <string>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::data {

/// What read_csv does with a missing value: an empty cell, a cell that is one of
/// csv_missing_markers() (numeric columns only), or one of CsvOptions::missing_values.
enum class CsvMissing {
  error,     ///< throw IoError naming the file, line and column (the default)
  drop,      ///< leave out every row with a missing feature or label; CsvTable::rows_dropped counts them
  keep_nan,  ///< a missing feature becomes NaN, to be filled (column_means_ignoring_nan, fill_nan);
             ///< a missing label is still an error, since a label cannot be filled in
};

/// Settings of read_csv.
struct CsvOptions {
  /// The label (target) column: a header name or an index (see `header`); empty reads inputs
  /// only (then feature_columns are required and CsvTable::labels is undefined), e.g. for
  /// prediction.
  std::string label_column;
  /// The feature columns, in this order, as header names or indices; empty: every column but
  /// the label, in file order.
  std::vector<std::string> feature_columns = {};
  /// Labels are class names, mapped to class indices 0..K-1 (else labels are numbers).
  bool labels_are_class_names = false;
  /// With labels_are_class_names: the class names in index order, so that several files share
  /// one mapping; empty: the distinct labels of this file, sorted.
  std::vector<std::string> class_names = {};
  char delimiter = ',';
  /// The first row names the columns. With a header, a column is chosen by its name, or by a
  /// 0-based index written as text when no column has that name ("-1": the last column).
  /// false: every row is data, columns are named "0", "1", ... and chosen by index.
  bool header = true;
  /// What a missing feature or label value does (see CsvMissing).
  CsvMissing missing = CsvMissing::error;
  /// Cells that also mean "no value" in any column, e.g. {"-999", "unknown"}.
  std::vector<std::string> missing_values = {};
  /// Numeric labels are class indices (for a classification loss): each must be a whole number
  /// from 0 to 2^24 - 1 (a float holds those exactly). Not with labels_are_class_names.
  bool labels_are_class_indices = false;
};

/// CsvTable: what read_csv returns.
struct CsvTable {
  Tensor features;                        // (N, F); NaN where a value is missing (CsvMissing::keep_nan)
  Tensor labels;                          // (N): numbers, or class indices as floats; undefined without a label column
  std::vector<std::string> feature_names;  // F names (header names, or indices without a header), in column order
  std::vector<std::string> class_names;    // index -> name; empty unless labels_are_class_names
  std::string label_name;                  // the label column's name (its index without a header); "" without one
  int64_t rows_dropped = 0;                // rows left out for a missing value (CsvMissing::drop)
  int64_t cells_missing = 0;               // NaN cells in `features` (CsvMissing::keep_nan)
};

/// The markers of a missing number besides an empty cell: NA, N/A, n/a, NaN, nan, null, NULL and
/// ?. (Class-name labels treat only an empty cell and CsvOptions::missing_values as missing.)
const std::vector<std::string>& csv_missing_markers();

/// Reads a CSV file, by default one whose first row names the columns. Fields may be quoted
/// ("a, b", with "" for a quote, and line breaks inside quotes); blank lines are skipped; CRLF
/// line ends work. Throws IoError naming the file, and the line and column where it applies,
/// when the file cannot be read; the header repeats a name or looks like data (every cell a
/// number); there are no data rows; a chosen column is not in the table; a row has too few or
/// too many fields; a feature or numeric label cell is missing (as options.missing says) or not
/// a finite number; a class index label is not a whole number in [0, 2^24); or a class name is
/// not among the given class_names. Quoted cells and names are cut to a short prefix.
CsvTable read_csv(const std::string& path, const CsvOptions& options);

/// The names of the columns of a CSV file: its header row, checked as read_csv checks it, or
/// "0", "1", ... for the width of the first row when `header` is false. Throws IoError as read_csv.
std::vector<std::string> read_csv_columns(const std::string& path, bool header = true, char delimiter = ',');

/// The cells of the named columns as text (trimmed), one vector per name with one cell per row,
/// for columns that are not numbers (dates, categories). Header, rows and quoting as read_csv;
/// errors (a missing column, a short or long row, an empty cell) name the file, line and column.
std::vector<std::vector<std::string>> read_csv_text(const std::string& path, const std::vector<std::string>& columns,
                                                    char delimiter = ',');

}  // namespace myelin::data
