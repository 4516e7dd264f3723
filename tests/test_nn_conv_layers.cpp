// Convolution, pooling, normalisation and residual layers: names, specs, init, modes, FLOPs and
// errors (numerics against PyTorch live in test_conv_reference.cpp).
#include <gtest/gtest.h>

#include <cmath>

#include "fixture.hpp"
#include "myelin/myelin.hpp"
#include "temp_dir.hpp"

namespace myelin::nn {
namespace {

using myelin::testing::expect_close;

std::vector<ModulePtr> every_new_layer() {
  return {std::make_shared<Conv2d>(4, 6, Size2{3, 2}, Conv2dOptions{.stride = {2, 1}, .padding = {1, 0}, .dilation = {1, 2}, .groups = 2}),
          std::make_shared<Conv2d>(3, 5, Size2{3, 3}, Conv2dOptions{.same_padding = true}, false),
          std::make_shared<Conv1d>(2, 4, 5, Conv1dOptions{.stride = 2, .padding = 1}),
          std::make_shared<ConvTranspose2d>(4, 2, Size2{3, 3}, ConvTranspose2dOptions{.stride = {2, 2}, .output_padding = {1, 0}, .groups = 2}),
          std::make_shared<MaxPool2d>(Size2{3, 3}, Size2{2, 2}, Size2{1, 1}),
          std::make_shared<AvgPool2d>(Size2{2, 2}, Size2{0, 0}, Size2{1, 0}, false),
          std::make_shared<MaxPool1d>(3),
          std::make_shared<AvgPool1d>(4, 2, 1),
          std::make_shared<AdaptiveAvgPool2d>(Size2{2, 3}),
          std::make_shared<GlobalAvgPool2d>(),
          std::make_shared<Upsample>(Size2{2, 3}),
          std::make_shared<Upsample>(Size2{1, 1}, Size2{5, 7}),
          std::make_shared<BatchNorm1d>(7, 1e-3, 0.05, false),
          std::make_shared<BatchNorm2d>(3),
          std::make_shared<LayerNorm>(Shape{4, 5}, 1e-6),
          std::make_shared<GroupNorm>(2, 6, 1e-5, false),
          std::make_shared<Residual>(std::make_shared<Sequential>(std::initializer_list<ModulePtr>{
                                         std::make_shared<Conv2d>(2, 3, Size2{3, 3}, Conv2dOptions{.same_padding = true}),
                                         std::make_shared<ReLU>()}),
                                     std::make_shared<Conv2d>(2, 3, Size2{1, 1}))};
}

TEST(NnConvLayers, SpecsRoundTripThroughTheRegistry) {
  for (const ModulePtr& m : every_new_layer()) {
    const ModuleSpec spec = m->spec();
    const ModulePtr rebuilt = build_module(spec);
    EXPECT_EQ(rebuilt->spec().attrs, spec.attrs) << spec.type;
    EXPECT_EQ(rebuilt->type_name(), m->type_name());
    EXPECT_EQ(rebuilt->extra_repr(), m->extra_repr()) << spec.type;
    const auto a = m->state_dict(), b = rebuilt->state_dict();
    ASSERT_EQ(a.size(), b.size()) << spec.type;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].first, b[i].first);
      EXPECT_EQ(a[i].second.shape(), b[i].second.shape()) << a[i].first;
    }
  }
}

TEST(NnConvLayers, ConfigStyleSettings) {
  ModuleSpec s;
  s.type = "Conv2d";
  s.attrs = {{"in_channels", "1"}, {"out_channels", "8"}, {"kernel_size", "3"}, {"padding", "same"}};
  const ModulePtr conv = build_module(s);
  EXPECT_EQ(conv->spec().attrs.at("kernel_size"), "3,3");
  EXPECT_EQ((*conv)(Tensor::zeros({2, 1, 5, 5})).shape(), (Shape{2, 8, 5, 5}));
  s.attrs["kernal_size"] = "3";
  EXPECT_THROW(build_module(s), Error);
  s.attrs.erase("kernal_size");
  s.attrs.erase("kernel_size");
  EXPECT_THROW(build_module(s), Error);

  ModuleSpec pool;
  pool.type = "MaxPool2d";
  pool.attrs = {{"kernel_size", "2"}};
  EXPECT_EQ((*build_module(pool))(Tensor::zeros({1, 1, 5, 4})).shape(), (Shape{1, 1, 2, 2}));
  ModuleSpec res;
  res.type = "Residual";
  EXPECT_THROW(build_module(res), Error);  // no body
}

