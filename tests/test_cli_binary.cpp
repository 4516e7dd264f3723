// A yes/no classifier end to end: `myelin train` with bce_with_logits on one output unit tracks
// accuracy, says why early stopping ended the run, and refuses a loss that cannot fit the last
// layer before training starts.
#include <gtest/gtest.h>

#include <filesystem>

#include "myelin/random.hpp"
#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::run_cli;

// 200 rows of x1, x2 with y = 1 when x1 + x2 > 0.
std::string separable_csv() {
  Generator g(5);
  std::string csv = "x1,x2,y\n";
  for (int i = 0; i < 200; ++i) {
    const float a = g.uniform() * 2 - 1, b = g.uniform() * 2 - 1;
    csv += std::to_string(a) + "," + std::to_string(b) + "," + (a + b > 0 ? "1" : "0") + "\n";
  }
  return csv;
}

// [loss] type is on line 12; `train` is appended to [train].
std::string binary_config(const std::string& loss, int units, const std::string& train) {
  return "[data]\nsource = \"csv\"\ntrain = \"t.csv\"\nlabel = \"y\"\n"  // 1-4
         "[model]\n[[model.layers]]\ntype = \"Linear\"\nunits = " + std::to_string(units) + "\n"  // 5-8
         "[optimizer]\nlr = 0.05\n"  // 9-10
         "[loss]\ntype = \"" + loss + "\"\n"  // 11-12
         "[train]\nbatch_size = 20\nseed = 3\n" + train;
}

// Runs `myelin train` in `dir` on the separable data with binary_config(loss, units, train).
testing::CliResult train_in(const testing::TempDir& dir, const std::string& loss, int units, const std::string& train) {
  dir.write("t.csv", separable_csv());
  const std::string config = dir.write("c.toml", binary_config(loss, units, train));
  return run_cli("train " + config + " --out " + dir.file("run"));
}

TEST(CliBinary, AccuracyOfOneUnitAndTheEarlyStopReason) {
  testing::TempDir dir;
  // min_delta 1000: the first epoch sets the best, the next two cannot beat it by that much.
  const auto [status, out] = train_in(dir, "bce_with_logits", 1,
                                      "epochs = 10\nmetrics = [\"accuracy\"]\n"
                                      "early_stopping = { monitor = \"loss\", patience = 2, min_delta = 1000 }\n");
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("epoch 3 "), std::string::npos) << out;
  EXPECT_EQ(out.find("epoch 4 "), std::string::npos) << out;
  EXPECT_NE(out.find("  accuracy 0."), std::string::npos) << out;
  EXPECT_NE(out.find("early stopping after epoch 3: loss has not improved by more than 1000 for 2 epochs (best "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(" at epoch 1)"), std::string::npos) << out;
}

TEST(CliBinary, LearnsTheSeparableDataToHighAccuracy) {
  testing::TempDir dir;
  const auto [status, out] = train_in(dir, "bce_with_logits", 1, "epochs = 15\nmetrics = [\"accuracy\"]\n");
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("epoch 15 "), std::string::npos) << out;
  const size_t last = out.rfind("accuracy ");
  ASSERT_NE(last, std::string::npos) << out;
  EXPECT_GT(std::stod(out.substr(last + 9, 6)), 0.9) << out;
}

TEST(CliBinary, ALossThatCannotFitTheLastLayerFailsBeforeTraining) {
  testing::TempDir dir;
  const auto [status, out] = train_in(dir, "cross_entropy", 1, "epochs = 2\n");
  EXPECT_NE(status, 0) << out;
  EXPECT_NE(out.find("c.toml:12: [loss] type 'cross_entropy' needs a score per class, so at least 2 units"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("the last layer (layer 1, Linear, at "), std::string::npos) << out;
  EXPECT_EQ(out.find("epoch 1"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.file("run/metrics.csv")));
}

}  // namespace
}  // namespace myelin
