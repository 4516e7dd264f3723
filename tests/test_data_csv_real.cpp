// CSV tables as people have them: no header row, a data row where the header should be,
// repeated names, no rows, gaps and markers of missing values, class-index labels, huge cells.
#include <cmath>
#include <string>
#include <vector>

#include "csv_error.hpp"
#include "expect_error.hpp"
#include "myelin/data/csv.hpp"
#include "myelin/error.hpp"
#include "temp_dir.hpp"

namespace myelin::testing {
namespace {

using data::CsvMissing;
using data::CsvOptions;
using data::read_csv;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// ---- header = false: columns by index ----

TEST(CsvHeaderless, FirstRowIsDataAndColumnsAreIndices) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "1,2,0\n3,4,1\n");
  const auto table = read_csv(path, {.label_column = "-1", .header = false});
  EXPECT_EQ(table.feature_names, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(table.features.to_vector(), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(table.labels.to_vector(), (std::vector<float>{0, 1}));

  const auto chosen = read_csv(path, {.label_column = "0", .feature_columns = {"2", "-2"}, .header = false});
  EXPECT_EQ(chosen.feature_names, (std::vector<std::string>{"2", "1"}));
  EXPECT_EQ(chosen.features.to_vector(), (std::vector<float>{0, 2, 1, 4}));
  EXPECT_EQ(chosen.labels.to_vector(), (std::vector<float>{1, 3}));
}

TEST(CsvHeaderless, BadIndicesAndCellsAreNamedByIndex) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "1,2,0\n3,x,1\n");
  std::string msg = csv_error_of(path, {.label_column = "3", .header = false});
  EXPECT_TRUE(contains(msg, "index 3 is out of range") && contains(msg, "3 columns")) << msg;
  msg = csv_error_of(path, {.label_column = "-4", .header = false});
  EXPECT_TRUE(contains(msg, "index -4 is out of range")) << msg;
  msg = csv_error_of(path, {.label_column = "price", .header = false});
  EXPECT_TRUE(contains(msg, "'price' is not an index")) << msg;
  msg = csv_error_of(path, {.label_column = "2", .header = false});
  EXPECT_TRUE(contains(msg, path + ":2: column 1 (counting from 0)") && contains(msg, "'x'")) << msg;
  const std::string long_row = dir.write("long.csv", "1,2\n3,4,5\n");
  msg = csv_error_of(long_row, {.label_column = "0", .header = false});
  EXPECT_TRUE(contains(msg, long_row + ":2") && contains(msg, "the first row has 2 columns")) << msg;
  EXPECT_TRUE(contains(csv_error_of(dir.write("e.csv", "\n"), {.label_column = "0", .header = false}), "empty"));
}

TEST(CsvHeaderless, TheChosenLabelAndTheColumnsAreNamed) {
  TempDir dir;
  const std::string headerless = dir.write("n.csv", "1,2,0\n3,4,1\n");
  EXPECT_EQ(read_csv(headerless, {.label_column = "-1", .header = false}).label_name, "2");
  EXPECT_EQ(data::read_csv_columns(headerless, false), (std::vector<std::string>{"0", "1", "2"}));
  const std::string named = dir.write("h.csv", "a,b,y\n1,2,0\n");
  EXPECT_EQ(read_csv(named, {.label_column = "-1"}).label_name, "y");
  EXPECT_EQ(data::read_csv_columns(named), (std::vector<std::string>{"a", "b", "y"}));
  expect_error<IoError>([&] { data::read_csv_columns(headerless); }, "looks like data");
}

TEST(CsvHeaderless, WithAHeaderAnIndexChoosesAColumnWithoutThatName) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,1,y\n5,6,7\n");
  const auto table = read_csv(path, {.label_column = "-1", .feature_columns = {"1", "0"}});
  // "1" is a header name, so it names that column; "0" and "-1" are indices.
  EXPECT_EQ(table.feature_names, (std::vector<std::string>{"1", "a"}));
  EXPECT_EQ(table.features.to_vector(), (std::vector<float>{6, 5}));
  EXPECT_EQ(table.labels.to_vector(), (std::vector<float>{7}));
}

// ---- header checks ----

TEST(CsvHeaderChecks, ARowOfNumbersIsNotAHeader) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "5.1,3.5,1.4,0\n4.9,3.0,1.4,0\n");
  const std::string msg = csv_error_of(path, {.label_column = "-1"});
  EXPECT_TRUE(contains(msg, path + ":1") && contains(msg, "looks like data") && contains(msg, "header = false") &&
              contains(msg, "label = -1") && contains(msg, "'5.1,3.5,1.4,0'"))
      << msg;
  // Gaps in the row do not hide it; a name among the numbers makes it a header.
  EXPECT_TRUE(contains(csv_error_of(dir.write("gap.csv", "1,,NA,2\n1,2,3,4\n"), {.label_column = "-1"}), "looks like data"));
  const auto named = read_csv(dir.write("years.csv", "city,2020,2021\n7,1,2\n"), {.label_column = "2021"});
  EXPECT_EQ(named.feature_names, (std::vector<std::string>{"city", "2020"}));
}

