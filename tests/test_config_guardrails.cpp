// Configs that once crashed, allocated gigabytes or overflowed (issue 16): each is now a clear
// error naming the file, the line and what is at fault, before anything large is allocated.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "config/toml_limits.hpp"
#include "expect_error.hpp"
#include "myelin/config/config.hpp"
#include "myelin/error.hpp"
#include "myelin/random.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::expect_error;
using testing::TempDir;

constexpr uint64_t kOneGiB = uint64_t{1} << 30;

const char* kData = R"([data]
source = "csv"
train = "t.csv"
label = "y"
)";

// Builds the model of a config whose [model] section is `model` (input shape and layers) within
// `max_memory` bytes.
nn::ModulePtr build(const TempDir& dir, const std::string& model, uint64_t max_memory = kOneGiB,
                    const std::string& train = "") {
  const config::RunConfig c =
      config::load_config(dir.write("c.toml", std::string(kData) + "[model]\n" + model + train));
  Generator init(1);
  return config::build_model(c, Shape(c.model.input_shape.begin(), c.model.input_shape.end()), &init,
                             {.max_memory_bytes = max_memory});
}

// A config whose second line holds `line`.
std::string config_with_line(const TempDir& dir, const std::string& line) {
  return dir.write("c.toml", "# a hostile config\n" + line + "\n" + kData);
}

std::string repeated(const std::string& part, int times, const std::string& separator) {
  std::string out;
  for (int i = 0; i < times; ++i) out += (i ? separator : "") + part;
  return out;
}

// ---- nesting and size limits in front of the TOML parser ----

