#pragma once
// AugmentedDataset: random image augmentation (flips, shifts, ...) over a data set of images
// held in memory, for training on few examples.
#include <atomic>
#include <cstdint>

#include "myelin/data/dataset.hpp"
#include "myelin/data/image.hpp"

namespace myelin::data {

/// AugmentedDataset: example i is example i of `base` with its input image (C, H, W) passed
/// through augment_image; targets are unchanged.
///
/// Augmentation draws from a generator seeded by (seed, epoch, index), as ImageFolder's: the same
/// example in the same epoch is always augmented alike, whatever the thread timing. Call
/// set_epoch(e) before each epoch (e.g. from a Trainer callback) for fresh augmentations.
///
/// Requires: base not null, its inputs of shape (C, H, W), `augment` active (else Error).
class AugmentedDataset : public Dataset {
 public:
  AugmentedDataset(DatasetPtr base, ImageAugment augment, uint64_t seed);
  int64_t size() const override { return base_->size(); }
  /// The examples before augmentation.
  const DatasetPtr& base() const { return base_; }
  Example get(int64_t i) const override;
  Batch get_batch(std::span<const int64_t> indices) const override;
  void set_epoch(int64_t epoch) { epoch_.store(epoch); }
  int64_t epoch() const { return epoch_.load(); }

 private:
  DatasetPtr base_;
  ImageAugment augment_;
  uint64_t seed_;
  std::atomic<int64_t> epoch_{0};
};

}  // namespace myelin::data
