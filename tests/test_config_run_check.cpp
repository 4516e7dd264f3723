// config::check_run: a loss, metric and output shape that cannot work together is found before
// training, at the config line of the [loss] type or [train] metrics key, naming the last layer.
#include <gtest/gtest.h>

#include "expect_error.hpp"
#include "myelin/config/config.hpp"
#include "myelin/random.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::expect_error;

// A run on t.csv (features a, b; label y of 0/1) whose last layer (line 11) has `units` units;
// [loss] type is on line 16, `loss_extra` on line 17 and [train] metrics on line 19.
std::string run_config(const std::string& loss, int units, const std::string& metrics,
                       const std::string& loss_extra = "") {
  return "[data]\nsource = \"csv\"\ntrain = \"t.csv\"\nlabel = \"y\"\n\n"  // 1-5
         "[model]\n[[model.layers]]\ntype = \"Linear\"\nunits = 4\nactivation = \"relu\"\n"  // 6-10
         "[[model.layers]]\ntype = \"Linear\"\nunits = " + std::to_string(units) + "\n\n"  // 11-14
         "[loss]\ntype = \"" + loss + "\"\n" + loss_extra + "\n"  // 15-17
         "[train]\nmetrics = [" + metrics + "]\n";  // 18-19
}

// Loads, prepares and builds the run of `config_text`, then checks it.
void check(const std::string& config_text) {
  testing::TempDir dir;
  std::string csv = "a,b,y\n";
  for (int i = 0; i < 12; ++i) csv += std::to_string(i) + "," + std::to_string(i % 3) + "," + std::to_string(i % 2) + "\n";
  dir.write("t.csv", csv);
  const config::RunConfig c = config::load_config(dir.write("c.toml", config_text));
  const config::PreparedData data = config::load_data(c);
  Generator init(1);
  const nn::ModulePtr model = config::build_model(c, data.input_shape, &init);
  config::check_run(c, *model, data);
  EXPECT_TRUE(model->is_training());  // the check's forward pass leaves the mode as it was
}

TEST(RunCheck, FittingRunsPass) {
  check(run_config("bce_with_logits", 1, "\"accuracy\""));
  check(run_config("cross_entropy", 2, "\"accuracy\", \"top2_accuracy\""));
  check(run_config("mse", 1, "\"mae\", \"rmse\""));
  check(run_config("huber", 1, ""));  // the default metric (mae) fits
}

TEST(RunCheck, AccuracyOfValuesIsRejectedAtTheMetricsKey) {
  expect_error([] { check(run_config("mse", 1, "\"accuracy\"")); },
               {"c.toml:19: [train] metrics 'accuracy' cannot measure what [loss] type 'mse' (", "c.toml:16)",
                "values (metrics: mae, rmse)", "the last layer (layer 2, Linear, at ", "c.toml:11) gives outputs (1,)"});
  expect_error([] { check(run_config("bce_with_logits", 1, "\"mae\"")); },
               {"c.toml:19: [train] metrics 'mae' cannot measure", "yes/no logits (metrics: accuracy)"});
  expect_error([] { check(run_config("cross_entropy", 2, "\"rmse\"")); }, {"c.toml:19:", "'rmse'", "a score per class"});
}

TEST(RunCheck, ClassLossesNeedAScorePerClass) {
  expect_error([] { check(run_config("cross_entropy", 1, "\"accuracy\"")); },
               {"c.toml:16: [loss] type 'cross_entropy' needs a score per class, so at least 2 units",
                "bce_with_logits", "layer 2, Linear, at ", "c.toml:11) gives outputs (1,) per example"});
  expect_error([] { check(run_config("nll", 2, "\"top3_accuracy\"")); },
               {"c.toml:19: [train] metrics fail on the first training example", "k must be in [1, 2]"});
  expect_error([] { check(run_config("cross_entropy", 2, "", "class_weights = [1, 2, 3]")); },
               {"c.toml:16: [loss] type 'cross_entropy' does not fit the first training example", "class_weights"});
}

TEST(RunCheck, ElementwiseLossesNeedOutputsShapedLikeTheTargets) {
  expect_error([] { check(run_config("bce_with_logits", 3, "\"accuracy\"")); },
               {"c.toml:16: [loss] type 'bce_with_logits' compares each output with its target",
                "targets' shape (1,) (1 unit)", "gives outputs (3,) per example"});
  expect_error([] { check(run_config("l1", 2, "")); }, {"c.toml:16: [loss] type 'l1'", "(2,)"});
}

}  // namespace
}  // namespace myelin
