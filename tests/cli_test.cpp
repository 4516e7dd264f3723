// End-to-end tests of the `myelin` command-line tool: they run the built binary on small
// generated data sets in a temporary directory.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
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
#include "idx_file.hpp"
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

using testing::idx_bytes;

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

// Starts the tool with `args` in a child process, its stdout and stderr going to the file `log`.
pid_t spawn(const std::vector<std::string>& args, const std::string& log) {
  std::vector<char*> argv{const_cast<char*>(MYELIN_CLI_PATH)};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls between fork and exec
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    execv(MYELIN_CLI_PATH, argv.data());
    _exit(127);
  }
  return pid;
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
  const pid_t pid = spawn({"train", r.config, "--out", parts}, log);
  ASSERT_GE(pid, 0);
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

  // Anomaly mode names the first non-finite value's op or weight and its place as well.
  const Result a = run("train " + config + " --out " + dir.file("anomaly") + " --detect-anomaly");
  EXPECT_EQ(a.status, 1) << a.output;
  EXPECT_NE(a.output.find("myelin: error: anomaly: "), std::string::npos) << a.output;
  EXPECT_NE(a.output.find(" holds "), std::string::npos) << a.output;
  EXPECT_NE(a.output.find("at epoch 1, batch "), std::string::npos) << a.output;
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

TEST(Cli, OnnxExportThenImport) {
  // The shipped CNN (conv, batch norm, pools, dropout, linear) as ONNX and back.
  const std::string config = std::string(MYELIN_FIXTURE_DIR) + "/../../examples/fashion_mnist/cnn.toml";
  TempDir dir;
  const Result exported = run("export " + config + " --onnx " + dir.file("cnn.onnx"));
  ASSERT_EQ(exported.status, 0) << exported.output;
  EXPECT_NE(exported.output.find("(-1, 1, 28, 28)"), std::string::npos) << exported.output;
  const Result imported = run("import " + dir.file("cnn.onnx") + " --out " + dir.file("cnn.safetensors"));
  ASSERT_EQ(imported.status, 0) << imported.output;
  const Result summary = run("summary " + dir.file("cnn.safetensors"));
  ASSERT_EQ(summary.status, 0) << summary.output;
  EXPECT_NE(summary.output.find("Total params: 421,834"), std::string::npos) << summary.output;

  const Result bad = run("import " + config + " --out " + dir.file("x.safetensors"));
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.output.find("not an ONNX model"), std::string::npos) << bad.output;
}

