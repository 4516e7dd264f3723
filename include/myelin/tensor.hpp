#pragma once
// Tensor: the one array type of myelin.
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace myelin {

using Shape = std::vector<int64_t>;

/// Number of elements of a shape (1 for the empty shape of a scalar).
int64_t numel(const Shape& shape);
/// "(2, 3, 4)".
std::string to_string(const Shape& shape);
/// The shape two operands broadcast to (NumPy rules); throws ShapeError naming `op`.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

class Node;
class Generator;

/// Storage: a reference-counted, 64-byte-aligned float32 buffer shared by a tensor and its views.
/// Buffers come from a caching allocator, so the per-step allocations of a training loop are
/// served without calls into malloc.
class Storage {
 public:
  explicit Storage(int64_t size);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  float* data() { return data_; }
  const float* data() const { return data_; }
  int64_t size() const { return size_; }

 private:
  float* data_;
  int64_t size_;
};

namespace detail {
// The state behind a Tensor handle. Views share `storage` and differ in shape/strides/offset.
struct TensorImpl {
  std::shared_ptr<Storage> storage;
  Shape shape;
  Shape strides;
  int64_t offset = 0;
  bool requires_grad = false;
  std::shared_ptr<TensorImpl> grad;      // accumulated gradient of a leaf
  std::shared_ptr<Node> grad_fn;         // the op that made this tensor (null for leaves)
  std::shared_ptr<Node> grad_accumulator;  // a leaf's sink in the graph, made on first use
};
}  // namespace detail

/// Tensor: an N-dimensional float32 array, row-major, with reference-counted storage.
///
/// Copying a Tensor copies the handle, not the data (like torch::Tensor). Views (reshape of a
/// contiguous tensor, transpose, permute, slice, expand, squeeze, unsqueeze) share storage with
/// their base; `contiguous()` and `clone()` copy. Operations on tensors that require a gradient
/// are recorded on a define-by-run tape, and `backward()` fills `grad()` of the leaves.
///
/// Requires: shapes of operands fit the op (else ShapeError naming the op and both shapes).
class Tensor {
 public:
  /// An undefined tensor (no storage); `defined()` is false.
  Tensor() = default;
  explicit Tensor(std::shared_ptr<detail::TensorImpl> impl) : impl_(std::move(impl)) {}

  // ---- factories ----
  static Tensor empty(const Shape& shape);
  static Tensor zeros(const Shape& shape);
  static Tensor ones(const Shape& shape);
  static Tensor full(const Shape& shape, float value);
  static Tensor scalar(float value);
  /// Copies `values` (whose size must equal numel(shape)).
  static Tensor from_vector(const std::vector<float>& values, const Shape& shape);
  /// 0, 1, ..., n-1.
  static Tensor arange(int64_t n);
  /// Uniform in [low, high), from `gen` (the default generator when null).
  static Tensor uniform(const Shape& shape, float low, float high, Generator* gen = nullptr);
  /// Normal with the given mean and standard deviation.
  static Tensor normal(const Shape& shape, float mean, float stddev, Generator* gen = nullptr);

  // ---- properties ----
  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const { return impl_->shape; }
  const Shape& strides() const { return impl_->strides; }
  int64_t dim() const { return static_cast<int64_t>(impl_->shape.size()); }
  /// Size of dimension `d`; negative `d` counts from the end.
  int64_t size(int64_t d) const;
  int64_t numel() const { return myelin::numel(impl_->shape); }
  int64_t offset() const { return impl_->offset; }
  bool is_contiguous() const;
  /// True when both handles refer to the same storage.
  bool shares_storage(const Tensor& other) const;

  // ---- data access (no autograd) ----
  float* data() { return impl_->storage->data() + impl_->offset; }
  const float* data() const { return impl_->storage->data() + impl_->offset; }
  /// The value of a one-element tensor.
  float item() const;
  /// The element at a multi-index (bounds-checked).
  float at(std::initializer_list<int64_t> index) const;
  /// All elements in row-major order.
  std::vector<float> to_vector() const;

  // ---- copies and views (recorded for autograd) ----
  Tensor contiguous() const;
  Tensor clone() const;
  /// A view when the tensor is contiguous, else a copy. One dimension may be -1.
  Tensor reshape(const Shape& shape) const;
  /// Merges dimensions start..end (inclusive) into one.
  Tensor flatten(int64_t start = 0, int64_t end = -1) const;
  Tensor transpose(int64_t d0, int64_t d1) const;
  Tensor permute(const Shape& dims) const;
  /// Elements start, start+step, ... below end along `d` (negative indices count from the end).
  Tensor slice(int64_t d, int64_t start, int64_t end, int64_t step = 1) const;
  /// Index `i` along `d`, dropping that dimension.
  Tensor select(int64_t d, int64_t i) const;
  /// Broadcasts size-1 dimensions to `shape` without copying (stride 0).
  Tensor expand(const Shape& shape) const;
  Tensor squeeze(int64_t d) const;
  Tensor unsqueeze(int64_t d) const;

  // ---- autograd ----
  bool requires_grad() const { return impl_->requires_grad; }
  /// Marks a leaf as a parameter whose gradient backward() accumulates.
  Tensor& requires_grad_(bool value = true);
  bool is_leaf() const { return impl_->grad_fn == nullptr; }
  /// The accumulated gradient (undefined before the first backward).
  Tensor grad() const { return Tensor(impl_->grad); }
  void set_grad(const Tensor& g) { impl_->grad = g.impl_; }
  const std::shared_ptr<Node>& grad_fn() const { return impl_->grad_fn; }
  /// Back-propagates from this scalar (gradient 1).
  void backward() const;
  /// Back-propagates `grad` (same shape as this tensor).
  void backward(const Tensor& grad) const;
  /// The same data, cut from the graph.
  Tensor detach() const;

  // ---- in-place, outside autograd (optimizers, initialisers, loaders) ----
  Tensor& fill_(float value);
  /// Copies `src` (broadcast to this shape) into this tensor's elements.
  Tensor& copy_(const Tensor& src);

  const std::shared_ptr<detail::TensorImpl>& impl() const { return impl_; }

 private:
  std::shared_ptr<detail::TensorImpl> impl_;
};

/// Prints shape and (for small tensors) values.
std::string to_string(const Tensor& t);

}  // namespace myelin
