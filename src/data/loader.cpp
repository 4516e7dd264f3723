// DataLoader: epoch orders from (seed, epoch), and the iterator over an EpochRun.
#include "myelin/data/loader.hpp"

#include <numeric>
#include <utility>

#include "data/epoch_run.hpp"
#include "data/permutation.hpp"
#include "data/seed_mix.hpp"
#include "myelin/error.hpp"

namespace myelin::data {

DataLoader::DataLoader(DatasetPtr dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(options) {
  if (!dataset_) throw Error("DataLoader: the dataset is null");
  if (options_.batch_size < 1)
    throw Error("DataLoader: batch_size must be at least 1, got " + std::to_string(options_.batch_size));
  if (options_.prefetch < 0)
    throw Error("DataLoader: prefetch must be 0 (no background thread) or more, got " +
                std::to_string(options_.prefetch));
}

int64_t DataLoader::num_batches() const {
  const int64_t n = dataset_->size(), b = options_.batch_size;
  // Rounded up without n + b - 1, which overflows for a batch_size near 2^63: a batch larger
  // than the data set is one batch of all of it, as in PyTorch's DataLoader.
  return options_.drop_last ? n / b : n / b + (n % b != 0);
}

void DataLoader::set_epoch(int64_t epoch) {
  if (epoch < 0) throw Error("DataLoader::set_epoch: epoch must be non-negative, got " + std::to_string(epoch));
  epoch_ = epoch;
}

std::vector<int64_t> DataLoader::epoch_order(int64_t epoch) const {
  if (!options_.shuffle) {
    std::vector<int64_t> order(static_cast<size_t>(dataset_->size()));
    std::iota(order.begin(), order.end(), int64_t{0});
    return order;
  }
  Generator gen(mix(options_.seed ^ mix(static_cast<uint64_t>(epoch))));
  return detail::random_permutation(dataset_->size(), gen);
}

DataLoader::Iterator DataLoader::begin() {
  auto run = std::make_unique<detail::EpochRun>(dataset_, epoch_order(epoch_), options_.batch_size,
                                                num_batches(), options_.prefetch);
  ++epoch_;
  return Iterator(std::move(run));
}

// ---- Iterator ----

DataLoader::Iterator::Iterator(std::unique_ptr<detail::EpochRun> run) : run_(std::move(run)) {
  run_->next();
}
DataLoader::Iterator::Iterator(Iterator&&) noexcept = default;
DataLoader::Iterator& DataLoader::Iterator::operator=(Iterator&&) noexcept = default;
DataLoader::Iterator::~Iterator() = default;

const Batch& DataLoader::Iterator::operator*() const {
  if (*this == std::default_sentinel) throw Error("DataLoader: dereferencing an iterator past the last batch");
  return run_->current();
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
  if (run_) run_->next();
  return *this;
}

bool DataLoader::Iterator::operator==(std::default_sentinel_t) const { return !run_ || run_->done(); }

}  // namespace myelin::data
