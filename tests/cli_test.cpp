// End-to-end tests of the `myelin` command-line tool: they run the built binary on small
// generated data sets in a temporary directory.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "myelin/config/config.hpp"
#include "myelin/io/safetensors.hpp"
#include "myelin/nn/summary.hpp"
#include "myelin/random.hpp"
#include "run_cli.hpp"
#include "temp_dir.hpp"
#include "xml_tree.hpp"

namespace myelin {
namespace {

using testing::TempDir;

using Result = testing::CliResult;

// Runs the tool with `args` (shell words) and waits for it.
Result run(const std::string& args) { return testing::run_cli(args); }

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Three classes of points around three centres in 4 dimensions, as a CSV table with class names.
std::string classes_csv(int rows, uint64_t seed, bool with_label = true) {
  Generator g(seed);
  const char* names[] = {"cat", "dog", "fox"};
  std::ostringstream csv;
  csv << "a,b,c,d" << (with_label ? ",animal" : "") << "\n";
  for (int i = 0; i < rows; ++i) {
    const int k = i % 3;
    for (int j = 0; j < 4; ++j) csv << (j ? "," : "") << 10.0 * (j == k) + 3.0 * g.normal() + 5;
    if (with_label) csv << "," << names[k];
    csv << "\n";
  }
  return csv.str();
}

// y = 2a - b + noise.
std::string regression_csv(int rows, uint64_t seed) {
  Generator g(seed);
  std::ostringstream csv;
  csv << "a,b,y\n";
  for (int i = 0; i < rows; ++i) {
    const double a = g.normal(), b = g.normal();
    csv << a << "," << b << "," << 2 * a - b + 0.1 * g.normal() << "\n";
  }
  return csv.str();
}

const char* kClassifierConfig = R"([data]
source = "csv"
train = "train.csv"
test = "test.csv"
label = "animal"
labels_are_names = true
standardize = true
validation_split = 0.25

[model]
[[model.layers]]
type = "Linear"
units = 16
activation = "relu"
[[model.layers]]
type = "Dropout"
p = 0.1
[[model.layers]]
type = "Linear"
units = 3

[optimizer]
type = "sgd"
lr = 0.05
momentum = 0.9

[schedule]
type = "cosine"

[train]
epochs = %d
batch_size = 16
seed = 7
threads = 1
)";

std::string classifier_config(int epochs) {
  char buf[2048];
  std::snprintf(buf, sizeof buf, kClassifierConfig, epochs);
  return buf;
}

// A directory with train.csv, test.csv and config.toml of the classifier.
struct ClassifierRun {
  TempDir dir;
  std::string config;
  explicit ClassifierRun(int epochs) {
    dir.write("train.csv", classes_csv(240, 1));
    dir.write("test.csv", classes_csv(60, 2));
    config = dir.write("config.toml", classifier_config(epochs));
  }
};

TEST(Cli, TrainEvalPredictRoundTrip) {
  ClassifierRun r(4);
  const std::string out = r.dir.file("run");
  const Result train = run("train " + r.config + " --out " + out);
  ASSERT_EQ(train.status, 0) << train.output;
  EXPECT_NE(train.output.find("epoch 4"), std::string::npos) << train.output;
  EXPECT_NE(train.output.find("test:"), std::string::npos) << train.output;
  for (const char* f : {"model.safetensors", "best.safetensors", "checkpoint.safetensors"})
    EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
  // The learning curves: loss and accuracy panels, training and validation lines, 4 epochs.
  const testing::XmlElement curves = testing::parse_xml(read_text(out + "/learning_curves.svg"));
  EXPECT_EQ(curves.name, "svg");
  const std::string csv = read_text(out + "/metrics.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5) << csv;  // header + 4 epochs
  EXPECT_EQ(csv.rfind("epoch,seconds,lr,accuracy,loss,val_accuracy,val_loss", 0), 0u) << csv;

  const Result eval = run("eval " + out + "/model.safetensors " + r.dir.file("test.csv"));
  ASSERT_EQ(eval.status, 0) << eval.output;
  EXPECT_NE(eval.output.find("60 examples:  accuracy 1.0000"), std::string::npos) << eval.output;
  EXPECT_NE(eval.output.find("confusion matrix"), std::string::npos);
  EXPECT_NE(eval.output.find("fox"), std::string::npos);
  EXPECT_NE(eval.output.find("100.00%"), std::string::npos);
  const Result eval_config = run("eval " + out + "/model.safetensors " + r.config);  // its test data
  ASSERT_EQ(eval_config.status, 0) << eval_config.output;
  EXPECT_NE(eval_config.output.find("evaluating on the test data"), std::string::npos) << eval_config.output;
  EXPECT_NE(eval_config.output.find("60 examples:  accuracy 1.0000"), std::string::npos) << eval_config.output;

  // New examples without the label column: the rows of test.csv, in the same order.
  const std::string inputs = r.dir.write("new.csv", classes_csv(60, 2, false));
  const Result predict = run("predict " + out + "/model.safetensors " + inputs + " --top 2");
  ASSERT_EQ(predict.status, 0) << predict.output;
  std::istringstream lines(predict.output);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "row,class_1,name_1,probability_1,class_2,name_2,probability_2");
  const char* names[] = {"cat", "dog", "fox"};
  int rows = 0;
  for (; std::getline(lines, line); ++rows) {
    const std::string expected = std::to_string(rows) + "," + std::to_string(rows % 3) + "," + names[rows % 3] + ",";
    EXPECT_EQ(line.rfind(expected, 0), 0u) << line;
  }
  EXPECT_EQ(rows, 60);
  const Result json = run("predict " + out + "/model.safetensors " + inputs + " --format json");
  ASSERT_EQ(json.status, 0) << json.output;
  EXPECT_NE(json.output.find("\"name\": \"dog\""), std::string::npos) << json.output;
}

// Writes an IDX file of unsigned bytes with the given dimensions.
std::string idx_bytes(const std::vector<int32_t>& dims, const std::vector<uint8_t>& values) {
  std::string s = {0, 0, 0x08, static_cast<char>(dims.size())};
  for (int32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((d >> shift) & 0xff);
  s.append(values.begin(), values.end());
  return s;
}

TEST(Cli, IdxImagesTrainAndPredict) {
  TempDir dir;
  // 4x4 images of two classes: a bright left half, or a bright right half.
  const int n = 64;
  std::vector<uint8_t> images, labels;
  Generator g(3);
  for (int i = 0; i < n; ++i) {
    labels.push_back(static_cast<uint8_t>(i % 2));
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 4; ++x) images.push_back(static_cast<uint8_t>(((x < 2) == (i % 2 == 0) ? 200 : 20) + g.below(30)));
  }
  dir.write("images.idx", idx_bytes({n, 4, 4}, images));
  dir.write("labels.idx", idx_bytes({n}, labels));
  const std::string config = dir.write("config.toml", R"([data]
source = "idx"
train_images = "images.idx"
train_labels = "labels.idx"
divide_by = 255
class_names = ["left", "right"]

[model]
[[model.layers]]
type = "Linear"
units = 2

[optimizer]
lr = 0.05

[train]
epochs = 5
batch_size = 8
)");
  const Result train = run("train " + config + " --out " + dir.file("run"));
  ASSERT_EQ(train.status, 0) << train.output;
  const Result predict = run("predict " + dir.file("run/model.safetensors") + " " + dir.file("images.idx"));
  ASSERT_EQ(predict.status, 0) << predict.output;
  EXPECT_NE(predict.output.find("\n0,0,left,"), std::string::npos) << predict.output;
  EXPECT_NE(predict.output.find("\n1,1,right,"), std::string::npos) << predict.output;
  const Result eval = run("eval " + dir.file("run/model.safetensors") + " " + dir.file("images.idx") + " --labels " +
                          dir.file("labels.idx"));
  ASSERT_EQ(eval.status, 0) << eval.output;
  EXPECT_NE(eval.output.find("accuracy 1.0000"), std::string::npos) << eval.output;
}

io::NamedTensors weights_of(const std::string& model_file) { return io::load_safetensors(model_file).tensors; }

void expect_same_tensors(const io::NamedTensors& a, const io::NamedTensors& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].first, b[i].first);
    EXPECT_EQ(a[i].second.to_vector(), b[i].second.to_vector()) << a[i].first;
  }
}

