#pragma once
// Datasets: indexed collections of (input, target) examples, read one at a time or a batch at once.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::data {

/// Example: one input and its target, without a batch dimension.
struct Example {
  Tensor input;
  Tensor target;
};

/// Batch: inputs and targets of several examples, batch dimension first.
struct Batch {
  Tensor inputs;
  Tensor targets;
};

/// Dataset: a fixed number of examples addressed by index 0..size()-1.
///
/// Requires of a subclass: get() returns tensors of the same shapes for every index, and get()
/// and get_batch() are safe to call from another thread (a DataLoader prepares batches on a
/// background thread) while no one modifies the dataset.
class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual int64_t size() const = 0;
  /// The example at `i`; throws Error when `i` is outside [0, size()).
  virtual Example get(int64_t i) const = 0;
  /// The examples at `indices`, stacked: inputs (B, ...) and targets (B, ...).
  /// The default calls get() for each index and copies the results into the batch; datasets
  /// that hold their data in tensors override it to copy rows directly.
  /// Requires: indices non-empty and in range (else Error).
  virtual Batch get_batch(std::span<const int64_t> indices) const;
};

using DatasetPtr = std::shared_ptr<const Dataset>;

/// TensorDataset: examples are the rows of two tensors, inputs (N, ...) and targets (N, ...).
/// get(i) returns views of row i; get_batch() gathers rows with memcpy into fresh tensors.
///
/// Requires: both tensors have at least one dimension and the same first dimension
/// (else ShapeError). The tensors are detached and made contiguous.
class TensorDataset : public Dataset {
 public:
  TensorDataset(Tensor inputs, Tensor targets);
  int64_t size() const override { return inputs_.size(0); }
  Example get(int64_t i) const override;
  Batch get_batch(std::span<const int64_t> indices) const override;
  const Tensor& inputs() const { return inputs_; }
  const Tensor& targets() const { return targets_; }

 private:
  Tensor inputs_;
  Tensor targets_;
};

/// Subset: a view of another dataset through a list of indices (which may repeat or reorder).
/// Example i of the subset is example indices[i] of the base; batches go through the base's
/// get_batch(), so a TensorDataset's fast path is kept.
///
/// Requires: every index is in [0, base->size()) (else Error naming the index).
class Subset : public Dataset {
 public:
  Subset(DatasetPtr base, std::vector<int64_t> indices);
  int64_t size() const override { return static_cast<int64_t>(indices_.size()); }
  Example get(int64_t i) const override;
  Batch get_batch(std::span<const int64_t> indices) const override;
  const DatasetPtr& base() const { return base_; }
  const std::vector<int64_t>& indices() const { return indices_; }

 private:
  DatasetPtr base_;
  std::vector<int64_t> indices_;
};

using SubsetPtr = std::shared_ptr<const Subset>;

}  // namespace myelin::data
