// End-to-end tests of sequence data through the `myelin` tool: a character-level model trained
// from a config and regenerated with `generate`, a time-series model trained and asked to
// forecast with `predict --csv`, and the errors of bad sequence inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <sstream>
#include <string>

#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::run_cli;
using testing::TempDir;

const std::string kText = "the cat sat on the mat; the dog sat on the log.";

// A character model of kText: the whole text is one example (seq_len = length - 1).
std::string text_config(int64_t vocabulary, int64_t epochs) {
  return "[data]\nsource = \"text\"\nfile = \"text.txt\"\nseq_len = " + std::to_string(kText.size() - 1) +
         "\n\n[[model.layers]]\ntype = \"Embedding\"\nnum_embeddings = " + std::to_string(vocabulary) +
         "\nembedding_dim = 16\n\n[[model.layers]]\ntype = \"LSTM\"\nhidden_size = 48\nbatch_first = true\n\n"
         "[[model.layers]]\ntype = \"Linear\"\nunits = " + std::to_string(vocabulary) +
         "\n\n[optimizer]\ntype = \"adam\"\nlr = 0.01\n\n[train]\nepochs = " + std::to_string(epochs) +
         "\nbatch_size = 1\nclip_grad_norm = 1.0\nseed = 3\nthreads = 1\n";
}

TEST(CliSequences, CharModelMemorisesTextAndGenerateRegeneratesIt) {
  TempDir dir;
  dir.write("text.txt", kText);
  const int64_t vocabulary = static_cast<int64_t>(std::set<char>(kText.begin(), kText.end()).size());
  const std::string config = dir.write("lm.toml", text_config(vocabulary, 150));
  const std::string out = dir.file("run");
  const auto train = run_cli("train " + config + " --out " + out);
  ASSERT_EQ(train.status, 0) << train.output;
  const std::string model = out + "/model.safetensors";
  const std::string length = " --length " + std::to_string(kText.size() - 1);

  // Temperature 0 from the text's first character: the whole text, then a newline.
  auto greedy = run_cli("generate " + model + length + " --temperature 0");
  ASSERT_EQ(greedy.status, 0) << greedy.output;
  EXPECT_EQ(greedy.output, kText + "\n");
  const auto uncached = run_cli("generate " + model + length + " --temperature 0 --no-cache");
  EXPECT_EQ(uncached.output, greedy.output);

  // A prompt read from a fresh state continues as the text's start does; sampling is reproducible by seed.
  const auto prompted = run_cli("generate " + model + " --prompt \"the cat\" --length 8 --temperature 0");
  EXPECT_EQ(prompted.output, "the cat sat on \n");
  const std::string sampled = "generate " + model + " --length 40 --temperature 1.5 --top-k 5 --top-p 0.9 --seed ";
  const auto a = run_cli(sampled + "7"), b = run_cli(sampled + "7");
  ASSERT_EQ(a.status, 0) << a.output;
  EXPECT_EQ(a.output, b.output);
  EXPECT_EQ(a.output.size(), 42u);  // the first character, 40 more and a newline

  // A prompt the vocabulary cannot spell, and generate on a model that is not a token model.
  const auto unknown = run_cli("generate " + model + " --prompt \"xyz\"");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.output.find("--prompt: byte 'x' at position 0 is not in the model's vocabulary"), std::string::npos)
      << unknown.output;
}

// Daily rows first..first + rows - 1: a sine with a 20-day period in `temp`, its cosine partner
// in `wind`, and a weather category that follows the sine's sign.
std::string series_csv(int rows, int first = 0) {
  std::ostringstream csv;
  csv << "date,temp,wind,sky\n";
  for (int i = first; i < first + rows; ++i) {
    const double a = 2 * M_PI * i / 20;
    const int day = i % 28 + 1, month = i / 28 % 12 + 1, year = 2000 + i / (28 * 12);
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    csv << date << "," << 10 + 5 * std::sin(a) << "," << 3 + std::cos(a) << "," << (std::sin(a) > 0 ? "sun" : "rain") << "\n";
  }
  return csv.str();
}

