// End-to-end: `myelin train`, `eval` and `predict` on CSV tables as people have them: no header
// row (columns by index), one file split in row order, gaps dropped or filled with the training
// means (the same means fill the gaps of new tables), and class-index labels checked.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin::testing {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A config for a linear regression on `data`, with `keys` added to [data].
std::string regression_config(const std::string& keys) {
  return "[data]\nsource = \"csv\"\n" + keys +
         "\n[model]\n[[model.layers]]\ntype = \"Linear\"\nunits = 1\n\n[loss]\ntype = \"mse\"\n\n"
         "[optimizer]\ntype = \"adam\"\nlr = 0.1\n\n[train]\nepochs = 40\nbatch_size = 10\nseed = 1\nthreads = 1\n";
}

// 50 rows of two features and a label with no header; the label is 1 in the first 30 rows, 2 in
// the next 10 and 3 in the last 10, so a split in row order trains on 1s only.
std::string headerless_rows() {
  std::ostringstream csv;
  for (int i = 0; i < 50; ++i) csv << (i % 7) * 0.1 << "," << (i % 5) * -0.2 << "," << (i < 30 ? 1 : i < 40 ? 2 : 3) << "\n";
  return csv.str();
}

TEST(CliCsvReal, HeaderlessTableSplitInRowOrder) {
  TempDir dir;
  dir.write("rows.csv", headerless_rows());
  const std::string config = dir.write(
      "c.toml", regression_config("train = \"rows.csv\"\nheader = false\nlabel = -1\nfeatures = [0, 1]\n"
                                  "split = [0.6, 0.2, 0.2]\n"));
  const std::string out = dir.file("run");
  const CliResult train = run_cli("train " + config + " --out " + out);
  ASSERT_EQ(train.status, 0) << train.output;
  EXPECT_TRUE(contains(train.output, "30 training examples, 10 validation, 10 test")) << train.output;
  // Trained on the 1s only, the model is off by 2 on the last rows (a shuffled split is not).
  EXPECT_TRUE(contains(train.output, "test:  loss 4.0")) << train.output;

  // A new table of just the two feature columns, and the training table with its labels.
  const CliResult predict = run_cli("predict " + out + "/model.safetensors " + dir.write("new.csv", "0.1,0\n0.2,-0.4\n"));
  ASSERT_EQ(predict.status, 0) << predict.output;
  EXPECT_TRUE(contains(predict.output, "row,output_0\n0,0.99") || contains(predict.output, "row,output_0\n0,1.00"))
      << predict.output;
  const CliResult eval = run_cli("eval " + out + "/model.safetensors " + dir.file("rows.csv"));
  ASSERT_EQ(eval.status, 0) << eval.output;
  EXPECT_TRUE(contains(eval.output, "50 examples:")) << eval.output;

  // Row counts split the same way.
  const std::string counts = dir.write(
      "n.toml", regression_config("train = \"rows.csv\"\nheader = false\nlabel = 2\nsplit = [30, 10, 10]\n"));
  const CliResult by_count = run_cli("train " + counts + " --out " + dir.file("run2"));
  ASSERT_EQ(by_count.status, 0) << by_count.output;
  EXPECT_TRUE(contains(by_count.output, "30 training examples, 10 validation, 10 test")) << by_count.output;
}

TEST(CliCsvReal, MeanFillUsesTheTrainingMeansAtPredictToo) {
  TempDir dir;
  // Feature a has a gap; its mean over the other rows is (1 + 2 + 3 + 6) / 4 = 3.
  dir.write("train.csv", "a,b,y\n1,0,2\n2,1,5\n,2,7\n3,1,7\n6,0,12\nNA,1,3\n");
  const std::string config =
      dir.write("c.toml", regression_config("train = \"train.csv\"\nlabel = \"y\"\nmissing = \"mean\"\n"));
  const std::string out = dir.file("run");
  const CliResult train = run_cli("train " + config + " --out " + out);
  ASSERT_EQ(train.status, 0) << train.output;
  EXPECT_TRUE(contains(train.output, "filled 2 missing values with the training part's column means")) << train.output;

  // A gap in a new table is filled with the same mean: the same prediction as writing it out.
  const std::string model = out + "/model.safetensors";
  const CliResult gap = run_cli("predict " + model + " " + dir.write("gap.csv", "a,b\n,1\n4,?\n"));
  const CliResult filled = run_cli("predict " + model + " " + dir.write("filled.csv", "a,b\n3,1\n4,0.8333333333\n"));
  ASSERT_EQ(gap.status, 0) << gap.output;
  ASSERT_EQ(filled.status, 0) << filled.output;
  EXPECT_EQ(gap.output, filled.output);
}

