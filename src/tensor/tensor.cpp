// Tensor factories, data access, and the view ops (with their backward side by side).
#include "myelin/tensor.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "myelin/random.hpp"

namespace myelin {

using autograd::Grads;
using autograd::record;
using autograd::saved;

namespace {

Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size());
  int64_t s = 1;
  for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
    strides[i] = s;
    // Sizes of non-empty tensors are overflow-checked, but an empty one may have huge other
    // dimensions (idx_fuzz found (0, 2^32, 2^32) in a file): its strides address nothing, so
    // saturate instead of overflowing.
    if (__builtin_mul_overflow(s, std::max<int64_t>(shape[i], 1), &s)) s = INT64_MAX;
  }
  return strides;
}

int64_t wrap_axis(int64_t d, int64_t rank, const char* op) {
  const int64_t w = d < 0 ? d + rank : d;
  if (w < 0 || w >= rank)
    throw ShapeError(std::string(op) + ": dimension " + std::to_string(d) +
                     " is out of range for a tensor of rank " + std::to_string(rank));
  return w;
}

// A tensor sharing `base`'s storage with another shape/strides/offset.
Tensor make_view(const Tensor& base, Shape shape, Shape strides, int64_t offset) {
  auto impl = std::make_shared<detail::TensorImpl>();
  impl->storage = base.impl()->storage;
  impl->shape = std::move(shape);
  impl->strides = std::move(strides);
  impl->offset = offset;
  return Tensor(std::move(impl));
}

}  // namespace

// ---- factories ----

Tensor Tensor::empty(const Shape& shape) {
  for (int64_t s : shape)
    if (s < 0) throw ShapeError("Tensor::empty: negative dimension in shape " + myelin::to_string(shape));
  auto impl = std::make_shared<detail::TensorImpl>();
  impl->storage = std::make_shared<Storage>(myelin::numel(shape));
  impl->shape = shape;
  impl->strides = contiguous_strides(shape);
  return Tensor(std::move(impl));
}

Tensor Tensor::zeros(const Shape& shape) { return full(shape, 0.f); }
Tensor Tensor::ones(const Shape& shape) { return full(shape, 1.f); }
Tensor Tensor::scalar(float value) { return full({}, value); }

Tensor Tensor::full(const Shape& shape, float value) {
  Tensor t = empty(shape);
  std::fill_n(t.data(), t.numel(), value);
  return t;
}

Tensor Tensor::from_vector(const std::vector<float>& values, const Shape& shape) {
  if (static_cast<int64_t>(values.size()) != myelin::numel(shape))
    throw ShapeError("Tensor::from_vector: " + std::to_string(values.size()) +
                     " values do not fill shape " + myelin::to_string(shape));
  Tensor t = empty(shape);
  std::copy(values.begin(), values.end(), t.data());
  return t;
}

Tensor Tensor::arange(int64_t n) {
  Tensor t = empty({n});
  std::iota(t.data(), t.data() + n, 0.f);
  return t;
}

Tensor Tensor::uniform(const Shape& shape, float low, float high, Generator* gen) {
  Generator& g = gen ? *gen : default_generator();
  Tensor t = empty(shape);
  float* p = t.data();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = low + (high - low) * g.uniform();
  return t;
}

Tensor Tensor::normal(const Shape& shape, float mean, float stddev, Generator* gen) {
  Generator& g = gen ? *gen : default_generator();
  Tensor t = empty(shape);
  float* p = t.data();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = mean + stddev * g.normal();
  return t;
}

// ---- properties and data access ----

int64_t Tensor::size(int64_t d) const { return shape()[wrap_axis(d, dim(), "size")]; }

bool Tensor::is_contiguous() const {
  int64_t expected = 1;
  for (int64_t i = dim() - 1; i >= 0; --i) {
    if (shape()[i] != 1 && strides()[i] != expected) return false;
    expected *= shape()[i];
  }
  return true;
}

bool Tensor::shares_storage(const Tensor& other) const {
  return defined() && other.defined() && impl_->storage == other.impl_->storage;
}

float Tensor::item() const {
  if (numel() != 1)
    throw ShapeError("item: tensor of shape " + myelin::to_string(shape()) + " has " +
                     std::to_string(numel()) + " elements, expected 1");
  return *data();
}

