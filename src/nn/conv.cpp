// Convolution layers: shared settings, initialisation and spec in ConvBase; each layer's
// forward turns the settings into its op's options.
#include "myelin/nn/conv.hpp"

#include <cmath>

#include "myelin/error.hpp"
#include "myelin/nn/init.hpp"

namespace myelin::nn {
namespace {

std::string ints_text(const std::vector<int64_t>& v) {
  std::string s = v.size() == 1 ? "" : "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return v.size() == 1 ? s : s + ")";
}

void check(const char* type, bool ok, const std::string& what) {
  if (!ok) throw Error(std::string(type) + ": " + what);
}

bool all_at_least(const std::vector<int64_t>& v, int64_t low) {
  for (int64_t x : v)
    if (x < low) return false;
  return true;
}

Size2 pair(const std::vector<int64_t>& v) { return {v[0], v[1]}; }

}  // namespace

ConvBase::ConvBase(const char* type, int64_t in, int64_t out, ConvSettings s, bool transposed,
                   Generator* gen)
    : type_(type), in_(in), out_(out), s_(std::move(s)), transposed_(transposed) {
  check(type, in >= 1 && out >= 1 && s_.groups >= 1 && in % s_.groups == 0 && out % s_.groups == 0,
        "in_channels " + std::to_string(in) + " and out_channels " + std::to_string(out) +
            " must be >= 1 and divisible by groups " + std::to_string(s_.groups));
  check(type, all_at_least(s_.kernel_size, 1) && all_at_least(s_.stride, 1) &&
                  all_at_least(s_.dilation, 1) && all_at_least(s_.padding, 0) &&
                  all_at_least(s_.output_padding, 0),
        "kernel_size, stride and dilation must be >= 1 and padding >= 0");
  check(type, !s_.same_padding || s_.stride == std::vector<int64_t>(s_.stride.size(), 1),
        "padding \"same\" requires stride 1");
  Shape w_shape = transposed ? Shape{in, out / s_.groups} : Shape{out, in / s_.groups};
  w_shape.insert(w_shape.end(), s_.kernel_size.begin(), s_.kernel_size.end());
  weight_ = register_parameter("weight", Tensor::empty(w_shape));
  if (s_.bias) bias_ = register_parameter("bias", Tensor::empty({out}));
  reset_parameters(gen);
}

void ConvBase::reset_parameters(Generator* gen) {
  init::kaiming_uniform_(weight_, std::sqrt(5.0), init::FanMode::FanIn,
                         init::Nonlinearity::LeakyReLU, gen);
  if (bias_.defined()) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(init::calculate_fans(weight_.shape()).fan_in));
    init::uniform_(bias_, -bound, bound, gen);
  }
}

std::string ConvBase::extra_repr() const {
  std::string r = std::to_string(in_) + ", " + std::to_string(out_) +
                  ", kernel_size=" + ints_text(s_.kernel_size) + ", stride=" + ints_text(s_.stride);
  r += s_.same_padding ? ", padding=same" : ", padding=" + ints_text(s_.padding);
  if (s_.dilation != std::vector<int64_t>(s_.dilation.size(), 1))
    r += ", dilation=" + ints_text(s_.dilation);
  if (transposed_) r += ", output_padding=" + ints_text(s_.output_padding);
  if (s_.groups != 1) r += ", groups=" + std::to_string(s_.groups);
  return r + ", bias=" + (s_.bias ? "true" : "false");
}

int64_t ConvBase::flops(const Shape& input, const Shape& output) const {
  // A weight row holds the multiply-adds of one output element (in/g * k...) or, transposed,
  // of one input element (out/g * k...).
  const int64_t row = weight_.numel() / weight_.size(0);
  return 2 * row * numel(transposed_ ? input : output);
}

void ConvBase::describe(ModuleSpec& spec) const {
  spec.set("in_channels", in_);
  spec.set("out_channels", out_);
  spec.set("kernel_size", s_.kernel_size);
  spec.set("stride", s_.stride);
  if (s_.same_padding) spec.set("padding", "same");
  else spec.set("padding", s_.padding);
  spec.set("dilation", s_.dilation);
  if (transposed_) spec.set("output_padding", s_.output_padding);
  spec.set("groups", s_.groups);
  spec.set("bias", s_.bias);
}

// ---- the layers ----

Conv2d::Conv2d(int64_t in, int64_t out, Size2 k, const Conv2dOptions& o, bool bias, Generator* gen)
    : ConvBase("Conv2d", in, out,
               {.kernel_size = {k[0], k[1]}, .stride = {o.stride[0], o.stride[1]},
                .padding = {o.padding[0], o.padding[1]}, .dilation = {o.dilation[0], o.dilation[1]},
                .output_padding = {}, .groups = o.groups, .same_padding = o.same_padding, .bias = bias},
               false, gen) {}