TEST(Cli, ShippedResNetConfigTrainsOneStep) {
  // resnet.toml on 32 random 28x28 IDX images instead of Fashion-MNIST: residual blocks,
  // augmentation and the warmed-up schedule run end to end.
  TempDir dir;
  const int n = 32;
  std::vector<uint8_t> images, labels;
  Generator g(5);
  for (int i = 0; i < n; ++i) {
    labels.push_back(static_cast<uint8_t>(i % 10));
    for (int p = 0; p < 28 * 28; ++p) images.push_back(static_cast<uint8_t>(g.below(256)));
  }
  dir.write("images.idx", idx_bytes({n, 28, 28}, images));
  dir.write("labels.idx", idx_bytes({n}, labels));
  std::string text = read_text(std::string(MYELIN_FIXTURE_DIR) + "/../../examples/fashion_mnist/resnet.toml");
  const std::string shipped = "source = \"fashion_mnist\"\n";
  ASSERT_NE(text.find(shipped), std::string::npos);
  text.replace(text.find(shipped), shipped.size(),
               "source = \"idx\"\ntrain_images = \"images.idx\"\ntrain_labels = \"labels.idx\"\ndivide_by = 255\n");
  const std::string config = dir.write("resnet.toml", text);
  const Result summary = run("summary " + config);
  ASSERT_EQ(summary.status, 0) << summary.output;
  EXPECT_LT(summary.output.find("4.body.0 (Conv2d)"), summary.output.find("6.shortcut.0 (Conv2d)")) << summary.output;
  EXPECT_NE(summary.output.find("(N, 64, 7, 7)"), std::string::npos) << summary.output;
  // Two epochs of one step each: the schedule's warm-up epoch needs a later one.
  const Result train = run("train " + config + " --epochs 2 --out " + dir.file("run"));
  ASSERT_EQ(train.status, 0) << train.output;
  EXPECT_NE(train.output.find("epoch 2"), std::string::npos) << train.output;
  EXPECT_TRUE(std::filesystem::exists(dir.file("run/model.safetensors")));
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


// ---------------------------------------------------------------- faults during training

// Runs the tool with every file it writes limited to `max_file_bytes` (RLIMIT_FSIZE, with
// SIGXFSZ ignored so that a write past the limit fails with EFBIG, as on a full disk).
// Its output comes through a pipe, which the limit does not cover.
Result run_with_file_limit(const std::vector<std::string>& args, rlim_t max_file_bytes) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::vector<char*> argv{const_cast<char*>(MYELIN_CLI_PATH)};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    const rlimit limit{max_file_bytes, max_file_bytes};
    setrlimit(RLIMIT_FSIZE, &limit);
    signal(SIGXFSZ, SIG_IGN);  // kept across exec
    execv(MYELIN_CLI_PATH, argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Temporary files (".name.tmpPID-N") left in `dir` (none when the run failed before creating it).
int temporary_files(const std::string& dir) {
  int n = 0;
  if (!std::filesystem::exists(dir)) return 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    n += e.path().filename().string().find(".tmp") != std::string::npos;
  return n;
}

TEST(CliFaults, KilledAtRandomMomentsThenResumedGivesTheUninterruptedWeights) {
  ClassifierRun r(30);
  const std::string whole = r.dir.file("whole");
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(run("train " + r.config + " --out " + whole).status, 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const io::NamedTensors expected = weights_of(whole + "/model.safetensors");

  Generator moments(2024);
  int killed_mid_run = 0;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const std::string out = r.dir.file("killed" + std::to_string(attempt));
    const std::string log = out + ".log";
    const pid_t pid = spawn({"train", r.config, "--out", out}, log);
    ASSERT_GE(pid, 0);
    const double delay = seconds * (0.2 + 0.7 * moments.uniform());
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    SCOPED_TRACE("kill after " + std::to_string(delay) + " s; " + read_text(log));
    // A kill after the final model file was written (atomically) leaves a finished run.
    if (WIFSIGNALED(status) && !std::filesystem::exists(out + "/model.safetensors")) {
      ++killed_mid_run;
      // Resumed from the last checkpoint, or started afresh if it was killed before the first.
      const bool resumable = std::filesystem::exists(out + "/checkpoint.safetensors");
      const Result again = run("train " + r.config + " --out " + out + (resumable ? " --resume" : ""));
      ASSERT_EQ(again.status, 0) << again.output;
      // A kill inside a write leaves that write's temporary file; the resumed run's saves remove it.
      EXPECT_EQ(temporary_files(out), 0);
    }
    expect_same_tensors(expected, weights_of(out + "/model.safetensors"));
  }
  EXPECT_GE(killed_mid_run, 1) << "every kill came after the run had finished";
}

TEST(CliFaults, FullDiskKeepsTheLastGoodCheckpoint) {
  ClassifierRun r(12);
  const std::string whole = r.dir.file("whole");
  ASSERT_EQ(run("train " + r.config + " --out " + whole).status, 0);
  // Room for every file of a 3-epoch run, but not for the learning curves' picture of a longer
  // one (it grows with every epoch): the disk fills up after a few good checkpoints.
  const std::string short_run = r.dir.file("short");
  ASSERT_EQ(run("train " + r.config + " --out " + short_run + " --epochs 3").status, 0);
  uintmax_t room = 0;
  for (const auto& e : std::filesystem::directory_iterator(short_run)) room = std::max(room, e.file_size());
  ASSERT_GT(std::filesystem::file_size(whole + "/learning_curves.svg"), room);

  const std::string out = r.dir.file("full");
  const Result full = run_with_file_limit({"train", r.config, "--out", out}, room);
  EXPECT_EQ(full.status, 1) << full.output;
  // Which file hits the limit first depends on how the sizes grow; each says so the same way.
  EXPECT_NE(full.output.find(out + "/"), std::string::npos) << full.output;
  EXPECT_NE(full.output.find(": write failed: File too large (the file is unchanged)"), std::string::npos)
      << full.output;
  EXPECT_NE(full.output.find("the last good checkpoint (after epoch"), std::string::npos) << full.output;
  EXPECT_EQ(temporary_files(out), 0);
  // The checkpoint left behind is whole: the run resumes from it (with room again) and ends
  // where the uninterrupted run did.
  const Result resumed = run("train " + r.config + " --out " + out + " --resume");
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  expect_same_tensors(weights_of(whole + "/model.safetensors"), weights_of(out + "/model.safetensors"));

  // With no room even for the first files: a clear error and no checkpoint, no debris.
  const std::string none = r.dir.file("none");
  const Result tiny = run_with_file_limit({"train", r.config, "--out", none}, 64);
  EXPECT_EQ(tiny.status, 1) << tiny.output;
  EXPECT_NE(tiny.output.find("File too large"), std::string::npos) << tiny.output;
  EXPECT_FALSE(std::filesystem::exists(none + "/checkpoint.safetensors"));
  EXPECT_EQ(temporary_files(none), 0);
}

TEST(CliFaults, UnwritableOutputIsAClearError) {
  ClassifierRun r(2);
  // A path below a regular file can never be created, whoever runs the test.
  const std::string blocked = r.dir.write("blocker", "") + "/run";
  const Result below_file = run("train " + r.config + " --out " + blocked);
  EXPECT_EQ(below_file.status, 1) << below_file.output;
  EXPECT_NE(below_file.output.find("myelin: error:"), std::string::npos) << below_file.output;
  EXPECT_NE(below_file.output.find(blocked), std::string::npos) << below_file.output;

  if (geteuid() == 0) return;  // root writes into read-only directories
  const std::string out = r.dir.file("readonly");
  std::filesystem::create_directories(out);
  std::filesystem::permissions(out, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  const Result readonly = run("train " + r.config + " --out " + out);
  EXPECT_EQ(readonly.status, 1) << readonly.output;
  EXPECT_NE(readonly.output.find(out + "/"), std::string::npos) << readonly.output;
  EXPECT_NE(readonly.output.find("Permission denied"), std::string::npos) << readonly.output;
}

TEST(CliFaults, FlippedByteInTheCheckpointIsCaughtOnResume) {
  ClassifierRun r(2);
  const std::string out = r.dir.file("run");
  ASSERT_EQ(run("train " + r.config + " --out " + out).status, 0);
  const std::string checkpoint = out + "/checkpoint.safetensors";
  std::string bytes = read_text(checkpoint);
  bytes[bytes.size() - 3] ^= 0x01;  // in the last tensor's data
  std::ofstream(checkpoint, std::ios::binary | std::ios::trunc) << bytes;
  const Result resumed = run("train " + r.config + " --out " + out + " --epochs 3 --resume");
  EXPECT_EQ(resumed.status, 1) << resumed.output;
  EXPECT_NE(resumed.output.find(checkpoint + ": checksum mismatch"), std::string::npos) << resumed.output;
}

}  // namespace
}  // namespace myelin
