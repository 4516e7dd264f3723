// EpochRun: one epoch's batches, made on demand or prefetched by a background thread.
#include "data/epoch_run.hpp"

#include <algorithm>
#include <span>

namespace myelin::data::detail {

EpochRun::EpochRun(DatasetPtr dataset, std::vector<int64_t> order, int64_t batch_size,
                   int64_t num_batches, int64_t prefetch)
    : dataset_(std::move(dataset)),
      order_(std::move(order)),
      batch_size_(batch_size),
      num_batches_(num_batches),
      prefetch_(prefetch) {
  if (prefetch_ > 0 && num_batches_ > 0) worker_ = std::thread([this] { produce(); });
}

EpochRun::~EpochRun() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  worker_.join();  // waits at most for the batch being made
}

Batch EpochRun::make(int64_t b) const {
  const int64_t start = b * batch_size_;
  const int64_t count = std::min<int64_t>(batch_size_, static_cast<int64_t>(order_.size()) - start);
  return dataset_->get_batch(std::span<const int64_t>(order_.data() + start, static_cast<size_t>(count)));
}

void EpochRun::produce() {
  for (int64_t b = 0; b < num_batches_; ++b) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || static_cast<int64_t>(ready_.size()) < prefetch_; });
      if (stop_) return;
    }
    Slot slot;
    try {
      slot.batch = make(b);
    } catch (...) {
      slot.error = std::current_exception();
    }
    const bool failed = slot.error != nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ready_.push_back(std::move(slot));
    }
    changed_.notify_all();
    if (failed) return;  // the consumer rethrows it and ends the epoch there
  }
}

bool EpochRun::next() {
  current_ = Batch{};
  if (done_ || consumed_ == num_batches_) {
    done_ = true;
    return false;
  }
  const int64_t b = consumed_++;
  if (!worker_.joinable()) {
    try {
      current_ = make(b);
    } catch (...) {
      done_ = true;
      throw;
    }
    return true;
  }
  Slot slot;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    // The worker makes every batch in order until one fails, so a slot always comes.
    changed_.wait(lock, [&] { return !ready_.empty(); });
    slot = std::move(ready_.front());
    ready_.pop_front();
  }
  changed_.notify_all();
  if (slot.error) {
    done_ = true;
    std::rethrow_exception(slot.error);
  }
  current_ = std::move(slot.batch);
  return true;
}

}  // namespace myelin::data::detail