TEST(Cli, ResumeAfterCtrlCGivesTheUninterruptedWeights) {
  ClassifierRun r(20);
  const std::string whole = r.dir.file("whole"), parts = r.dir.file("parts");
  ASSERT_EQ(run("train " + r.config + " --out " + whole).status, 0);

  // Ctrl-C once the first checkpoint exists; the run would otherwise go on for 20 epochs.
  const std::string log = r.dir.file("interrupted.log");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // only async-signal-safe calls between fork and exec
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    execl(MYELIN_CLI_PATH, MYELIN_CLI_PATH, "train", r.config.c_str(), "--out", parts.c_str(), nullptr);
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!std::filesystem::exists(parts + "/checkpoint.safetensors") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string message = read_text(log);
  ASSERT_TRUE(WIFEXITED(status)) << message;
  ASSERT_EQ(WEXITSTATUS(status), 130) << message;
  EXPECT_NE(message.find("--resume"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(parts + "/model.safetensors"));

  const Result resumed = run("train " + r.config + " --out " + parts + " --resume");
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resuming"), std::string::npos);
  expect_same_tensors(weights_of(whole + "/model.safetensors"), weights_of(parts + "/model.safetensors"));
  // The log holds every epoch once, as the uninterrupted run's (but for the times).
  const std::string csv = read_text(parts + "/metrics.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 21) << csv;
}

struct ConfigErrorCase {
  const char* name;
  std::string config;
  std::vector<std::string> expected;  // substrings of the message
};

std::string with(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("no '" + from + "' in the config");
  return text.replace(at, from.size(), to);
}

TEST(Cli, ConfigErrorsNameFileLineAndKey) {
  const std::string good = classifier_config(2);
  const std::vector<ConfigErrorCase> cases = {
      {"unknown key", with(good, "momentum = 0.9", "learning_rat = 0.9"),
       {"config.toml:25: unknown key 'learning_rat' in [optimizer] (did you mean 'lr'?)"}},
      {"wrong type", with(good, "batch_size = 16", "batch_size = \"16\""),
       {"config.toml:32: [train] batch_size must be an integer, got a string"}},
      {"missing key", with(good, "label = \"animal\"\n", ""), {"config.toml:1: [data] needs the key 'label'"}},
      {"shape that cannot fit", with(good, "type = \"Dropout\"\np = 0.1", "type = \"Linear\"\nin_features = 5\nout_features = 4"),
       {"config.toml:15: layer 2 (Linear) cannot take inputs of shape (16,)"}},
      {"unknown layer setting", with(good, "p = 0.1", "rate = 0.1"),
       {"config.toml:17: layer 2 (Dropout): Dropout: unknown setting 'rate'"}},
      {"missing data file", with(good, "test.csv", "tset.csv"),
       {"config.toml:4: [data] test: no such file", "tset.csv"}},
      {"bad choice", with(good, "type = \"cosine\"", "type = \"cosin\""),
       {"config.toml:28: [schedule] type is 'cosin'", "did you mean 'cosine'?"}},
  };
  for (const auto& c : cases) {
    TempDir dir;
    dir.write("train.csv", classes_csv(30, 1));
    dir.write("test.csv", classes_csv(9, 2));
    const Result r = run("train " + dir.write("config.toml", c.config) + " --out " + dir.file("run"));
    EXPECT_NE(r.status, 0) << c.name;
    for (const auto& e : c.expected) EXPECT_NE(r.output.find(e), std::string::npos) << c.name << ": " << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir.file("run/checkpoint.safetensors"))) << c.name;
  }
}

