// `myelin train`'s run directory: held by one run at a time (a second run into it stops at
// once naming the first, also after the first was killed), and its outputs checked writable
// before the first epoch (a directory in a file's place, a read-only directory).
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::TempDir;

const char* kLockName = ".myelin-run.lock";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// y = a - b on 64 rows; `epochs` epochs of a one-unit Linear.
std::string regression_config(const TempDir& dir, int64_t epochs) {
  std::ostringstream csv;
  csv << "a,b,y\n";
  for (int i = 0; i < 64; ++i) csv << i % 7 << "," << i % 5 << "," << (i % 7) - (i % 5) << "\n";
  dir.write("train.csv", csv.str());
  return dir.write("config.toml", R"([data]
source = "csv"
train = "train.csv"
label = "y"

[[model.layers]]
type = "Linear"
units = 1

[loss]
type = "mse"

[train]
batch_size = 8
threads = 1
epochs = )" + std::to_string(epochs) + "\n");
}

// Starts the tool with `args` in a child process (as user `uid` when >= 0), its output going
// to the file `log`.
pid_t spawn(const std::vector<std::string>& args, const std::string& log, int uid = -1) {
  std::vector<char*> argv{const_cast<char*>(MYELIN_CLI_PATH)};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls between fork and exec
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (uid >= 0 && (setgid(static_cast<gid_t>(uid)) != 0 || setuid(static_cast<uid_t>(uid)) != 0)) _exit(126);
    execv(MYELIN_CLI_PATH, argv.data());
    _exit(127);
  }
  return pid;
}

// Runs the tool to its end; its exit status and output.
testing::CliResult run_as(const std::vector<std::string>& args, const std::string& log, int uid = -1) {
  const pid_t pid = spawn(args, log, uid);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(log)};
}

TEST(CliRunDir, ASecondRunIntoTheDirectoryStopsAtOnceNamingTheFirst) {
  TempDir dir;
  const std::string config = regression_config(dir, 1000000);
  const std::string out = dir.file("run");
  const pid_t first = spawn({"train", config, "--out", out}, dir.file("first.log"));
  ASSERT_GT(first, 0);
  const std::string holder = "pid " + std::to_string(first) + ", started ";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (read_text(out + "/" + kLockName).find(holder) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));

  const auto second = testing::run_cli("train " + config + " --out " + out + " --epochs 1");
  EXPECT_EQ(second.status, 1) << second.output;
  EXPECT_NE(second.output.find(out + " is in use by another run (" + holder), std::string::npos) << second.output;
  EXPECT_EQ(second.output.find("training examples"), std::string::npos) << "it read the data: " << second.output;

  // Killed, the first run leaves its lock file, but not its lock: the next run goes ahead.
  kill(first, SIGKILL);
  int status = 0;
  waitpid(first, &status, 0);
  EXPECT_TRUE(std::filesystem::exists(out + "/" + kLockName));
  const auto third = testing::run_cli("train " + config + " --out " + out + " --epochs 1");
  EXPECT_EQ(third.status, 0) << third.output;
  EXPECT_FALSE(std::filesystem::exists(out + "/" + kLockName)) << "a run that ends removes its lock file";
}

TEST(CliRunDir, AnOutputPathThatIsADirectoryStopsTheRunBeforeTheFirstEpoch) {
  TempDir dir;
  const std::string config = regression_config(dir, 2);
  const std::string out = dir.file("run");
  std::filesystem::create_directories(out + "/model.safetensors");
  const auto r = testing::run_cli("train " + config + " --out " + out);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find(out + "/model.safetensors: is a directory, so the final model cannot be written"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(out + "/metrics.csv")) << "an epoch ran: " << r.output;
  EXPECT_FALSE(std::filesystem::exists(out + "/" + kLockName));
}

// Root writes into read-only directories, so as root the run is made by user nobody (65534).
TEST(CliRunDir, AReadOnlyRunDirectoryStopsTheRunBeforeTheFirstEpoch) {
  TempDir dir;
  const std::string config = regression_config(dir, 2);
  const std::string out = dir.file("readonly");
  std::filesystem::create_directories(out);
  using std::filesystem::perms;
  std::filesystem::permissions(dir.path(), perms::owner_all | perms::group_read | perms::group_exec |
                                               perms::others_read | perms::others_exec);
  std::filesystem::permissions(out, perms::owner_read | perms::owner_exec | perms::group_read | perms::group_exec |
                                        perms::others_read | perms::others_exec);
  const int uid = geteuid() == 0 ? 65534 : -1;
  const std::string log = dir.file("log");
  dir.write("log", "");
  std::filesystem::permissions(log, perms::all);
  const auto r = run_as({"train", config, "--out", out}, log, uid);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find(out + "/model.safetensors: cannot be written: creating a file in " + out +
                          " fails (Permission denied)"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("training examples"), std::string::npos) << "it read the data: " << r.output;
}

}  // namespace
}  // namespace myelin
