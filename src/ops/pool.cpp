// Pooling and nearest upsampling. Every one is a pool over windows given per axis: max or
// average pools with kernel/stride/padding, adaptive bins, and nearest upsampling, which is an
// average over one-pixel windows (its backward sums the gradient of every copy of a pixel).
#include <algorithm>
#include <cstdint>

#include "autograd/function.hpp"
#include "backend/backend.hpp"
#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "myelin/ops_conv.hpp"
#include "ops/pool_windows.hpp"
#include "tensor/allocation_limit.hpp"

namespace myelin {

using autograd::Grads;
using autograd::record;
using backend::PoolWindows;

namespace {

// An empty PoolWindows with room for `out` windows. An output size can come from a config or a
// file, so the windows' memory counts against the thread's AllocationLimit like a tensor's.
PoolWindows room_for_windows(int64_t out) {
  constexpr size_t kWindowBytes = 2 * sizeof(int64_t) + sizeof(float);
  if (static_cast<uint64_t>(out) > SIZE_MAX / kWindowBytes)
    throw Error("pool: " + std::to_string(out) + " windows are more bytes than memory can address");
  AllocationLimit::charge(static_cast<size_t>(out) * kWindowBytes);
  PoolWindows w;
  w.start.reserve(static_cast<size_t>(out));
  w.end.reserve(static_cast<size_t>(out));
  w.divisor.reserve(static_cast<size_t>(out));
  return w;
}

}  // namespace

PoolWindows ops::strided_windows(const char* op, int64_t in, int64_t kernel, int64_t stride,
                                 int64_t pad, bool count_include_pad) {
  if (stride == 0) stride = kernel;
  if (kernel < 1 || stride < 1 || pad < 0 || pad > kernel / 2)
    throw Error(std::string(op) + ": kernel " + std::to_string(kernel) + " and stride " +
                std::to_string(stride) + " must be >= 1 and padding " + std::to_string(pad) +
                " between 0 and half the kernel");
  if (in < kernel - 2 * pad)  // (2 * pad <= kernel, so neither side overflows)
    throw ShapeError(std::string(op) + ": input size " + std::to_string(in) + " padded by " +
                     std::to_string(pad) + " is smaller than the kernel " + std::to_string(kernel));
  const int64_t out = (in - (kernel - 2 * pad)) / stride + 1;
  PoolWindows w = room_for_windows(out);
  for (int64_t i = 0; i < out; ++i) {
    const int64_t s = i * stride - pad, e = s + kernel;
    w.start.push_back(std::max<int64_t>(s, 0));
    w.end.push_back(std::min(e, in));
    w.divisor.push_back(static_cast<float>(count_include_pad ? std::min(e, in + pad) - s
                                                             : w.end.back() - w.start.back()));
  }
  return w;
}

namespace {

// Adaptive bins: output i covers [floor(i in / out), ceil((i + 1) in / out)).
PoolWindows adaptive_windows(int64_t in, int64_t out) {
  PoolWindows w = room_for_windows(out);
  for (int64_t i = 0; i < out; ++i) {
    w.start.push_back(i * in / out);
    w.end.push_back(((i + 1) * in + out - 1) / out);
    w.divisor.push_back(static_cast<float>(w.end.back() - w.start.back()));
  }
  return w;
}

// Nearest upsampling: output i copies input floor(i in / out).
PoolWindows nearest_windows(int64_t in, int64_t out) {
  PoolWindows w = room_for_windows(out);
  for (int64_t i = 0; i < out; ++i) {
    w.start.push_back(std::min(i * in / out, in - 1));
    w.end.push_back(w.start.back() + 1);
    w.divisor.push_back(1.f);
  }
  return w;
}

void check_4d(const char* op, const Tensor& x) {
  if (x.dim() != 4 || x.numel() == 0)
    throw ShapeError(std::string(op) + ": input must be a non-empty (N, C, H, W), got " +
                     to_string(x.shape()));
}

Tensor window_avg(const char* op, const Tensor& x, PoolWindows rows, PoolWindows cols) {
  const int64_t planes = x.size(0) * x.size(1), h = x.size(2), w = x.size(3);
  const Tensor xc = x.detach().contiguous();
  Tensor y = Tensor::empty({x.size(0), x.size(1), rows.size(), cols.size()});
  backend::avg_pool2d(xc.data(), y.data(), planes, h, w, rows, cols);
  return record(op, {x}, y,
                [rows = std::move(rows), cols = std::move(cols), shape = x.shape(), planes, h,
                 w](const Tensor& g) {
                  const Tensor gc = g.contiguous();
                  Tensor gx = Tensor::empty(shape);
                  backend::avg_pool2d_backward(gc.data(), gx.data(), planes, h, w, rows, cols);
                  return Grads{gx};
                });
}

// max_pool2d of x, or with `relu` of relu(x) (the same values and gradients in one pass).
Tensor window_max(const char* op, const Tensor& x, const PoolWindows& rows,
                  const PoolWindows& cols, bool relu) {
  const int64_t planes = x.size(0) * x.size(1), h = x.size(2), w = x.size(3);
  if (h * w > (int64_t{1} << 24))
    throw ShapeError(std::string(op) + ": planes of more than 2^24 pixels are not supported, got " +
                     to_string(x.shape()));
  const Tensor xc = x.detach().contiguous();
  Tensor y = Tensor::empty({x.size(0), x.size(1), rows.size(), cols.size()});
  Tensor index = Tensor::empty(y.shape());  // positions within a plane, exact as float below 2^24
  backend::max_pool2d(xc.data(), y.data(), index.data(), planes, h, w, rows, cols, relu);
  return record(op, {x}, y,
                [index, relu_y = relu ? y.detach() : Tensor(), shape = x.shape(), planes, h, w,
                 rows, cols](const Tensor& g) {
                  const Tensor gc = g.contiguous();
                  Tensor gx = Tensor::empty(shape);
                  backend::max_pool2d_backward(gc.data(), index.data(), gx.data(), planes, h, w,
                                               rows, cols, relu_y.defined() ? relu_y.data() : nullptr);
                  return Grads{gx};
                });
}

PoolWindows axis_windows(const char* op, const Tensor& x, int a, const Pool2dOptions& o) {
  return ops::strided_windows(op, x.size(2 + a), o.kernel[a], o.stride[a], o.padding[a],
                         o.count_include_pad);
}

Pool2dOptions as_2d(const Pool1dOptions& o) {
  return {.kernel = {1, o.kernel}, .stride = {1, o.stride == 0 ? o.kernel : o.stride},
          .padding = {0, o.padding}, .count_include_pad = o.count_include_pad};
}

Tensor as_4d(const char* op, const Tensor& x) {
  if (x.dim() != 3) throw ShapeError(std::string(op) + ": input must be (N, C, L), got " + to_string(x.shape()));
  return x.unsqueeze(2);
}

}  // namespace

Tensor max_pool2d(const Tensor& x, const Pool2dOptions& o) {
  check_4d("max_pool2d", x);
  return window_max("max_pool2d", x, axis_windows("max_pool2d", x, 0, o),
                    axis_windows("max_pool2d", x, 1, o), false);
}

Tensor relu_max_pool2d(const Tensor& x, const Pool2dOptions& o) {
  check_4d("relu_max_pool2d", x);
  return window_max("relu_max_pool2d", x, axis_windows("relu_max_pool2d", x, 0, o),
                    axis_windows("relu_max_pool2d", x, 1, o), true);
}

Tensor avg_pool2d(const Tensor& x, const Pool2dOptions& o) {
  check_4d("avg_pool2d", x);
  return window_avg("avg_pool2d", x, axis_windows("avg_pool2d", x, 0, o),
                    axis_windows("avg_pool2d", x, 1, o));
}

Tensor max_pool1d(const Tensor& x, const Pool1dOptions& o) {
  return max_pool2d(as_4d("max_pool1d", x), as_2d(o)).squeeze(2);
}

Tensor relu_max_pool1d(const Tensor& x, const Pool1dOptions& o) {
  return relu_max_pool2d(as_4d("relu_max_pool1d", x), as_2d(o)).squeeze(2);
}

Tensor avg_pool1d(const Tensor& x, const Pool1dOptions& o) {
  return avg_pool2d(as_4d("avg_pool1d", x), as_2d(o)).squeeze(2);
}

namespace {
void check_output_size(const char* op, Size2 size) {
  if (size[0] < 1 || size[1] < 1)
    throw Error(std::string(op) + ": output size must be >= 1, got (" + std::to_string(size[0]) + ", " +
                std::to_string(size[1]) + ")");
}
}  // namespace

Tensor adaptive_avg_pool2d(const Tensor& x, Size2 size) {
  check_4d("adaptive_avg_pool2d", x);
  check_output_size("adaptive_avg_pool2d", size);
  return window_avg("adaptive_avg_pool2d", x, adaptive_windows(x.size(2), size[0]),
                    adaptive_windows(x.size(3), size[1]));
}

Tensor global_avg_pool2d(const Tensor& x) {
  check_4d("global_avg_pool2d", x);
  return mean(x, {2, 3});
}

Tensor upsample_nearest2d(const Tensor& x, Size2 size) {
  check_4d("upsample_nearest2d", x);
  check_output_size("upsample_nearest2d", size);
  return window_avg("upsample_nearest2d", x, nearest_windows(x.size(2), size[0]),
                    nearest_windows(x.size(3), size[1]));
}

}  // namespace myelin