const char* kSeriesConfig = R"([data]
source = "time_series"
file = "series.csv"
inputs = ["temp", "wind"]
targets = ["temp"]
one_hot = ["sky"]
date_column = "date"
day_of_year = true
window = 10
horizon = 2
split = [0.7, 0.15, 0.15]

[[model.layers]]
type = "Flatten"

[[model.layers]]
type = "Linear"
units = 2

[loss]
type = "mse"

[optimizer]
type = "adam"
lr = 0.01

[train]
epochs = 60
batch_size = 16
seed = 1
threads = 1
)";

TEST(CliSequences, TimeSeriesTrainsAndForecastsTheNextSteps) {
  TempDir dir;
  dir.write("series.csv", series_csv(300));
  const std::string config = dir.write("ts.toml", kSeriesConfig);
  const std::string out = dir.file("run");
  const auto train = run_cli("train " + config + " --out " + out);
  ASSERT_EQ(train.status, 0) << train.output;
  // Training windows of 10 + 2 rows within the first 210 rows; each of the 45 validation and test
  // rows is forecast (the last only as a second step), from windows that may start before the part.
  EXPECT_NE(train.output.find("199 training examples, 44 validation, 44 test"), std::string::npos) << train.output;

  // The next two days after 40 recent rows (rows 260..299): rows 300 and 301 of the sine.
  dir.write("recent.csv", series_csv(40, 260));
  const auto forecast = run_cli("predict " + out + "/model.safetensors --csv " + dir.file("recent.csv"));
  ASSERT_EQ(forecast.status, 0) << forecast.output;
  std::istringstream lines(forecast.output);
  std::string header, line;
  std::getline(lines, header);
  EXPECT_EQ(header, "step,temp");
  for (int step = 1; step <= 2; ++step) {
    ASSERT_TRUE(std::getline(lines, line)) << forecast.output;
    const double value = std::stod(line.substr(line.find(',') + 1));
    EXPECT_EQ(line.substr(0, line.find(',')), std::to_string(step));
    EXPECT_NEAR(value, 10 + 5 * std::sin(2 * M_PI * (299 + step) / 20), 0.5) << forecast.output;
  }

  // Too few recent rows for the window, and a text-model command on a series model.
  dir.write("short.csv", series_csv(5, 260));
  const auto short_file = run_cli("predict " + out + "/model.safetensors --csv " + dir.file("short.csv"));
  EXPECT_EQ(short_file.status, 1);
  EXPECT_NE(short_file.output.find("fewer than the model's window of 10 rows"), std::string::npos) << short_file.output;
  const auto generate = run_cli("generate " + out + "/model.safetensors");
  EXPECT_EQ(generate.status, 1);
  EXPECT_NE(generate.output.find("this model was trained on time_series data; generate samples from models trained on "
                                 "token sequences"),
            std::string::npos)
      << generate.output;
}

TEST(CliSequences, BadSequenceConfigsNameTheProblem) {
  TempDir dir;
  dir.write("series.csv", series_csv(60));
  auto expect_error = [&](const std::string& config, const std::string& message) {
    const auto r = run_cli("train " + dir.write("bad.toml", config) + " --out " + dir.file("bad"));
    EXPECT_EQ(r.status, 1) << config;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
  };
  const std::string base = kSeriesConfig;
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = base;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  expect_error(replaced("targets = [\"temp\"]", "targets = [\"snow\"]"),
               "bad.toml:3: [data] file: " + dir.file("series.csv") + ": the header has no feature column 'snow'");
  expect_error(replaced("window = 10", "window = 50"),
               "bad.toml:9: [data] window: time series: the train part has 42 rows, fewer than window + horizon = 52");
  expect_error(replaced("split = [0.7, 0.15, 0.15]", "validation_split = 0.2"),
               "[data] validation_split would mix time steps across the parts");
  expect_error(replaced("split = [0.7, 0.15, 0.15]", "split_dates = [\"2000-13-01\"]"),
               "'2000-13-01' is not a date: month 13 is outside 1..12");
  dir.write("text.txt", "abc");
  expect_error(text_config(3, 1), "[data] seq_len 46: the training part of " + dir.file("text.txt") +
                                      " has 3 tokens, fewer than seq_len + 1");
}

}  // namespace
}  // namespace myelin