TEST(CliCsvReal, DropLeavesOutRowsWithGaps) {
  TempDir dir;
  dir.write("train.csv", "a,b,y\n1,0,2\n2,1,5\n,2,7\n3,1,7\n6,0,12\n4,1,null\n");
  const std::string config =
      dir.write("c.toml", regression_config("train = \"train.csv\"\nlabel = \"y\"\nmissing = \"drop\"\n"));
  const CliResult train = run_cli("train " + config + " --out " + dir.file("run"));
  ASSERT_EQ(train.status, 0) << train.output;
  EXPECT_TRUE(contains(train.output, "4 training examples")) << train.output;
  EXPECT_TRUE(contains(train.output, "left out 2 rows with a missing value")) << train.output;

  const CliResult eval = run_cli("eval " + dir.file("run") + "/model.safetensors " + dir.file("train.csv"));
  ASSERT_EQ(eval.status, 0) << eval.output;
  EXPECT_TRUE(contains(eval.output, "left out 2 rows") && contains(eval.output, "4 examples:")) << eval.output;
}

TEST(CliCsvReal, ConfigAndTableErrorsNameTheKeyOrTheCell) {
  TempDir dir;
  dir.write("t.csv", "a,b,y\n1,2,0\n3,,1\n");
  dir.write("numbers.csv", "1,2,0\n3,4,1\n");
  dir.write("classes.csv", "a,y\n1,0\n2,2.5\n");
  const auto error_of = [&](const std::string& keys, const std::string& loss = "") {
    std::string text = regression_config(keys);
    if (!loss.empty()) text.replace(text.find("type = \"mse\""), 12, "type = \"" + loss + "\"");
    const CliResult r = run_cli("train " + dir.write("bad.toml", text) + " --out " + dir.file("bad"));
    EXPECT_EQ(r.status, 1) << r.output;
    return r.output;
  };
  std::string msg = error_of("train = \"t.csv\"\nlabel = \"y\"\n");
  EXPECT_TRUE(contains(msg, "t.csv:3: column 'b': missing value ''") && contains(msg, "missing = \"drop\"")) << msg;
  msg = error_of("train = \"t.csv\"\nlabel = \"y\"\nmissing = \"fill\"\n");
  EXPECT_TRUE(contains(msg, "bad.toml:5: [data] missing is 'fill', expected one of 'error', 'drop', 'mean'")) << msg;
  msg = error_of("train = \"t.csv\"\nlabel = 2.5\n");
  EXPECT_TRUE(contains(msg, "[data] label must be a column name (a string) or index (an integer)")) << msg;
  msg = error_of("train = \"t.csv\"\nlabel = \"y\"\nmissing = \"drop\"\nsplit = [0.5, 0.5, 0]\ntest_split = 0.2\n");
  EXPECT_TRUE(contains(msg, "[data] test_split cannot be used together with split")) << msg;
  msg = error_of("train = \"numbers.csv\"\nlabel = -1\n");
  EXPECT_TRUE(contains(msg, "[data] train: ") && contains(msg, "looks like data") && contains(msg, "header = false"))
      << msg;
  msg = error_of("train = \"numbers.csv\"\nheader = false\nlabel = 3\n");
  EXPECT_TRUE(contains(msg, "label column index 3 is out of range")) << msg;
  msg = error_of("train = \"classes.csv\"\nlabel = \"y\"\n", "cross_entropy");
  EXPECT_TRUE(contains(msg, "classes.csv:3: column 'y': label '2.5' is not a class index")) << msg;
}

}  // namespace
}  // namespace myelin::testing
