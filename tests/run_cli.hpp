#pragma once
// Runs the built `myelin` binary (MYELIN_CLI_PATH) with shell words and collects its output.
#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace myelin::testing {

struct CliResult {
  int status;          // the exit status; -1 when it did not exit normally
  std::string output;  // stdout and stderr
};

inline CliResult run_cli(const std::string& args) {
  const std::string command = std::string(MYELIN_CLI_PATH) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace myelin::testing