TEST(ConfigGuardrails, TableHeaderFiftyThousandLevelsDeepIsAnErrorAtItsLine) {
  TempDir dir;  // was: SIGSEGV, a stack overflow inside toml++
  const std::string path = config_with_line(dir, "[" + repeated("a", 50'000, ".") + "]");
  expect_error([&] { config::load_config(path); }, {path + ":2:", "nests more than 64 levels"});
}

TEST(ConfigGuardrails, DottedKeyOfHalfAMillionPartsIsAnError) {
  TempDir dir;
  const std::string path = config_with_line(dir, repeated("k", 500'000, ".") + " = 1");
  expect_error([&] { config::load_config(path); }, {path + ":2:", "nests more than 64 levels"});
}

TEST(ConfigGuardrails, DeepArraysAndInlineTablesCountTogether) {
  config::check_toml_depth("x = " + std::string(40, '[') + std::string(40, ']'), "t.toml");
  expect_error([&] { config::check_toml_depth("x = " + std::string(70, '[') + std::string(70, ']'), "t.toml"); },
               {"t.toml:1:", "nests more than 64 levels"});
  const std::string mixed = "x = " + repeated("{ a.b = [", 30, " ") + "1" + repeated("]}", 30, "");
  expect_error([&] { config::check_toml_depth(mixed, "t.toml"); }, {"t.toml:1:", "nests more than 64 levels"});
  // Each inline table's keys count once: a wide table is not a deep one.
  config::check_toml_depth("x = {" + repeated("a.b.c = 1", 500, ", ") + "}", "t.toml");
}

TEST(ConfigGuardrails, BracketsAndDotsInStringsAndCommentsDoNotCount) {
  const std::string deep = std::string(200, '[') + repeated("a", 200, ".");
  config::check_toml_depth("s = \"" + deep + "\" # " + deep + "\n"
                           "t = '" + deep + "'\n"
                           "u = \"\"\"\n" + deep + "\n\\\"\"\"\n" + deep + "\n\"\"\"\n"
                           "v = '''" + deep + "''''\n"
                           "[\"" + deep + "\".b]\n",
                           "t.toml");
  // A line count that follows multi-line strings: the deep header is on line 5.
  expect_error([&] { config::check_toml_depth("s = \"\"\"\n\n\n\"\"\"\n[" + repeated("a", 100, ".") + "]", "t.toml"); },
               "t.toml:5:");
}

TEST(ConfigGuardrails, AFileLargerThanTheLimitIsRefusedBeforeParsing) {
  TempDir dir;
  const std::string path =
      dir.write("c.toml", std::string(kData) + "# " + std::string(config::kMaxConfigBytes, 'x') + "\n");
  expect_error<IoError>([&] { config::load_config(path); }, {path, "the most a config file may have"});
}

// ---- layer settings: range and overflow ----

TEST(ConfigGuardrails, SettingsBeyondTwoToThe31AreErrorsAtTheirLine) {
  TempDir dir;
  // was: std::bad_alloc naming nothing
  expect_error([&] { build(dir, "input_shape = [4]\n[[model.layers]]\ntype = \"Linear\"\nunits = 1e10\n"); },
               {"c.toml:9: layer 1 (Linear)", "'out_features' must be between -2147483648 and 2147483648, got 1e+10"});
  // was: 16 GB allocated before anything checked
  expect_error([&] {
    build(dir, "input_shape = [1, 8, 8]\n[[model.layers]]\ntype = \"Conv2d\"\nout_channels = 4000000000\nkernel_size = 3\n");
  }, {"c.toml:9: layer 1 (Conv2d)", "'out_channels' must be between"});
  // was: "a kernel of size -9223372036854775808"
  expect_error([&] {
    build(dir, "input_shape = [1, 8, 8]\n[[model.layers]]\ntype = \"Conv2d\"\nout_channels = 2\nkernel_size = 3\n"
               "dilation = 9223372036854775807\n");
  }, {"c.toml:11: layer 1 (Conv2d)", "'dilation' must be between"});
}

TEST(ConfigGuardrails, ARecurrentStackOfTwoToThe31LayersIsRefusedAtOnce) {
  TempDir dir;  // found by ConfigProperty: 1.4 million tiny layers were built (8 s) before the limit
  expect_error([&] {
    build(dir, "input_shape = [4, 3]\n[[model.layers]]\ntype = \"LSTM\"\nhidden_size = 1\nnum_layers = 2147483648\n");
  }, {"c.toml:7: layer 1 (LSTM)", "num_layers must be at most 1024, got 2147483648"});
}

TEST(ConfigGuardrails, AConvolutionTooLargeForTheLimitIsRefusedBeforeItsWeights) {
  TempDir dir;
  // 2e9 x 1 x 3 x 3 weights: 72 GB.
  expect_error([&] {
    build(dir, "input_shape = [1, 8, 8]\n[[model.layers]]\ntype = \"Conv2d\"\nout_channels = 2000000000\nkernel_size = 3\n");
  }, {"c.toml:7: layer 1 (Conv2d) asks for 67.1 GiB at once", "the memory limit of 1.0 GiB (--max-memory)"});
  // kernel_size = 1e6: a weight of 10^12 numbers (was std::bad_alloc naming nothing).
  expect_error([&] {
    build(dir, "input_shape = [1, 8, 8]\n[[model.layers]]\ntype = \"Conv2d\"\nout_channels = 1\nkernel_size = 1e6\n");
  }, {"c.toml:7: layer 1 (Conv2d) asks for 3.6 TiB at once", "the memory limit of 1.0 GiB"});
}

TEST(ConfigGuardrails, AnUpsampleTooLargeForTheLimitIsRefusedBeforeItsOutput) {
  TempDir dir;  // was: 10 GB reached in 15 s
  expect_error([&] {
    build(dir, "input_shape = [1, 28, 28]\n[[model.layers]]\ntype = \"Conv2d\"\nout_channels = 1\nkernel_size = 1\n"
               "[[model.layers]]\ntype = \"Upsample\"\nscale_factor = 1e9\n");
  }, {"c.toml:11: layer 2 (Upsample) asks for 521.5 GiB", "the memory limit of 1.0 GiB"});
}

TEST(ConfigGuardrails, OutputsForABatchCountAgainstTheLimit) {
  TempDir dir;
  // 1000 outputs of 4 bytes for each of 100,000 examples: 400 MB over a limit of 256 MiB.
  const std::string model = "input_shape = [10]\n[[model.layers]]\ntype = \"Linear\"\nunits = 1000\n";
  const std::string train = "[train]\nbatch_size = 100000\n";
  expect_error([&] { build(dir, model, kOneGiB / 4, train); },
               {"c.toml:7: layer 1 (Linear) needs 381.6 MiB", "1000 numbers per example, batch of 100000",
                "more than the memory limit of 256.0 MiB"});
  // A batch_size above the data's examples is one batch of them all.
  const config::RunConfig c = config::load_config(dir.write("c.toml", std::string(kData) + "[model]\n" + model + train));
  EXPECT_NO_THROW(config::build_model(c, {10}, nullptr, {.max_memory_bytes = kOneGiB / 4, .examples = 500}));
}

TEST(ConfigGuardrails, TheLayersBeforeCountTowardsTheLimit) {
  TempDir dir;
  // Each Linear 1000 -> 1000 needs 7.8 MiB (weights, gradients and a batch of outputs): four fit
  // in 36 MiB, the fifth does not.
  std::string layers = "input_shape = [1000]\n";
  for (int i = 0; i < 6; ++i) layers += "[[model.layers]]\ntype = \"Linear\"\nunits = 1000\n";
  expect_error([&] { build(dir, layers, uint64_t{36} << 20); },
               {"c.toml:19: layer 5 (Linear)", "more than the", "memory limit of 36.0 MiB"});
  EXPECT_NO_THROW(build(dir, layers, uint64_t{64} << 20));
}

TEST(ConfigGuardrails, ResidualBranchesAreCountedLayerByLayer) {
  TempDir dir;
  const std::string model = R"(input_shape = [4, 8, 8]
[[model.layers]]
type = "Residual"
[[model.layers.body]]
type = "Conv2d"
out_channels = 4
kernel_size = 3
padding = 1
[[model.layers.body]]
type = "Conv2d"
out_channels = 4
kernel_size = 300000
padding = 1
)";
  expect_error([&] { build(dir, model); }, {"layer 1 (Residual), body layer 2 (Conv2d) asks for", "1.0 GiB"});
}

}  // namespace
}  // namespace myelin
