#pragma once
// Ctrl-C during training: the first SIGINT asks the trainer to stop at the next batch boundary;
// a second one ends the program at once (the default action).
#include "myelin/train/trainer.hpp"

namespace myelin::cli {

/// StopOnInterrupt: installs a SIGINT handler for its lifetime and forwards a received signal to
/// Trainer::request_stop() before the next batch (and before each epoch).
class StopOnInterrupt : public train::Callback {
 public:
  StopOnInterrupt();
  ~StopOnInterrupt() override;
  StopOnInterrupt(const StopOnInterrupt&) = delete;
  StopOnInterrupt& operator=(const StopOnInterrupt&) = delete;

  void on_epoch_begin(train::Trainer& t, int64_t epoch) override;
  void on_batch_end(train::Trainer& t, const train::BatchLogs& logs) override;
  /// True once SIGINT has arrived.
  bool interrupted() const;
};

}  // namespace myelin::cli