TEST(CsvHeaderChecks, ALongNumericFirstRowIsQuotedShort) {
  TempDir dir;
  std::string row;
  for (int c = 0; c < 1000; ++c) row += (c ? "," : "") + std::to_string(1000000 + c);
  const std::string path = dir.write("wide.csv", row + "\n" + row + "\n");
  const std::string msg = csv_error_of(path, {.label_column = "-1"});
  EXPECT_TRUE(contains(msg, "looks like data") && contains(msg, "...' (" + std::to_string(row.size()) + " bytes)"))
      << msg;
  EXPECT_LT(msg.size(), 600u) << msg;
}

TEST(CsvHeaderChecks, RepeatedNamesAreRejectedWithBothPositions) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,a,c,d\n1,2,3,4\n");
  for (const char* label : {"a", "d"}) {
    const std::string msg = csv_error_of(path, {.label_column = label});
    EXPECT_TRUE(contains(msg, path + ":1") && contains(msg, "column 'a' twice") && contains(msg, "columns 0 and 1"))
        << msg;
  }
  const std::string later = dir.write("later.csv", "x,y,z,y\n1,2,3,4\n");
  EXPECT_TRUE(contains(csv_error_of(later, {.label_column = "x"}), "columns 1 and 3"));
}

TEST(CsvHeaderChecks, AHeaderWithoutDataRows) {
  TempDir dir;
  for (const char* text : {"a,b,label\n", "a,b,label\r\n\r\n\n"}) {
    const std::string path = dir.write("t.csv", text);
    const std::string msg = csv_error_of(path, {.label_column = "label"});
    EXPECT_TRUE(contains(msg, path + ": has a header but no data rows")) << msg;
  }
}

// ---- missing values ----

TEST(CsvMissingValues, ErrorByDefaultNamingTheCellAndTheMissingKey) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,b,y\n1,2,0\n1,NA,0\n");
  const std::string msg = csv_error_of(path, {.label_column = "y"});
  EXPECT_TRUE(contains(msg, path + ":3: column 'b': missing value 'NA'") && contains(msg, "missing = \"drop\"") &&
              contains(msg, "missing = \"mean\""))
      << msg;
}

TEST(CsvMissingValues, EveryMarkerAndTheUsersOwnBecomeNaN) {
  TempDir dir;
  std::string text = "x,y\n";
  std::vector<std::string> markers = data::csv_missing_markers();
  markers.push_back("");
  markers.push_back(" -999 ");
  for (const std::string& m : markers) text += m + ",1\n";
  text += "2.5,1\n";
  const std::string path = dir.write("t.csv", text);
  const auto table =
      read_csv(path, {.label_column = "y", .missing = CsvMissing::keep_nan, .missing_values = {"-999"}});
  const std::vector<float> x = table.features.to_vector();
  ASSERT_EQ(x.size(), markers.size() + 1);
  for (size_t r = 0; r < markers.size(); ++r) EXPECT_TRUE(std::isnan(x[r])) << "'" << markers[r] << "'";
  EXPECT_EQ(x.back(), 2.5f);
  EXPECT_EQ(table.cells_missing, static_cast<int64_t>(markers.size()));
  EXPECT_EQ(table.rows_dropped, 0);
  // Without the user's marker, -999 is a number.
  const auto plain = read_csv(path, {.label_column = "y", .missing = CsvMissing::keep_nan});
  EXPECT_EQ(plain.features.to_vector()[markers.size() - 1], -999.f);
}

TEST(CsvMissingValues, DropLeavesOutRowsWithAMissingFeatureOrLabel) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,b,y\n1,2,0\n,3,1\n4,5,?\n6,7,1\n");
  const auto table = read_csv(path, {.label_column = "y", .missing = CsvMissing::drop});
  EXPECT_EQ(table.rows_dropped, 2);
  EXPECT_EQ(table.features.to_vector(), (std::vector<float>{1, 2, 6, 7}));
  EXPECT_EQ(table.labels.to_vector(), (std::vector<float>{0, 1}));

  // Text that is neither a number nor a marker is an error, even in a row with a gap.
  const std::string bad = dir.write("bad.csv", "a,b,y\n,abc,0\n");
  EXPECT_TRUE(contains(csv_error_of(bad, {.label_column = "y", .missing = CsvMissing::drop}), "'abc'"));
  // A table whose every row has a gap leaves nothing to train on.
  const std::string all = dir.write("all.csv", "a,y\nNA,0\n1,\n");
  const std::string msg = csv_error_of(all, {.label_column = "y", .missing = CsvMissing::drop});
  EXPECT_TRUE(contains(msg, "every one of the 2 data rows has a missing value")) << msg;
}

