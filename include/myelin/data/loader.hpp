#pragma once
// DataLoader: a dataset as a sequence of batches, one epoch per range-for loop.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <vector>

#include "myelin/data/dataset.hpp"

namespace myelin::data {

/// Settings of a DataLoader.
struct DataLoaderOptions {
  int64_t batch_size = 32;
  /// Visit the examples in a new seeded order each epoch (else in index order).
  bool shuffle = false;
  /// Skip the last batch when it is smaller than batch_size.
  bool drop_last = false;
  /// With `epoch`, the only input of the shuffled order.
  uint64_t seed = 0;
  /// Batches prepared ahead by one background thread; 0 prepares each batch when asked.
  int64_t prefetch = 2;
};

namespace detail {
class EpochRun;
}

/// DataLoader: iterates a dataset in batches (inputs (B, ...), targets (B, ...)).
///
///   DataLoader loader(train, {.batch_size = 64, .shuffle = true, .seed = 1});
///   for (int e = 0; e < epochs; ++e)
///     for (const Batch& b : loader) { ... }
///
/// Each `begin()` runs one epoch, number epoch(), and advances epoch() by one. The order of an
/// epoch depends only on (seed, epoch), so set_epoch(k) before a loop reproduces epoch k exactly,
/// e.g. when resuming training. Batches are the same with and without prefetching.
///
/// With prefetch > 0 a background thread fills a queue of at most `prefetch` batches. The thread
/// belongs to the iterator: leaving the loop early (break, exception) stops and joins it, and an
/// iterator stays valid if the loader is destroyed first. An exception thrown while making a
/// batch is rethrown, unchanged, by the iterator step that reaches that batch, and ends the epoch.
///
/// Requires: dataset not null, batch_size >= 1, prefetch >= 0 (else Error).
class DataLoader {
 public:
  class Iterator;

  explicit DataLoader(DatasetPtr dataset, DataLoaderOptions options = {});

  /// Starts epoch epoch() (and advances epoch()); the iterator is at its first batch.
  Iterator begin();
  std::default_sentinel_t end() const { return {}; }

  /// Batches per epoch: ceil(size / batch_size), or floor with drop_last.
  int64_t num_batches() const;
  /// The epoch that the next begin() runs (0 at first).
  int64_t epoch() const { return epoch_; }
  void set_epoch(int64_t epoch);
  /// The order in which epoch `epoch` visits the examples (a permutation of 0..size-1).
  std::vector<int64_t> epoch_order(int64_t epoch) const;

  const DatasetPtr& dataset() const { return dataset_; }
  const DataLoaderOptions& options() const { return options_; }

 private:
  DatasetPtr dataset_;
  DataLoaderOptions options_;
  int64_t epoch_ = 0;
};

/// An input iterator over one epoch's batches; move-only, since it owns the prefetch thread.
class DataLoader::Iterator {
 public:
  using value_type = Batch;
  using difference_type = std::ptrdiff_t;
  using iterator_concept = std::input_iterator_tag;

  explicit Iterator(std::unique_ptr<detail::EpochRun> run);
  Iterator(Iterator&&) noexcept;
  Iterator& operator=(Iterator&&) noexcept;
  ~Iterator();

  const Batch& operator*() const;
  const Batch* operator->() const { return &**this; }
  /// Moves to the next batch; rethrows an exception raised while making it.
  Iterator& operator++();
  void operator++(int) { ++*this; }
  /// True when the epoch is over.
  bool operator==(std::default_sentinel_t) const;

 private:
  std::unique_ptr<detail::EpochRun> run_;
};

}  // namespace myelin::data
