// CSV reader: columns by name, quoting, class-name labels, and errors at file:line, column.
#include <string>
#include <vector>

#include "csv_error.hpp"
#include "myelin/data/csv.hpp"
#include "myelin/error.hpp"
#include "temp_dir.hpp"

namespace myelin::testing {
namespace {

using data::CsvOptions;
using data::read_csv;

TEST(CsvReader, LabelByNameAndOtherColumnsAsFeatures) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,label,b\n1,0,2.5\n-3,1,4e2\n\n");
  const auto table = read_csv(path, {.label_column = "label"});
  EXPECT_EQ(table.feature_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(table.features.shape(), (Shape{2, 2}));
  EXPECT_EQ(table.features.to_vector(), (std::vector<float>{1, 2.5f, -3, 400}));
  EXPECT_EQ(table.labels.to_vector(), (std::vector<float>{0, 1}));
  EXPECT_TRUE(table.class_names.empty());
}

TEST(CsvReader, ChosenFeatureColumnsInTheirOrder) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "id,x,y,note,target\r\n7,1,2,hello,0.5\r\n8,3,4,bye,1.5\r\n");
  const auto table = read_csv(path, {.label_column = "target", .feature_columns = {"y", "x"}});
  EXPECT_EQ(table.feature_names, (std::vector<std::string>{"y", "x"}));
  EXPECT_EQ(table.features.to_vector(), (std::vector<float>{2, 1, 4, 3}));
  EXPECT_EQ(table.labels.to_vector(), (std::vector<float>{0.5f, 1.5f}));
}

TEST(CsvReader, QuotedFields) {
  TempDir dir;
  const std::string path = dir.write("q.csv",
                                     "\"x, first\",\"label\",comment\n"
                                     "\" 1.5 \",2,\"says \"\"hi\"\", twice\"\n"
                                     "3,\"4\",\"two\nlines\"\n"
                                     "5, \"6\" ,plain\n");
  const auto table = read_csv(path, {.label_column = "label", .feature_columns = {"x, first"}});
  EXPECT_EQ(table.features.to_vector(), (std::vector<float>{1.5f, 3, 5}));
  EXPECT_EQ(table.labels.to_vector(), (std::vector<float>{2, 4, 6}));
}

TEST(CsvReader, NonNumericCellNamesFileLineAndColumn) {
  TempDir dir;
  // The quoted line break makes the bad row start on line 5, not 4.
  const std::string path = dir.write("bad.csv", "a,b,label\n1,2,0\n3,\"4\n\",1\n5,abc,1\n");
  const std::string msg = csv_error_of(path, {.label_column = "label"});
  EXPECT_NE(msg.find(path + ":5"), std::string::npos) << msg;
  EXPECT_NE(msg.find("column 'b'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'abc'"), std::string::npos) << msg;
}

TEST(CsvReader, MissingCellsNameTheColumn) {
  TempDir dir;
  const std::string empty = dir.write("empty.csv", "a,b,label\n1,,0\n");
  std::string msg = csv_error_of(empty, {.label_column = "label"});
  EXPECT_NE(msg.find(empty + ":2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("column 'b'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("missing"), std::string::npos) << msg;

  const std::string short_row = dir.write("short.csv", "a,b,label\n1,2,0\n1,2\n");
  msg = csv_error_of(short_row, {.label_column = "label"});
  EXPECT_NE(msg.find(short_row + ":3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("column 'label'"), std::string::npos) << msg;

  const std::string long_row = dir.write("long.csv", "a,label\n1,2,3\n");
  msg = csv_error_of(long_row, {.label_column = "label"});
  EXPECT_NE(msg.find(long_row + ":2"), std::string::npos) << msg;
}

TEST(CsvReader, MissingColumnsAreNamed) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,b\n1,2\n");
  std::string msg = csv_error_of(path, {.label_column = "target"});
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("'target'"), std::string::npos) << msg;
  msg = csv_error_of(path, {.label_column = "a", .feature_columns = {"c"}});
  EXPECT_NE(msg.find("'c'"), std::string::npos) << msg;
}

TEST(CsvReader, UnterminatedQuoteAndEmptyFile) {
  TempDir dir;
  const std::string quote = dir.write("quote.csv", "a,label\n1,2\n\"3,4\n");
  EXPECT_NE(csv_error_of(quote, {.label_column = "label"}).find(quote + ":3"), std::string::npos);
  const std::string empty = dir.write("empty.csv", "");
  EXPECT_NE(csv_error_of(empty, {.label_column = "label"}).find("empty"), std::string::npos);
}

TEST(CsvReader, ClassNameLabels) {
  TempDir dir;
  const std::string path = dir.write("c.csv", "x,species\n1,setosa\n2,virginica\n3,setosa\n4,versicolor\n");
  const auto table = read_csv(path, {.label_column = "species", .labels_are_class_names = true});
  EXPECT_EQ(table.class_names, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
  EXPECT_EQ(table.labels.to_vector(), (std::vector<float>{0, 2, 0, 1}));

  // A given mapping is kept, so a second file gets the same indices.
  const std::vector<std::string> given{"virginica", "versicolor", "setosa"};
  const auto mapped = read_csv(path, {.label_column = "species", .labels_are_class_names = true, .class_names = given});
  EXPECT_EQ(mapped.class_names, given);
  EXPECT_EQ(mapped.labels.to_vector(), (std::vector<float>{2, 0, 2, 1}));

  const std::string unknown = dir.write("u.csv", "x,species\n1,setosa\n2,rose\n");
  const std::string msg =
      csv_error_of(unknown, {.label_column = "species", .labels_are_class_names = true, .class_names = given});
  EXPECT_NE(msg.find(unknown + ":3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'rose'"), std::string::npos) << msg;
}

}  // namespace
}  // namespace myelin::testing