TEST(NnConvLayers, ParameterNamesAndTorchInit) {
  Generator gen(5);
  Conv2d conv(16, 32, Size2{3, 3}, {}, true, &gen);
  ASSERT_EQ(conv.named_parameters().size(), 2u);
  EXPECT_EQ(conv.weight().shape(), (Shape{32, 16, 3, 3}));
  const double bound = 1.0 / std::sqrt(16.0 * 9.0);
  for (const Tensor& t : {conv.weight(), conv.bias()})
    for (float v : t.to_vector()) EXPECT_LE(std::fabs(v), bound * (1 + 1e-6));
  ConvTranspose2d up(8, 4, Size2{2, 2}, {.groups = 2});
  EXPECT_EQ(up.weight().shape(), (Shape{8, 2, 2, 2}));

  BatchNorm2d bn(3);
  std::vector<std::string> names;
  for (const auto& [name, t] : bn.state_dict()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"weight", "bias", "running_mean", "running_var", "num_batches_tracked"}));
  auto block = std::make_shared<Residual>(std::make_shared<Linear>(3, 3), std::make_shared<Linear>(3, 3, false));
  names.clear();
  for (const auto& [name, t] : block->state_dict()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"body.weight", "body.bias", "shortcut.weight"}));
}

TEST(NnConvLayers, ResidualAddsItsInputOrShortcut) {
  auto body = std::make_shared<Linear>(3, 3);
  const Tensor x = Tensor::uniform({2, 3}, -1, 1);
  Residual identity(body);
  expect_close(identity(x), (*body)(x) + x, 0, 1e-6f, "identity shortcut");
  auto proj = std::make_shared<Linear>(3, 3, false);
  Residual projected(body, proj);
  expect_close(projected(x), (*body)(x) + (*proj)(x), 0, 1e-6f, "projection shortcut");
  EXPECT_THROW(Residual(std::make_shared<Linear>(3, 2))(x), ShapeError);
}

TEST(NnConvLayers, BatchNormModes) {
  BatchNorm2d bn(2, 1e-5, 0.5);
  const Tensor x = Tensor::uniform({4, 2, 3, 3}, 0, 4);
  const Tensor y = bn(x);
  // Training: each channel of the output has mean 0 and variance 1.
  const Tensor m = mean(y, {0, 2, 3});
  EXPECT_NEAR(m.at({0}), 0, 1e-5);
  EXPECT_NEAR(mean(y * y, {0, 2, 3}).at({1}), 1, 1e-3);
  EXPECT_EQ(bn.state_dict()[4].second.item(), 1.f);
  EXPECT_NEAR(bn.state_dict()[2].second.at({0}), 0.5 * mean(x, {0, 2, 3}).at({0}), 1e-5);
  bn.eval();
  const std::vector<float> before = bn.state_dict()[2].second.to_vector();
  bn(x);
  EXPECT_EQ(bn.state_dict()[2].second.to_vector(), before);  // evaluation leaves stats alone
  EXPECT_EQ(bn.state_dict()[4].second.item(), 1.f);
  EXPECT_THROW(bn(Tensor::zeros({4, 3, 2, 2})), ShapeError);
  BatchNorm1d bn1(5);
  EXPECT_EQ(bn1(Tensor::uniform({3, 5}, 0, 1)).shape(), (Shape{3, 5}));
  EXPECT_THROW(bn1(Tensor::zeros({1, 5})), ShapeError);  // one value per channel
}

// The variance is summed around the mean, so data far from zero normalise as well as data near
// it (a sum of squares less the squared mean would cancel to noise here).
TEST(NnConvLayers, BatchNormOfDataFarFromZero) {
  BatchNorm2d bn(3);
  manual_seed(2);
  const Tensor noise = Tensor::normal({8, 3, 9, 9}, 0.f, 1.f);
  const Tensor y = bn(add(mul(noise, 0.1f), 1000.f));  // variance 0.01, well above eps
  for (int64_t ch = 0; ch < 3; ++ch) {
    EXPECT_NEAR(mean(y, {0, 2, 3}).at({ch}), 0, 1e-3);
    EXPECT_NEAR(mean(y * y, {0, 2, 3}).at({ch}), 1, 2e-2);
  }
}