TEST(Cli, DivergingLossExitsNamingEpochAndBatch) {
  TempDir dir;
  dir.write("train.csv", regression_csv(64, 5));
  const std::string config = dir.write("config.toml", R"([data]
source = "csv"
train = "train.csv"
label = "y"

[model]
[[model.layers]]
type = "Linear"
units = 1

[loss]
type = "mse"

[optimizer]
type = "sgd"
lr = 1e18

[train]
epochs = 3
batch_size = 8
)");
  const Result r = run("train " + config + " --out " + dir.file("run"));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("training diverged"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("at epoch 1, batch "), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir.file("run/model.safetensors")));
}

TEST(Cli, HelpTeachesWithExamples) {
  const Result help = run("--help");
  EXPECT_EQ(help.status, 0);
  for (const char* command : {"train", "eval", "predict", "summary"}) {
    EXPECT_NE(help.output.find(command), std::string::npos) << help.output;
    const Result sub = run(std::string(command) + " --help");
    EXPECT_EQ(sub.status, 0) << command;
    EXPECT_NE(sub.output.find("Examples:\n  myelin " + std::string(command)), std::string::npos) << sub.output;
  }
  EXPECT_EQ(run("--version").output, "myelin 0.1.0\n");
  EXPECT_NE(run("").status, 0);  // a command is required
}