float Tensor::at(std::initializer_list<int64_t> index) const {
  if (static_cast<int64_t>(index.size()) != dim())
    throw ShapeError("at: " + std::to_string(index.size()) + " indices for a tensor of rank " +
                     std::to_string(dim()));
  int64_t off = 0, d = 0;
  for (int64_t i : index) {
    if (i < 0 || i >= shape()[d])
      throw ShapeError("at: index " + std::to_string(i) + " out of range for dimension " +
                       std::to_string(d) + " of size " + std::to_string(shape()[d]));
    off += i * strides()[d++];
  }
  return data()[off];
}

std::vector<float> Tensor::to_vector() const {
  Tensor c = is_contiguous() ? *this : detach().contiguous();
  return std::vector<float>(c.data(), c.data() + c.numel());
}

// ---- copies ----

Tensor Tensor::contiguous() const {
  if (is_contiguous()) return *this;
  return clone();
}

Tensor Tensor::clone() const {
  Tensor out = empty(shape());
  backend::copy(*this, out);
  return record("clone", {*this}, out, [](const Tensor& g) { return Grads{g}; });
}

// ---- views ----

Tensor Tensor::reshape(const Shape& new_shape) const {
  Shape target = new_shape;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] == -1) {
      if (infer >= 0) throw ShapeError("reshape: more than one -1 in " + myelin::to_string(new_shape));
      infer = static_cast<int64_t>(i);
    } else {
      known *= target[i];
    }
  }
  if (infer >= 0 && known != 0) target[infer] = numel() / known;
  if (myelin::numel(target) != numel())
    throw ShapeError("reshape: cannot reshape " + myelin::to_string(shape()) + " (" +
                     std::to_string(numel()) + " elements) to " + myelin::to_string(new_shape));
  Tensor base = contiguous();
  Tensor out = make_view(base, target, contiguous_strides(target), base.offset());
  return record("reshape", {base}, out,
                [in_shape = shape()](const Tensor& g) { return Grads{g.reshape(in_shape)}; });
}

Tensor Tensor::flatten(int64_t start, int64_t end) const {
  if (dim() == 0) return reshape({1});
  start = wrap_axis(start, dim(), "flatten");
  end = wrap_axis(end, dim(), "flatten");
  if (start > end)
    throw ShapeError("flatten: start dimension " + std::to_string(start) + " comes after end dimension " +
                     std::to_string(end) + " for a tensor of shape " + myelin::to_string(shape()));
  Shape s(shape().begin(), shape().begin() + start);
  int64_t merged = 1;
  for (int64_t i = start; i <= end; ++i) merged *= shape()[i];
  s.push_back(merged);
  s.insert(s.end(), shape().begin() + end + 1, shape().end());
  return reshape(s);
}

Tensor Tensor::permute(const Shape& dims) const {
  if (static_cast<int64_t>(dims.size()) != dim())
    throw ShapeError("permute: " + std::to_string(dims.size()) + " dimensions given for a tensor of shape " +
                     myelin::to_string(shape()));
  Shape s(dim()), st(dim()), inverse(dim());
  std::vector<bool> seen(dim(), false);
  for (int64_t i = 0; i < dim(); ++i) {
    const int64_t d = wrap_axis(dims[i], dim(), "permute");
    if (seen[d]) throw ShapeError("permute: dimension " + std::to_string(d) + " repeated in " + myelin::to_string(dims));
    seen[d] = true;
    s[i] = shape()[d];
    st[i] = strides()[d];
    inverse[d] = i;
  }
  Tensor out = make_view(*this, s, st, offset());
  return record("permute", {*this}, out,
                [inverse](const Tensor& g) { return Grads{g.permute(inverse)}; });
}

Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
  Shape dims(dim());
  std::iota(dims.begin(), dims.end(), 0);
  std::swap(dims[wrap_axis(d0, dim(), "transpose")], dims[wrap_axis(d1, dim(), "transpose")]);
  return permute(dims);
}

Tensor Tensor::slice(int64_t d, int64_t start, int64_t end, int64_t step) const {
  d = wrap_axis(d, dim(), "slice");
  const int64_t n = shape()[d];
  if (step <= 0) throw ShapeError("slice: step must be positive, got " + std::to_string(step));
  if (start < 0) start += n;
  if (end < 0) end += n;
  start = std::clamp<int64_t>(start, 0, n);
  end = std::clamp<int64_t>(end, start, n);
  Shape s = shape(), st = strides();
  s[d] = (end - start + step - 1) / step;
  st[d] *= step;
  Tensor out = make_view(*this, s, st, offset() + start * strides()[d]);
  return record("slice", {*this}, out, [in_shape = shape(), d, start, end, step](const Tensor& g) {
    Tensor gx = Tensor::zeros(in_shape);
    gx.slice(d, start, end, step).copy_(g);
    return Grads{gx};
  });
}