TEST(CsvMissingValues, KeepNaNFillsFeaturesButNotLabels) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,b,y\n1,,0\nnull,3,1\n");
  const auto table = read_csv(path, {.label_column = "y", .missing = CsvMissing::keep_nan});
  const std::vector<float> x = table.features.to_vector();
  EXPECT_EQ(x[0], 1.f);
  EXPECT_TRUE(std::isnan(x[1]) && std::isnan(x[2]));
  EXPECT_EQ(x[3], 3.f);
  EXPECT_EQ(table.cells_missing, 2);

  const std::string gap = dir.write("gap.csv", "a,y\n1,0\n2,N/A\n");
  const std::string msg = csv_error_of(gap, {.label_column = "y", .missing = CsvMissing::keep_nan});
  EXPECT_TRUE(contains(msg, gap + ":3: column 'y': missing label 'N/A'") && contains(msg, "cannot be filled")) << msg;
}

TEST(CsvMissingValues, ClassNamesTreatOnlyEmptyCellsAndTheUsersMarkersAsMissing) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "x,region\n1,NA\n2,EU\n3,\n4,unknown\n");
  const auto table = read_csv(path, {.label_column = "region", .labels_are_class_names = true,
                                     .missing = CsvMissing::drop, .missing_values = {"unknown"}});
  EXPECT_EQ(table.class_names, (std::vector<std::string>{"EU", "NA"}));
  EXPECT_EQ(table.labels.to_vector(), (std::vector<float>{1, 0}));
  EXPECT_EQ(table.rows_dropped, 2);
  const std::string msg = csv_error_of(path, {.label_column = "region", .labels_are_class_names = true});
  EXPECT_TRUE(contains(msg, path + ":4") && contains(msg, "missing label ''") && contains(msg, "a class name")) << msg;
}

// ---- class-index labels ----

TEST(CsvClassIndices, WholeNumbersBelow2To24AreAccepted) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "x,y\n1,0\n2,3\n3,16777215\n4,2.0\n");
  const auto table = read_csv(path, {.label_column = "y", .labels_are_class_indices = true});
  EXPECT_EQ(table.labels.to_vector(), (std::vector<float>{0, 3, 16777215, 2}));
}

TEST(CsvClassIndices, OtherLabelsNameFileLineColumnAndValue) {
  TempDir dir;
  for (const std::string value : {"2.5", "-1", "1e18", "16777216", "inf", "NAN", "abc"}) {
    const std::string path = dir.write("t.csv", "x,y\n1,0\n2," + value + "\n");
    const std::string msg = csv_error_of(path, {.label_column = "y", .labels_are_class_indices = true});
    EXPECT_TRUE(contains(msg, path + ":3: column 'y': label '" + value + "' is not a class index")) << msg;
  }
  // "NaN" is a missing-value marker: an error that names it too (or a dropped row).
  const std::string path = dir.write("nan.csv", "x,y\n1,0\n2,NaN\n");
  const std::string msg = csv_error_of(path, {.label_column = "y", .labels_are_class_indices = true});
  EXPECT_TRUE(contains(msg, path + ":3: column 'y': missing label 'NaN', expected a class index")) << msg;
  // Without the option, 2.5 is a fine (regression) label.
  EXPECT_EQ(read_csv(dir.write("r.csv", "x,y\n1,2.5\n"), {.label_column = "y"}).labels.to_vector()[0], 2.5f);
  expect_error([&] {
    read_csv(path, {.label_column = "y", .labels_are_class_names = true, .labels_are_class_indices = true});
  }, "not both");
}

// ---- huge cells and names are quoted short ----

TEST(CsvLongCells, MessagesQuoteOnlyAPrefix) {
  TempDir dir;
  const std::string huge(50000, 'z');
  const std::string cell = dir.write("cell.csv", "x,y\n" + huge + ",1\n");
  std::string msg = csv_error_of(cell, {.label_column = "y"});
  EXPECT_TRUE(contains(msg, "...' (50000 bytes) is not a finite number")) << msg.substr(0, 300);
  EXPECT_LT(msg.size(), 300u);

  const std::string name = dir.write("name.csv", huge + ",y\n1,2\n");
  msg = csv_error_of(name, {.label_column = "y", .feature_columns = {"x"}});
  EXPECT_TRUE(contains(msg, "(50000 bytes)")) << msg.substr(0, 300);
  EXPECT_LT(msg.size(), 400u);

  const std::string label = dir.write("label.csv", "x,y\n1," + huge + "\n");
  msg = csv_error_of(label, {.label_column = "y", .labels_are_class_indices = true});
  EXPECT_TRUE(contains(msg, "(50000 bytes)")) << msg.substr(0, 300);
  EXPECT_LT(msg.size(), 400u);

  msg = csv_error_of(label, {.label_column = "y", .labels_are_class_names = true, .class_names = {"a", "b"}});
  EXPECT_TRUE(contains(msg, "(50000 bytes)")) << msg.substr(0, 300);
  EXPECT_LT(msg.size(), 400u);

  // A header of many columns is listed in part.
  std::string wide = "c0";
  for (int c = 1; c < 5000; ++c) wide += ",c" + std::to_string(c);
  msg = csv_error_of(dir.write("wide.csv", wide + "\n" + std::string(4999, ',') + "\n"), {.label_column = "target"});
  EXPECT_TRUE(contains(msg, "(5000 in all)")) << msg.substr(0, 300);
  EXPECT_LT(msg.size(), 600u);
}

}  // namespace
}  // namespace myelin::testing
