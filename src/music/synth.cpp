// Rendering MIDI to WAV with the fluidsynth program (run directly, no shell in between).
#include "myelin/music/synth.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <vector>

#include "myelin/error.hpp"

extern char** environ;

namespace myelin::music {
namespace {

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && std::filesystem::exists(std::filesystem::path(dir) / program)) return true;
  return false;
}

}  // namespace

bool render_wav(const std::string& midi, const std::string& wav, const std::string& soundfont) {
  if (!std::filesystem::exists(soundfont) || !on_path("fluidsynth")) return false;
  std::vector<std::string> args = {"fluidsynth", "-ni", "-q", "-F", wav, soundfont, midi};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, "fluidsynth", nullptr, nullptr, argv.data(), environ) != 0)
    throw IoError(wav + ": cannot start fluidsynth");
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !std::filesystem::exists(wav))
    throw IoError(wav + ": fluidsynth failed to render " + midi);
  return true;
}

}  // namespace myelin::music
