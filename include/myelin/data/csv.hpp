#pragma once
// Reader for CSV tables with a header row: numeric features and one label column.
#include <string>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::data {

/// Settings of read_csv.
struct CsvOptions {
  /// The header name of the label (target) column; empty reads inputs only (then
  /// feature_columns are required and CsvTable::labels is undefined), e.g. for prediction.
  std::string label_column;
  /// The feature columns, in this order; empty: every column but the label, in file order.
  std::vector<std::string> feature_columns;
  /// Labels are class names, mapped to class indices 0..K-1 (else labels are numbers).
  bool labels_are_class_names = false;
  /// With labels_are_class_names: the class names in index order, so that several files share
  /// one mapping; empty: the distinct labels of this file, sorted.
  std::vector<std::string> class_names;
  char delimiter = ',';
};

/// CsvTable: what read_csv returns.
struct CsvTable {
  Tensor features;                        // (N, F)
  Tensor labels;                          // (N): numbers, or class indices as floats; undefined without a label column
  std::vector<std::string> feature_names;  // F names, in column order of `features`
  std::vector<std::string> class_names;    // index -> name; empty unless labels_are_class_names
};

/// Reads a CSV file whose first row names the columns. Fields may be quoted ("a, b", with ""
/// for a quote, and line breaks inside quotes); blank lines are skipped; CRLF line ends work.
/// Throws IoError naming the file, and the line and column where it applies, when the file
/// cannot be read, a named column is missing from the header, a row has too few or too many
/// fields, a feature or numeric label cell is empty or not a finite number, or a class name is
/// not among the given class_names.
CsvTable read_csv(const std::string& path, const CsvOptions& options);

/// The cells of the named columns as text (trimmed), one vector per name with one cell per row,
/// for columns that are not numbers (dates, categories). Rows and quoting as read_csv; errors
/// (a missing column, a short or long row, an empty cell) name the file, line and column.
std::vector<std::vector<std::string>> read_csv_text(const std::string& path, const std::vector<std::string>& columns,
                                                    char delimiter = ',');

}  // namespace myelin::data