Conv2dOptions Conv2d::options() const {
  return {.stride = pair(s_.stride), .padding = pair(s_.padding), .dilation = pair(s_.dilation),
          .groups = s_.groups, .same_padding = s_.same_padding};
}

Tensor Conv2d::forward(const Tensor& x) { return conv2d(x, weight_, bias_, options()); }

Tensor Conv2d::forward_relu_max_pool(const Tensor& x, const Pool2dOptions& pool) const {
  return conv2d_relu_max_pool2d(x, weight_, bias_, options(), pool);
}

Conv1d::Conv1d(int64_t in, int64_t out, int64_t k, const Conv1dOptions& o, bool bias, Generator* gen)
    : ConvBase("Conv1d", in, out,
               {.kernel_size = {k}, .stride = {o.stride}, .padding = {o.padding}, .dilation = {o.dilation},
                .output_padding = {}, .groups = o.groups, .same_padding = o.same_padding, .bias = bias},
               false, gen) {}

Tensor Conv1d::forward(const Tensor& x) {
  return conv1d(x, weight_, bias_,
                {.stride = s_.stride[0], .padding = s_.padding[0], .dilation = s_.dilation[0],
                 .groups = s_.groups, .same_padding = s_.same_padding});
}

ConvTranspose2d::ConvTranspose2d(int64_t in, int64_t out, Size2 k, const ConvTranspose2dOptions& o,
                                 bool bias, Generator* gen)
    : ConvBase("ConvTranspose2d", in, out,
               {.kernel_size = {k[0], k[1]}, .stride = {o.stride[0], o.stride[1]},
                .padding = {o.padding[0], o.padding[1]}, .dilation = {o.dilation[0], o.dilation[1]},
                .output_padding = {o.output_padding[0], o.output_padding[1]}, .groups = o.groups,
                .same_padding = false, .bias = bias},
               true, gen) {}

Tensor ConvTranspose2d::forward(const Tensor& x) {
  return conv_transpose2d(x, weight_, bias_,
                          {.stride = pair(s_.stride), .padding = pair(s_.padding),
                           .output_padding = pair(s_.output_padding), .dilation = pair(s_.dilation),
                           .groups = s_.groups});
}

// ---- from a spec ----

ModulePtr build_conv(const ModuleSpec& spec, Generator* init) {
  const int64_t dims = spec.type == "Conv1d" ? 1 : 2;
  // A size given once ("3") applies to every axis, as in PyTorch.
  auto sizes = [&](const char* key, int64_t fallback) {
    std::vector<int64_t> v = spec.attrs.count(key) ? spec.get_ints(key) : std::vector<int64_t>{fallback};
    if (v.size() == 1) v.assign(static_cast<size_t>(dims), v[0]);
    if (static_cast<int64_t>(v.size()) != dims)
      throw Error(spec.type + ": setting '" + key + "' needs 1 or " + std::to_string(dims) +
                  " values, got " + std::to_string(v.size()));
    return v;
  };
  if (!spec.attrs.count("kernel_size")) throw Error(spec.type + ": setting 'kernel_size' is required");
  const std::vector<int64_t> k = sizes("kernel_size", 1), stride = sizes("stride", 1),
                             dilation = sizes("dilation", 1);
  const bool same = spec.get_string("padding", "0") == "same";
  const std::vector<int64_t> padding = same ? std::vector<int64_t>(dims, 0) : sizes("padding", 0);
  const int64_t in = spec.get_int("in_channels"), out = spec.get_int("out_channels");
  const int64_t groups = spec.get_int("groups", 1);
  const bool bias = spec.get_bool("bias", true);
  if (spec.type == "Conv1d")
    return std::make_shared<Conv1d>(in, out, k[0],
                                    Conv1dOptions{.stride = stride[0], .padding = padding[0],
                                                  .dilation = dilation[0], .groups = groups,
                                                  .same_padding = same},
                                    bias, init);
  if (spec.type == "Conv2d")
    return std::make_shared<Conv2d>(in, out, pair(k),
                                    Conv2dOptions{.stride = pair(stride), .padding = pair(padding),
                                                  .dilation = pair(dilation), .groups = groups,
                                                  .same_padding = same},
                                    bias, init);
  if (same) throw Error(spec.type + ": padding \"same\" is not available for a transposed convolution");
  return std::make_shared<ConvTranspose2d>(
      in, out, pair(k),
      ConvTranspose2dOptions{.stride = pair(stride), .padding = pair(padding),
                             .output_padding = pair(sizes("output_padding", 0)),
                             .dilation = pair(dilation), .groups = groups},
      bias, init);
}

}  // namespace myelin::nn
