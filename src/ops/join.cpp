// Joining and splitting along an axis. concat and stack copy their inputs into one new tensor
// and slice the gradient back; split and chunk return slice views, whose autograd is the view's.
#include <algorithm>
#include <numeric>
#include <string>

#include "autograd/function.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "ops/axis.hpp"

namespace myelin {

namespace {

// The part of `t` that input i occupies: `n` entries from `offset` along `axis` (concat), or
// the single index `offset`, its axis dropped (stack, a new axis).
Tensor part(const Tensor& t, int64_t axis, int64_t offset, int64_t n, bool new_axis) {
  return new_axis ? t.select(axis, offset) : t.slice(axis, offset, offset + n);
}

// concat (new_axis false) or stack (new_axis true) of checked inputs into `out_shape`.
Tensor join(const char* op, const std::vector<Tensor>& xs, int64_t axis, const Shape& out_shape,
            bool new_axis) {
  Tensor out = Tensor::empty(out_shape);
  std::vector<int64_t> offsets;  // where each input starts along `axis`
  int64_t offset = 0;
  for (const Tensor& x : xs) {
    offsets.push_back(offset);
    const int64_t n = new_axis ? 1 : x.size(axis);
    part(out, axis, offset, n, new_axis).copy_(x.detach());
    offset += n;
  }
  return autograd::record(op, std::span<const Tensor>(xs), out,
                          [axis, offsets, total = offset, new_axis](const Tensor& g) {
                            autograd::Grads grads;
                            for (size_t i = 0; i < offsets.size(); ++i) {
                              const int64_t end = i + 1 < offsets.size() ? offsets[i + 1] : total;
                              grads.push_back(part(g, axis, offsets[i], end - offsets[i], new_axis));
                            }
                            return grads;
                          });
}

void require_inputs(const char* op, const std::vector<Tensor>& xs) {
  if (xs.empty()) throw Error(std::string(op) + ": needs at least one tensor, got none");
  for (size_t i = 0; i < xs.size(); ++i)
    if (!xs[i].defined()) throw Error(std::string(op) + ": tensor " + std::to_string(i) + " is undefined");
}

}  // namespace

Tensor concat(const std::vector<Tensor>& xs, int64_t axis) {
  require_inputs("concat", xs);
  const Shape& first = xs[0].shape();
  if (first.empty()) throw ShapeError("concat: cannot concatenate scalars (tensor 0 has shape ())");
  const int64_t a = ops::wrap_axis(axis, xs[0].dim(), "concat");
  Shape out_shape = first;
  out_shape[a] = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    Shape rest = xs[i].shape();
    if (rest.size() == first.size()) rest[a] = first[a];
    if (rest != first)
      throw ShapeError("concat: tensor " + std::to_string(i) + " has shape " +
                       to_string(xs[i].shape()) + " but tensor 0 has shape " + to_string(first) +
                       "; sizes must match except along axis " + std::to_string(axis));
    out_shape[a] += xs[i].size(a);
  }
  return join("concat", xs, a, out_shape, false);
}

Tensor stack(const std::vector<Tensor>& xs, int64_t axis) {
  require_inputs("stack", xs);
  const Shape& first = xs[0].shape();
  for (size_t i = 1; i < xs.size(); ++i)
    if (xs[i].shape() != first)
      throw ShapeError("stack: tensor " + std::to_string(i) + " has shape " +
                       to_string(xs[i].shape()) + " but tensor 0 has shape " + to_string(first) +
                       "; all shapes must be equal");
  const int64_t a = ops::wrap_axis(axis, xs[0].dim() + 1, "stack");
  Shape out_shape = first;
  out_shape.insert(out_shape.begin() + a, static_cast<int64_t>(xs.size()));
  return join("stack", xs, a, out_shape, true);
}

std::vector<Tensor> split(const Tensor& x, const std::vector<int64_t>& sizes, int64_t axis) {
  const int64_t a = ops::wrap_axis(axis, x.dim(), "split");
  std::string listed;
  for (int64_t s : sizes) listed += (listed.empty() ? "" : ", ") + std::to_string(s);
  const int64_t total = std::accumulate(sizes.begin(), sizes.end(), int64_t{0});
  for (int64_t s : sizes)
    if (s < 0) throw ShapeError("split: negative size in [" + listed + "]");
  if (total != x.size(a))
    throw ShapeError("split: sizes [" + listed + "] add up to " + std::to_string(total) +
                     " but axis " + std::to_string(axis) + " of " + to_string(x.shape()) +
                     " has size " + std::to_string(x.size(a)));
  std::vector<Tensor> pieces;
  int64_t start = 0;
  for (int64_t s : sizes) {
    pieces.push_back(x.slice(a, start, start + s));
    start += s;
  }
  return pieces;
}

std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t axis) {
  if (chunks <= 0) throw Error("chunk: number of chunks must be positive, got " + std::to_string(chunks));
  const int64_t a = ops::wrap_axis(axis, x.dim(), "chunk");
  const int64_t n = x.size(a);
  // As torch.chunk: pieces of ceil(n / chunks), so fewer pieces when that covers n sooner.
  const int64_t piece = (n + chunks - 1) / chunks;
  if (piece == 0) return split(x, std::vector<int64_t>(chunks, 0), a);
  std::vector<int64_t> sizes;
  for (int64_t start = 0; start < n; start += piece) sizes.push_back(std::min(piece, n - start));
  return split(x, sizes, a);
}

}  // namespace myelin
