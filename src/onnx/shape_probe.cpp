// ShapeProbe: one batch of zeros through the imported layers, in order, as they are built.
#include "onnx/shape_probe.hpp"

#include "myelin/autograd.hpp"
#include "myelin/error.hpp"
#include "tensor/allocation_limit.hpp"

namespace myelin::onnx_io {
namespace {

// One sample of a 4096 x 4096 picture; a layer of a real model needs far less than the cap for
// one sample (a 64-channel 3x3 convolution of a 1024 x 1024 RGB picture: about 370 MB).
constexpr int64_t kMaxProbeElements = int64_t{1} << 24;
constexpr size_t kMaxLayerBytes = size_t{512} << 20;

// "(N, 4)": the declared shape with symbolic dimensions as letters.
std::string declared_text(const Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + (shape[i] >= 0 ? std::to_string(shape[i]) : std::string(i == 0 ? "N" : "?"));
  return s + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace

ShapeProbe::ShapeProbe(const ChainInput& input) : declared_(input.shape) {
  if (input.rank == kUnknownRank) return;
  Shape shape;
  int64_t elements = 1;
  for (size_t i = 0; i < input.shape.size(); ++i) {
    const int64_t d = input.shape[i] >= 0 ? input.shape[i] : 1;
    if (input.shape[i] < 0 && i > 0) conclusive_ = false;
    if (__builtin_mul_overflow(elements, d, &elements) || elements > kMaxProbeElements)
      throw Error("ONNX import: graph input '" + input.name + "' is declared " + declared_text(input.shape) +
                  ", more than 2^24 elements (the most the importer checks a model with)");
    shape.push_back(d);
  }
  x_ = Tensor::zeros(shape);
}

void ShapeProbe::pass(const ImportNode& n, nn::Module& layer) {
  if (!x_) return;
  layer.eval();
  NoGradGuard no_grad;
  try {
    AllocationLimit limit(kMaxLayerBytes, "it needs more than 512 MiB for one sample, the most the import's shape "
                                          "check gives a layer");
    x_ = layer(*x_);
  } catch (const Error& e) {
    if (!conclusive_) {
      x_.reset();  // a symbolic size taken as 1 may be the cause: nothing more can be checked
      return;
    }
    n.fail("what reaches it from graph input " + declared_text(declared_) + " is " + to_string(x_->shape()) +
           ", which its layer refuses: " + e.what());
  }
}

}  // namespace myelin::onnx_io
