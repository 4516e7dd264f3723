// The `myelin` tool on configs and options that once crashed it, ran away with memory or ran
// without end (issue 16): each is a clear message and exit status 1, or the obvious result.
#include <gtest/gtest.h>

#include <string>

#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::run_cli;
using testing::TempDir;

// 40 rows of y = a - b, as a CSV table.
std::string small_csv() {
  std::string csv = "a,b,y\n";
  for (int i = 0; i < 40; ++i) csv += std::to_string(i % 7) + "," + std::to_string(i % 5) + "," + std::to_string(i % 7 - i % 5) + "\n";
  return csv;
}

// A regression config on train.csv with one Linear layer of `units` and the [train] `train`.
std::string config_text(int units, const std::string& train) {
  return "[data]\nsource = \"csv\"\ntrain = \"train.csv\"\nlabel = \"y\"\n\n[model]\n[[model.layers]]\ntype = \"Linear\"\n"
         "units = " + std::to_string(units) + "\n\n[loss]\ntype = \"mse\"\n\n[train]\n" + train;
}

void expect_output(const testing::CliResult& r, int status, const std::string& part) {
  EXPECT_EQ(r.status, status) << r.output;
  EXPECT_NE(r.output.find(part), std::string::npos) << r.output;
}

TEST(CliGuardrails, ADeeplyNestedConfigIsAnErrorInEveryCommand) {
  TempDir dir;  // was: SIGSEGV in train, summary, draw and export
  std::string header = "[a";
  for (int i = 0; i < 50'000; ++i) header += ".a";
  const std::string config = dir.write("deep.toml", "# 50,000 levels\n" + header + "]\n");
  const std::string message = config + ":2: the config nests more than 64 levels";
  expect_output(run_cli("train " + config + " --out " + dir.file("run")), 1, message);
  expect_output(run_cli("summary " + config), 1, message);
  expect_output(run_cli("draw " + config + " -o " + dir.file("n.svg")), 1, message);
  expect_output(run_cli("export " + config + " --onnx " + dir.file("n.onnx")), 1, message);
}

TEST(CliGuardrails, MaxMemoryRefusesALargerModelNamingTheLayer) {
  TempDir dir;
  dir.write("train.csv", small_csv());
  // 2 inputs -> 10,000,000 units: 30,000,000 parameters (114 MiB, 229 MiB with their gradients)
  // and 10,000,000 outputs per example (1.2 GiB for a batch of 32).
  const std::string config = dir.write("c.toml", config_text(10'000'000, "epochs = 1\n"));
  const std::string message = config + ":7: layer 1 (Linear) ";
  const std::string limit = "the memory limit of 200.0 MiB (--max-memory)";
  for (const std::string& command : {"summary " + config, "draw " + config + " -o " + dir.file("n.svg"),
                                     "export " + config + " --onnx " + dir.file("n.onnx"),
                                     "train " + config + " --out " + dir.file("run")}) {
    const testing::CliResult r = run_cli(command + " --max-memory 200M");
    expect_output(r, 1, message);
    expect_output(r, 1, limit);
  }
  expect_output(run_cli("summary " + config + " --max-memory 4G"), 0, "Linear");
  EXPECT_NE(run_cli("summary " + config + " --max-memory lots").status, 0);
}

TEST(CliGuardrails, ABatchSizeAboveTheDataTrainsOneBatchOfAllOfIt) {
  TempDir dir;  // was: an epoch of 0 samples, then "no score 'loss' in this run"
  dir.write("train.csv", small_csv());
  const std::string config = dir.write("c.toml", config_text(1, "epochs = 2\nbatch_size = 9223372036854775807\n"));
  const testing::CliResult r = run_cli("train " + config + " --out " + dir.file("run"));
  expect_output(r, 0, "40 training examples");
  expect_output(r, 0, "epoch 2 ");
}

TEST(CliGuardrails, GenerateRefusesALengthItWouldRunOnSilentlyFor) {
  TempDir dir;  // was: accepted, writing nothing until it ended
  const std::string model = dir.write("any.safetensors", "the length is checked before the model is read");
  expect_output(run_cli("generate " + model + " --length 1000000000000"), 1,
                "--length must be between 0 and 1000000 tokens, got 1000000000000");
}

}  // namespace
}  // namespace myelin
