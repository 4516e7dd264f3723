// Dataset's default batching, TensorDataset (rows of two tensors) and Subset (an index view).
#include "myelin/data/dataset.hpp"

#include <cstring>

#include "myelin/error.hpp"

namespace myelin::data {
namespace {

void check_index(int64_t i, int64_t size, const char* who) {
  if (i < 0 || i >= size)
    throw Error(std::string(who) + ": index " + std::to_string(i) + " is out of range for a dataset of " +
                std::to_string(size) + " examples");
}

void check_not_empty(std::span<const int64_t> indices, const char* who) {
  if (indices.empty()) throw Error(std::string(who) + ": get_batch needs at least one index");
}

Shape with_batch(int64_t batch, const Shape& item) {
  Shape s{batch};
  s.insert(s.end(), item.begin(), item.end());
  return s;
}

// Copies `item` into row `row` of `out` (B, item...); all examples must share one shape.
void put_row(Tensor& out, int64_t row, const Tensor& item, int64_t index, const char* what) {
  const Shape expected(out.shape().begin() + 1, out.shape().end());
  if (item.shape() != expected)
    throw ShapeError("Dataset::get_batch: " + std::string(what) + " of example " + std::to_string(index) +
                     " has shape " + to_string(item.shape()) + ", expected " + to_string(expected) +
                     " like the first example of the batch");
  const Tensor c = item.contiguous();
  const int64_t n = c.numel();
  std::memcpy(out.data() + row * n, c.data(), static_cast<size_t>(n) * sizeof(float));
}

// out (B, row...) = rows `indices` of `src` (N, row...), which is contiguous.
Tensor gather_rows(const Tensor& src, std::span<const int64_t> indices) {
  const Shape row_shape(src.shape().begin() + 1, src.shape().end());
  Tensor out = Tensor::empty(with_batch(static_cast<int64_t>(indices.size()), row_shape));
  const int64_t n = numel(row_shape);
  const size_t bytes = static_cast<size_t>(n) * sizeof(float);
  for (size_t k = 0; k < indices.size(); ++k)
    std::memcpy(out.data() + static_cast<int64_t>(k) * n, src.data() + indices[k] * n, bytes);
  return out;
}

}  // namespace

Batch Dataset::get_batch(std::span<const int64_t> indices) const {
  check_not_empty(indices, "Dataset");
  const int64_t b = static_cast<int64_t>(indices.size());
  Batch batch;
  for (int64_t k = 0; k < b; ++k) {
    const Example ex = get(indices[k]);
    if (k == 0) {
      batch.inputs = Tensor::empty(with_batch(b, ex.input.shape()));
      batch.targets = Tensor::empty(with_batch(b, ex.target.shape()));
    }
    put_row(batch.inputs, k, ex.input, indices[k], "input");
    put_row(batch.targets, k, ex.target, indices[k], "target");
  }
  return batch;
}

// ---- TensorDataset ----

TensorDataset::TensorDataset(Tensor inputs, Tensor targets) {
  if (!inputs.defined() || !targets.defined() || inputs.dim() == 0 || targets.dim() == 0)
    throw ShapeError("TensorDataset: inputs and targets must be defined tensors with a first (example) dimension");
  if (inputs.size(0) != targets.size(0))
    throw ShapeError("TensorDataset: inputs " + to_string(inputs.shape()) + " and targets " +
                     to_string(targets.shape()) + " differ in their first (example) dimension");
  inputs_ = inputs.detach().contiguous();
  targets_ = targets.detach().contiguous();
}

Example TensorDataset::get(int64_t i) const {
  check_index(i, size(), "TensorDataset");
  return {inputs_.select(0, i), targets_.select(0, i)};
}

Batch TensorDataset::get_batch(std::span<const int64_t> indices) const {
  check_not_empty(indices, "TensorDataset");
  for (int64_t i : indices) check_index(i, size(), "TensorDataset");
  return {gather_rows(inputs_, indices), gather_rows(targets_, indices)};
}

// ---- Subset ----

Subset::Subset(DatasetPtr base, std::vector<int64_t> indices)
    : base_(std::move(base)), indices_(std::move(indices)) {
  if (!base_) throw Error("Subset: the base dataset is null");
  const int64_t n = base_->size();
  for (int64_t i : indices_) check_index(i, n, "Subset");
}

Example Subset::get(int64_t i) const {
  check_index(i, size(), "Subset");
  return base_->get(indices_[i]);
}

Batch Subset::get_batch(std::span<const int64_t> indices) const {
  check_not_empty(indices, "Subset");
  std::vector<int64_t> mapped(indices.size());
  for (size_t k = 0; k < indices.size(); ++k) {
    check_index(indices[k], size(), "Subset");
    mapped[k] = indices_[indices[k]];
  }
  return base_->get_batch(mapped);
}

}  // namespace myelin::data
