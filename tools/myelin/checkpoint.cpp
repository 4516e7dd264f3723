#include "checkpoint.hpp"

#include <cstdio>
#include <filesystem>

#include "myelin/error.hpp"
#include "myelin/io/safetensors.hpp"
#include "myelin/random.hpp"

namespace myelin::cli {
namespace {

void add(io::NamedTensors& out, const std::string& prefix, const std::vector<std::pair<std::string, Tensor>>& state) {
  for (const auto& [name, t] : state) out.emplace_back(prefix + name, t);
}

// The tensors named prefix + x, as x -> tensor.
std::map<std::string, Tensor> part(const io::NamedTensors& all, const std::string& prefix) {
  std::map<std::string, Tensor> out;
  for (const auto& [name, t] : all)
    if (name.compare(0, prefix.size(), prefix) == 0) out.emplace(name.substr(prefix.size()), t);
  return out;
}

// Doubles travel as text with 17 significant digits, which reads back exactly.
std::string exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

void save_checkpoint(const std::string& path, train::Trainer& trainer, const RunProgress& progress) {
  io::NamedTensors tensors;
  add(tensors, "model.", trainer.model().state_dict());
  add(tensors, "optimizer.", trainer.optimizer().state());
  if (trainer.schedule()) add(tensors, "schedule.", trainer.schedule()->state());
  const std::map<std::string, std::string> metadata = {
      {"format", "myelin-checkpoint"},
      {"epochs_done", std::to_string(progress.epochs_done)},
      {"best", exact(progress.best)},
      {"stopping_best", exact(progress.stopping_best)},
      {"stopping_bad_epochs", std::to_string(progress.stopping_bad_epochs)},
      {"generator", default_generator().state()}};
  io::save_safetensors(path, tensors, metadata);  // with the checksums
}

RunProgress load_checkpoint(const std::string& path, train::Trainer& trainer) {
  if (!std::filesystem::exists(path))
    throw IoError(path + ": no checkpoint to resume from (run without --resume to start afresh)");
  const io::TensorFile file = io::load_safetensors(path);  // checksums verified
  auto meta = [&](const std::string& key) {
    auto it = file.metadata.find(key);
    if (it == file.metadata.end()) throw IoError(path + ": not a myelin checkpoint (no '" + key + "' metadata)");
    return it->second;
  };
  if (meta("format") != "myelin-checkpoint") throw IoError(path + ": not a myelin checkpoint");
  RunProgress p;
  try {
    trainer.model().load_state_dict(part(file.tensors, "model."));
    trainer.optimizer().load_state(part(file.tensors, "optimizer."));
    if (trainer.schedule()) trainer.schedule()->load_state(part(file.tensors, "schedule."));
    p.epochs_done = std::stoll(meta("epochs_done"));
    p.best = std::stod(meta("best"));
    p.stopping_best = std::stod(meta("stopping_best"));
    p.stopping_bad_epochs = std::stoll(meta("stopping_bad_epochs"));
    default_generator().set_state(meta("generator"));
  } catch (const Error& e) {
    throw IoError(path + ": the checkpoint does not fit this config's run (" + e.what() + ")");
  } catch (const std::logic_error& e) {
    throw IoError(path + ": malformed checkpoint metadata (" + e.what() + ")");
  }
  return p;
}

}  // namespace myelin::cli