TEST(NnConvLayers, SummaryCountsConvolutionFlops) {
  Sequential net{std::make_shared<Conv2d>(1, 32, Size2{3, 3}), std::make_shared<ReLU>(),
                 std::make_shared<MaxPool2d>(Size2{2, 2}), std::make_shared<Conv2d>(32, 64, Size2{3, 3}),
                 std::make_shared<GlobalAvgPool2d>(), std::make_shared<Linear>(64, 10)};
  const ModelSummary s = summary(net, {1, 28, 28});
  EXPECT_EQ(s.layers[0].output_shape, (Shape{32, 26, 26}));
  EXPECT_EQ(s.layers[0].flops, 2 * 9 * 32 * 26 * 26);
  EXPECT_EQ(s.layers[3].flops, 2 * 32 * 9 * 64 * 11 * 11);
  EXPECT_EQ(s.output_shape, (Shape{10}));
}

TEST(NnConvLayers, BadSettingsAndShapesAreNamed) {
  EXPECT_THROW(Conv2d(3, 4, Size2{3, 3}, {.groups = 2}), Error);
  EXPECT_THROW(Conv2d(3, 4, Size2{3, 3}, {.stride = {2, 2}, .same_padding = true}), Error);
  EXPECT_THROW(MaxPool2d(Size2{2, 2}, Size2{2, 2}, Size2{2, 2}), Error);
  EXPECT_THROW(GroupNorm(4, 6), Error);
  Conv2d conv(3, 4, Size2{3, 3});
  try {
    conv(Tensor::zeros({1, 2, 5, 5}));
    FAIL() << "expected ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("conv2d"), std::string::npos) << e.what();
  }
  EXPECT_THROW(conv(Tensor::zeros({1, 3, 2, 2})), ShapeError);  // smaller than the kernel
  EXPECT_THROW(conv(Tensor::zeros({3, 5, 5})), ShapeError);
  EXPECT_THROW(max_pool2d(Tensor::zeros({1, 1, 1, 1}), {.kernel = {2, 2}}), ShapeError);
  EXPECT_THROW(conv_transpose2d(Tensor::zeros({1, 2, 3, 3}), Tensor::zeros({2, 1, 3, 3}), Tensor(),
                                {.stride = {2, 2}, .output_padding = {2, 0}}),
               Error);
}

TEST(NnConvLayers, ConvolutionIsDeterministicAcrossCalls) {
  // Weight gradients are summed per thread and added in thread order: no run-to-run noise.
  Conv2d conv(3, 8, Size2{3, 3});
  const Tensor x = Tensor::uniform({16, 3, 9, 9}, -1, 1);
  std::vector<float> first;
  for (int run = 0; run < 2; ++run) {
    conv.zero_grad();
    sum(conv(x) * conv(x)).backward();
    if (run == 0) first = conv.weight().grad().to_vector();
    else EXPECT_EQ(conv.weight().grad().to_vector(), first);
  }
}

TEST(NnConvLayers, ModelFileKeepsWeightsAndRunningStatistics) {
  auto net = std::make_shared<Sequential>(std::initializer_list<ModulePtr>{
      std::make_shared<Conv2d>(1, 4, Size2{3, 3}, Conv2dOptions{.same_padding = true}), std::make_shared<BatchNorm2d>(4),
      std::make_shared<Residual>(std::make_shared<Conv2d>(4, 4, Size2{3, 3}, Conv2dOptions{.padding = {1, 1}})),
      std::make_shared<MaxPool2d>(Size2{2, 2}), std::make_shared<GlobalAvgPool2d>(), std::make_shared<Linear>(4, 3)});
  const Tensor x = Tensor::uniform({5, 1, 6, 6}, 0, 1);
  (*net)(x);  // training mode: the running statistics move
  net->eval();
  myelin::testing::TempDir dir;
  io::save_model(dir.file("cnn.safetensors"), *net);
  const io::LoadedModel loaded = io::load_model(dir.file("cnn.safetensors"));
  EXPECT_EQ((*loaded.module)(x).to_vector(), (*net)(x).to_vector());
}

}  // namespace
}  // namespace myelin::nn
