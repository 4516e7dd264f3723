#pragma once
// Run checkpoints: everything `myelin train --resume` needs to continue a run exactly, in one
// safetensors file written atomically.
#include <cstdint>
#include <string>

#include "myelin/train/trainer.hpp"

namespace myelin::cli {

/// The progress of a run besides the trainer's tensors.
struct RunProgress {
  int64_t epochs_done = 0;
  double best = 0;               // BestCheckpoint's best score
  double stopping_best = 0;      // EarlyStopping's best score
  int64_t stopping_bad_epochs = 0;
};

/// Writes the model state ("model.*"), the optimizer state ("optimizer.*"), the schedule state
/// ("schedule.*", when the trainer has one), and as metadata `progress` and the default
/// generator's state (dropout's random stream).
void save_checkpoint(const std::string& path, train::Trainer& trainer, const RunProgress& progress);

/// Restores what save_checkpoint wrote into `trainer` and the default generator; returns the
/// progress. Throws IoError naming `path` when the file is missing or does not fit the trainer
/// (e.g. the config's model changed since).
RunProgress load_checkpoint(const std::string& path, train::Trainer& trainer);

}  // namespace myelin::cli
