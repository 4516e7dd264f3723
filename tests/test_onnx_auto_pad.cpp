// ONNX import of auto_pad SAME_UPPER / SAME_LOWER at stride 1: the same predictions as the
// explicit pads ONNX defines for it; the cases myelin's layers cannot express are errors.
#include <gtest/gtest.h>

#include "myelin/autograd.hpp"
#include "myelin/io/onnx.hpp"
#include "expect_error.hpp"
#include "onnx_one_node.hpp"

namespace myelin {
namespace {

using Ints = std::vector<int64_t>;
using onnx_io::attr;
using testing::OneNode;

Tensor predict(const std::string& path, const Tensor& x) {
  NoGradGuard no_grad;
  return (*io::import_onnx(path).module)(x).contiguous();
}

void expect_same(const Tensor& a, const Tensor& b) {
  ASSERT_EQ(a.shape(), b.shape());
  for (int64_t i = 0; i < a.numel(); ++i) EXPECT_EQ(a.data()[i], b.data()[i]) << "element " << i;
}

OneNode conv(const std::vector<onnx::AttributeProto>& attrs, const Shape& kernel = {2, 2}) {
  Shape w{1, 1};
  w.insert(w.end(), kernel.begin(), kernel.end());
  return {"Conv", {1, 1, 4, 5}, {{"w", Tensor::arange(w[2] * w[3]).reshape(w)}}, attrs, {"x", "w"}};
}

// A 2x2 kernel pads 1 in all: SAME_UPPER puts it at the end, as a convolution's "same".
TEST(OnnxAutoPad, SameUpperOfAnEvenKernelPadsTheEnd) {
  testing::TempDir dir;
  const Tensor x = Tensor::arange(20).reshape({1, 1, 4, 5});
  const Tensor y = predict(conv({attr("auto_pad", std::string("SAME_UPPER"))}).write(dir, "same.onnx"), x);
  ASSERT_EQ(y.shape(), (Shape{1, 1, 4, 5}));
  // y[i][j] = sum over the 2x2 window at (i, j) of x * w, w = (0 1; 2 3), zero past the end.
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 5; ++j) {
      float want = 0;
      for (int64_t a = 0; a < 2; ++a)
        for (int64_t b = 0; b < 2; ++b)
          if (i + a < 4 && j + b < 5) want += float((i + a) * 5 + j + b) * float(2 * a + b);
      EXPECT_EQ(y.data()[i * 5 + j], want) << i << ", " << j;
    }
}

// Odd kernels (and a dilation) pad both sides alike: the same as those explicit pads.
TEST(OnnxAutoPad, OddKernelsMatchTheirSymmetricPads) {
  testing::TempDir dir;
  const Tensor x = Tensor::uniform({1, 1, 4, 5}, -1.f, 1.f);
  for (const char* mode : {"SAME_UPPER", "SAME_LOWER"}) {
    const std::string same = conv({attr("auto_pad", std::string(mode)), attr("dilations", Ints{2, 1})}, {3, 3})
                                 .write(dir, "same.onnx");
    const std::string pads = conv({attr("pads", Ints{2, 1, 2, 1}), attr("dilations", Ints{2, 1})}, {3, 3})
                                 .write(dir, "pads.onnx");
    expect_same(predict(same, x), predict(pads, x));
    const auto pool = [&](const std::vector<onnx::AttributeProto>& attrs, const std::string& name) {
      std::vector<onnx::AttributeProto> all{attr("kernel_shape", Ints{3, 3})};
      all.insert(all.end(), attrs.begin(), attrs.end());
      return OneNode{"MaxPool", {1, 1, 4, 5}, {}, all}.write(dir, name);
    };
    expect_same(predict(pool({attr("auto_pad", std::string(mode))}, "a.onnx"), x),
                predict(pool({attr("pads", Ints{1, 1, 1, 1})}, "b.onnx"), x));
  }
}

TEST(OnnxAutoPad, WhatTheLayersCannotExpressIsAnError) {
  testing::TempDir dir;
  const std::string lower = conv({attr("auto_pad", std::string("SAME_LOWER"))}).write(dir, "lower.onnx");
  testing::expect_error([&] { io::import_onnx(lower); },
                        {"lower.onnx", "(Conv)", "SAME_LOWER pads one side more", "kernel (2, 2)"});
  const std::string strided =
      conv({attr("auto_pad", std::string("SAME_UPPER")), attr("strides", Ints{2, 2})}).write(dir, "strided.onnx");
  testing::expect_error([&] { io::import_onnx(strided); }, {"strided.onnx", "strides other than 1"});
  const std::string pool = OneNode{"AveragePool", {1, 1, 4, 5}, {},
                                   {attr("kernel_shape", Ints{2, 2}), attr("auto_pad", std::string("SAME_UPPER"))}}
                               .write(dir, "pool.onnx");
  testing::expect_error([&] { io::import_onnx(pool); }, {"pool.onnx", "(AveragePool)", "pools pad both alike"});
  const std::string transposed = OneNode{"ConvTranspose", {1, 1, 4, 5}, {{"w", Tensor::ones({1, 1, 3, 3})}},
                                         {attr("auto_pad", std::string("SAME_UPPER"))}, {"x", "w"}}
                                     .write(dir, "transposed.onnx");
  testing::expect_error([&] { io::import_onnx(transposed); }, {"transposed.onnx", "(ConvTranspose)", "auto_pad"});
}

}  // namespace
}  // namespace myelin
