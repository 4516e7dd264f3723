// Pooling and resampling layers over the ops of ops_conv.hpp.
#include "myelin/nn/pool.hpp"

#include "myelin/error.hpp"

namespace myelin::nn {
namespace {

std::string ints_text(const std::vector<int64_t>& v) {
  if (v.size() == 1) return std::to_string(v[0]);
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + ")";
}

}  // namespace

PoolBase::PoolBase(const char* type, bool max, std::vector<int64_t> kernel,
                   std::vector<int64_t> stride, std::vector<int64_t> padding, bool count_include_pad)
    : type_(type), max_(max), kernel_(std::move(kernel)), stride_(std::move(stride)),
      padding_(std::move(padding)), count_include_pad_(count_include_pad) {
  for (size_t a = 0; a < kernel_.size(); ++a) {
    if (stride_[a] == 0) stride_[a] = kernel_[a];
    if (kernel_[a] < 1 || stride_[a] < 1 || padding_[a] < 0 || padding_[a] > kernel_[a] / 2)
      throw Error(std::string(type) + ": kernel_size " + ints_text(kernel_) + " and stride " +
                  ints_text(stride_) + " must be >= 1 and padding " + ints_text(padding_) +
                  " between 0 and half the kernel");
  }
}

Pool1dOptions PoolBase::options_1d() const {
  return {kernel_[0], stride_[0], padding_[0], count_include_pad_};
}

Pool2dOptions PoolBase::options_2d() const {
  return {{kernel_[0], kernel_[1]}, {stride_[0], stride_[1]}, {padding_[0], padding_[1]}, count_include_pad_};
}

Tensor PoolBase::forward(const Tensor& x) {
  if (kernel_.size() == 1) return max_ ? max_pool1d(x, options_1d()) : avg_pool1d(x, options_1d());
  return max_ ? max_pool2d(x, options_2d()) : avg_pool2d(x, options_2d());
}

Tensor PoolBase::forward_after_relu(const Tensor& x) const {
  if (!max_) throw Error(std::string(type_) + ": forward_after_relu needs a max pool");
  return kernel_.size() == 1 ? relu_max_pool1d(x, options_1d()) : relu_max_pool2d(x, options_2d());
}

std::string PoolBase::extra_repr() const {
  std::string r = "kernel_size=" + ints_text(kernel_) + ", stride=" + ints_text(stride_) +
                  ", padding=" + ints_text(padding_);
  if (!max_) r += std::string(", count_include_pad=") + (count_include_pad_ ? "true" : "false");
  return r;
}

void PoolBase::describe(ModuleSpec& spec) const {
  spec.set("kernel_size", kernel_);
  spec.set("stride", stride_);
  spec.set("padding", padding_);
  if (!max_) spec.set("count_include_pad", count_include_pad_);
}

MaxPool2d::MaxPool2d(Size2 k, Size2 s, Size2 p)
    : PoolBase("MaxPool2d", true, {k[0], k[1]}, {s[0], s[1]}, {p[0], p[1]}, true) {}
AvgPool2d::AvgPool2d(Size2 k, Size2 s, Size2 p, bool count_include_pad)
    : PoolBase("AvgPool2d", false, {k[0], k[1]}, {s[0], s[1]}, {p[0], p[1]}, count_include_pad) {}
MaxPool1d::MaxPool1d(int64_t k, int64_t s, int64_t p) : PoolBase("MaxPool1d", true, {k}, {s}, {p}, true) {}
AvgPool1d::AvgPool1d(int64_t k, int64_t s, int64_t p, bool count_include_pad)
    : PoolBase("AvgPool1d", false, {k}, {s}, {p}, count_include_pad) {}

AdaptiveAvgPool2d::AdaptiveAvgPool2d(Size2 output_size) : size_(output_size) {
  if (size_[0] < 1 || size_[1] < 1) throw Error("AdaptiveAvgPool2d: output_size must be >= 1");
}
std::string AdaptiveAvgPool2d::extra_repr() const {
  return "output_size=" + ints_text({size_[0], size_[1]});
}
void AdaptiveAvgPool2d::describe(ModuleSpec& spec) const {
  spec.set("output_size", std::vector<int64_t>{size_[0], size_[1]});
}

Upsample::Upsample(Size2 scale_factor, Size2 size) : scale_(scale_factor), size_(size) {
  if (scale_[0] < 1 || scale_[1] < 1 || size_[0] < 0 || size_[1] < 0 || (size_[0] == 0) != (size_[1] == 0))
    throw Error("Upsample: scale_factor must be >= 1 and size both positive or both 0 (unset)");
}

Tensor Upsample::forward(const Tensor& x) {
  if (size_[0] > 0) return upsample_nearest2d(x, size_);
  if (x.dim() != 4) throw ShapeError("Upsample: input must be (N, C, H, W), got " + to_string(x.shape()));
  Size2 size{};
  for (int a = 0; a < 2; ++a)
    if (__builtin_mul_overflow(x.size(2 + a), scale_[a], &size[a]))
      throw Error("Upsample: an input of " + to_string(x.shape()) + " scaled by " + ints_text({scale_[0], scale_[1]}) +
                  " has more than 2^63 rows or columns");
  return upsample_nearest2d(x, size);
}

std::string Upsample::extra_repr() const {
  return (size_[0] > 0 ? "size=" + ints_text({size_[0], size_[1]})
                       : "scale_factor=" + ints_text({scale_[0], scale_[1]})) +
         ", mode=nearest";
}

void Upsample::describe(ModuleSpec& spec) const {
  if (size_[0] > 0) spec.set("size", std::vector<int64_t>{size_[0], size_[1]});
  else spec.set("scale_factor", std::vector<int64_t>{scale_[0], scale_[1]});
  spec.set("mode", "nearest");
}

}  // namespace myelin::nn