TEST(Cli, DrawWritesTheNetworkAsValidSvg) {
  ClassifierRun r(1);
  const std::string svg = r.dir.file("net.svg");
  const Result draw = run("draw " + r.config + " -o " + svg + " --max-neurons 20");
  ASSERT_EQ(draw.status, 0) << draw.output;
  const testing::XmlElement root = testing::parse_xml(read_text(svg));
  // 4 input features, 16 hidden neurons, 3 outputs (named after the classes), all drawn.
  const size_t neurons = root.find_all([](const testing::XmlElement& e) {
                               return e.name == "circle" && e.has_class("neuron");
                             }).size();
  EXPECT_EQ(neurons, 4u + 16u + 3u);
  const std::vector<std::string> labels = testing::texts(root);
  EXPECT_NE(std::find(labels.begin(), labels.end(), "fox"), labels.end());

  const Result bad = run("draw " + r.config + " -o " + r.dir.file("no/such/dir/net.svg"));
  EXPECT_NE(bad.status, 0);
  EXPECT_FALSE(std::filesystem::exists(r.dir.file("no/such/dir/net.svg")));
}

TEST(Cli, ShippedCnnConfigBuilds) {
  // cnn.toml names its input shape, so its model builds without the data set installed.
  const std::string config = std::string(MYELIN_FIXTURE_DIR) + "/../../examples/fashion_mnist/cnn.toml";
  const Result summary = run("summary " + config);
  ASSERT_EQ(summary.status, 0) << summary.output;
  EXPECT_NE(summary.output.find("Total params: 421,834"), std::string::npos) << summary.output;
  EXPECT_NE(summary.output.find("(N, 64, 7, 7)"), std::string::npos) << summary.output;
}

TEST(Cli, SummaryMatchesTheLibrary) {
  ClassifierRun r(2);
  const config::RunConfig c = config::load_config(r.config);
  const config::PreparedData data = config::load_data(c);
  nn::ModulePtr model = config::build_model(c, data.input_shape);
  const std::string expected = nn::to_string(nn::summary(*model, data.input_shape));
  const Result s = run("summary " + r.config);
  ASSERT_EQ(s.status, 0) << s.output;
  EXPECT_EQ(s.output, expected);
  EXPECT_NE(expected.find("Total params: 131"), std::string::npos) << expected;  // 4*16+16 + 16*3+3
}

}  // namespace
}  // namespace myelin