Tensor Tensor::select(int64_t d, int64_t i) const {
  d = wrap_axis(d, dim(), "select");
  if (i < -shape()[d] || i >= shape()[d])
    throw ShapeError("select: index " + std::to_string(i) + " out of range for dimension " +
                     std::to_string(d) + " of size " + std::to_string(shape()[d]));
  if (i < 0) i += shape()[d];
  return slice(d, i, i + 1).squeeze(d);
}

Tensor Tensor::expand(const Shape& target) const {
  if (target.size() < shape().size())
    throw ShapeError("expand: cannot expand " + myelin::to_string(shape()) + " to fewer dimensions " +
                     myelin::to_string(target));
  const size_t lead = target.size() - shape().size();
  Shape st(target.size(), 0);
  for (size_t i = 0; i < shape().size(); ++i) {
    if (shape()[i] == target[lead + i]) st[lead + i] = strides()[i];
    else if (shape()[i] != 1)
      throw ShapeError("expand: cannot expand " + myelin::to_string(shape()) + " to " + myelin::to_string(target));
  }
  Tensor out = make_view(*this, target, st, offset());
  return record("expand", {*this}, out,
                [in_shape = shape()](const Tensor& g) { return Grads{sum_to(g, in_shape)}; });
}

Tensor Tensor::squeeze(int64_t d) const {
  d = wrap_axis(d, dim(), "squeeze");
  if (shape()[d] != 1)
    throw ShapeError("squeeze: dimension " + std::to_string(d) + " of " + myelin::to_string(shape()) + " is not 1");
  Shape s = shape(), st = strides();
  s.erase(s.begin() + d);
  st.erase(st.begin() + d);
  Tensor out = make_view(*this, s, st, offset());
  return record("squeeze", {*this}, out, [d](const Tensor& g) { return Grads{g.unsqueeze(d)}; });
}

Tensor Tensor::unsqueeze(int64_t d) const {
  d = wrap_axis(d, dim() + 1, "unsqueeze");
  Shape s = shape(), st = strides();
  const int64_t stride = d < dim() ? strides()[d] * shape()[d] : 1;
  s.insert(s.begin() + d, 1);
  st.insert(st.begin() + d, stride);
  Tensor out = make_view(*this, s, st, offset());
  return record("unsqueeze", {*this}, out, [d](const Tensor& g) { return Grads{g.squeeze(d)}; });
}

// ---- autograd ----

Tensor& Tensor::requires_grad_(bool value) {
  if (!is_leaf())
    throw Error("requires_grad_: only leaf tensors can be marked; use detach() first");
  impl_->requires_grad = value;
  return *this;
}

void Tensor::backward() const {
  if (numel() != 1)
    throw ShapeError("backward: called without a gradient on a tensor of shape " +
                     myelin::to_string(shape()) + "; pass a gradient of that shape");
  run_backward(*this, Tensor::ones(shape()));
}

void Tensor::backward(const Tensor& grad) const { run_backward(*this, grad); }

Tensor Tensor::detach() const { return make_view(*this, shape(), strides(), offset()); }

// ---- in-place ----

Tensor& Tensor::fill_(float value) {
  backend::fill(*this, value);
  return *this;
}

Tensor& Tensor::copy_(const Tensor& src) {
  if (src.dim() > dim() || broadcast_shapes(src.shape(), shape(), "copy_") != shape())
    throw ShapeError("copy_: source of shape " + myelin::to_string(src.shape()) +
                     " does not broadcast to " + myelin::to_string(shape()));
  backend::copy(src, *this);
  return *this;
}

std::string to_string(const Tensor& t) {
  if (!t.defined()) return "Tensor(undefined)";
  std::string s = "Tensor" + to_string(t.shape());
  if (t.numel() <= 64) {
    s += " [";
    const std::vector<float> v = t.to_vector();
    char buf[32];
    for (size_t i = 0; i < v.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%s%.6g", i ? ", " : "", static_cast<double>(v[i]));
      s += buf;
    }
    s += "]";
  }
  return s;
}

}  // namespace myelin
