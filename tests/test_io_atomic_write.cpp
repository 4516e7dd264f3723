// Atomic writes: a failed save leaves the old file as it was and no temporary file behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "myelin/myelin.hpp"
#include "scratch_dir.hpp"

namespace myelin::testing {
namespace {

using io::save_safetensors;

// Asserts that saving to `path` throws an IoError naming `path` and containing `expected`.
void expect_save_error(const std::string& path, const io::NamedTensors& tensors, const std::string& expected) {
  try {
    save_safetensors(path, tensors);
    ADD_FAILURE() << "saving " << path << " did not throw";
  } catch (const IoError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(path + ": ", 0), 0u) << what;
    EXPECT_NE(what.find(expected), std::string::npos) << "message: " << what << "\nexpected to contain: " << expected;
  }
}

TEST(AtomicWrite, ReplacesTheFileAndLeavesNoTemporary) {
  ScratchDir dir;
  const std::string path = dir.file("m.safetensors");
  save_safetensors(path, {{"a", Tensor::ones({3})}});
  save_safetensors(path, {{"b", Tensor::zeros({2})}});
  const io::TensorFile file = io::load_safetensors(path);
  ASSERT_EQ(file.tensors.size(), 1u);
  EXPECT_EQ(file.tensors[0].first, "b");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"m.safetensors"});
}

TEST(AtomicWrite, ParentThatIsAFileIsAnError) {
  ScratchDir dir;
  write_bytes(dir.file("plain"), "not a directory");
  expect_save_error(dir.file("plain") + "/m.safetensors", {{"a", Tensor::ones({1})}},
                    "cannot create a temporary file in its directory: Not a directory");
  EXPECT_EQ(read_bytes(dir.file("plain")), "not a directory");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"plain"});
}

TEST(AtomicWrite, MissingDirectoryIsAnError) {
  ScratchDir dir;
  expect_save_error(dir.file("absent/m.safetensors"), {{"a", Tensor::ones({1})}},
                    "No such file or directory");
  EXPECT_TRUE(dir.entries().empty());
}

// The temporary file is written completely, then the rename fails: it must be removed.
TEST(AtomicWrite, FailedRenameRemovesTheTemporary) {
  ScratchDir dir;
  std::filesystem::create_directory(dir.file("taken"));
  write_bytes(dir.file("taken/inside"), "keep");
  expect_save_error(dir.file("taken"), {{"a", Tensor::ones({100})}}, "rename failed");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"taken"});
  EXPECT_EQ(read_bytes(dir.file("taken/inside")), "keep");
}

// A write fails half-way (file size limit, which binds root too): the old file survives.
TEST(AtomicWrite, FailedWriteKeepsTheOldFile) {
  ScratchDir dir;
  const std::string path = dir.file("m.safetensors");
  save_safetensors(path, {{"old", Tensor::ones({4})}});
  const std::string before = read_bytes(path);

  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  rlimit small = saved;
  small.rlim_cur = 4096;
  auto* previous_handler = signal(SIGXFSZ, SIG_IGN);  // so write() fails with EFBIG instead
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  expect_save_error(path, {{"big", Tensor::ones({10000})}}, "write failed: File too large (the file is unchanged)");
  setrlimit(RLIMIT_FSIZE, &saved);
  signal(SIGXFSZ, previous_handler);

  EXPECT_EQ(read_bytes(path), before);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"m.safetensors"});
}

TEST(AtomicWrite, ReadOnlyDirectoryKeepsTheOldFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions; see FailedWriteKeepsTheOldFile";
  ScratchDir dir;
  const std::string path = dir.file("m.safetensors");
  save_safetensors(path, {{"old", Tensor::ones({4})}});
  const std::string before = read_bytes(path);
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  expect_save_error(path, {{"new", Tensor::ones({4})}}, "Permission denied");
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all);
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"m.safetensors"});
}

// The pid of a process that has exited and been reaped.
pid_t dead_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;
}

// A writer killed in the middle of a save leaves ".<name>.tmp<pid>-<n>"; the next save of the
// same file removes it, but not a live writer's file, another file's or an unrelated one.
TEST(AtomicWrite, NextSaveRemovesTheTemporaryOfAKilledWriter) {
  ScratchDir dir;
  const std::string dead = std::to_string(dead_pid()), alive = std::to_string(::getpid());
  write_bytes(dir.file(".m.safetensors.tmp" + dead + "-0"), "half a file");
  write_bytes(dir.file(".m.safetensors.tmp" + alive + "-999"), "being written");
  write_bytes(dir.file(".other.safetensors.tmp" + dead + "-0"), "another file's");
  write_bytes(dir.file(".m.safetensors.tmp" + dead + "-x"), "not our name");
  save_safetensors(dir.file("m.safetensors"), {{"a", Tensor::ones({2})}});
  std::vector<std::string> kept{".m.safetensors.tmp" + dead + "-x", ".m.safetensors.tmp" + alive + "-999",
                                ".other.safetensors.tmp" + dead + "-0", "m.safetensors"};
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(dir.entries(), kept);
}

}  // namespace
}  // namespace myelin::testing
