#pragma once
// EpochRun: makes the batches of one epoch in order, either when asked or ahead of time on one
// background thread. It owns that thread: destroying the run stops and joins it.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "myelin/data/dataset.hpp"

namespace myelin::data::detail {

class EpochRun {
 public:
  // Batch b holds examples order[b * batch_size ...], at most batch_size of them;
  // num_batches * batch_size may exceed order.size() by less than one batch.
  EpochRun(DatasetPtr dataset, std::vector<int64_t> order, int64_t batch_size,
           int64_t num_batches, int64_t prefetch);
  ~EpochRun();
  EpochRun(const EpochRun&) = delete;
  EpochRun& operator=(const EpochRun&) = delete;

  // Makes the next batch current; false (and nothing current) when the epoch is over.
  // Rethrows an exception raised while making that batch; the epoch is then over.
  bool next();
  bool done() const { return done_; }
  const Batch& current() const { return current_; }

 private:
  struct Slot {
    Batch batch;
    std::exception_ptr error;
  };
  Batch make(int64_t b) const;
  void produce();  // the background thread's loop

  DatasetPtr dataset_;
  std::vector<int64_t> order_;
  int64_t batch_size_;
  int64_t num_batches_;
  int64_t prefetch_;
  int64_t consumed_ = 0;
  bool done_ = false;
  Batch current_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Slot> ready_;  // made by the thread, not yet consumed (at most prefetch_)
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace myelin::data::detail
