// Convolution, pooling and normalisation layers against PyTorch (tests/fixtures/conv.txt, made by
// scripts/fixtures/make_conv_fixtures.py): outputs, input and parameter gradients, and buffers
// after the forward pass (BatchNorm's running statistics).
#include <functional>

#include "fixture.hpp"

namespace myelin::testing {
namespace {

struct RefCase {
  std::string name;
  std::function<nn::ModulePtr()> make;
  bool train = true;
};
void PrintTo(const RefCase& c, std::ostream* os) { *os << c.name; }

const RefCase kCases[] = {
    {"conv2d", [] { return std::make_shared<nn::Conv2d>(4, 6, Size2{3, 2}, Conv2dOptions{.stride = {2, 1}, .padding = {1, 1}, .dilation = {1, 2}, .groups = 2}); }},
    {"conv2d_same", [] { return std::make_shared<nn::Conv2d>(3, 4, Size2{4, 4}, Conv2dOptions{.same_padding = true}); }},
    {"conv2d_depthwise", [] { return std::make_shared<nn::Conv2d>(3, 3, Size2{3, 3}, Conv2dOptions{.stride = {2, 2}, .padding = {1, 1}, .groups = 3}, false); }},
    {"conv1d", [] { return std::make_shared<nn::Conv1d>(2, 3, 3, Conv1dOptions{.stride = 2, .padding = 2, .dilation = 2}); }},
    {"conv_transpose2d", [] { return std::make_shared<nn::ConvTranspose2d>(4, 6, Size2{3, 3}, ConvTranspose2dOptions{.stride = {2, 2}, .padding = {1, 1}, .output_padding = {1, 1}, .groups = 2}); }},
    {"conv_transpose2d_dilation", [] { return std::make_shared<nn::ConvTranspose2d>(2, 3, Size2{2, 3}, ConvTranspose2dOptions{.stride = {1, 2}, .dilation = {2, 1}}); }},
    {"max_pool2d", [] { return std::make_shared<nn::MaxPool2d>(Size2{3, 3}, Size2{2, 2}, Size2{1, 1}); }},
    {"avg_pool2d", [] { return std::make_shared<nn::AvgPool2d>(Size2{3, 3}, Size2{2, 2}, Size2{1, 1}); }},
    {"avg_pool2d_exclude", [] { return std::make_shared<nn::AvgPool2d>(Size2{3, 2}, Size2{2, 1}, Size2{1, 1}, false); }},
    {"max_pool1d", [] { return std::make_shared<nn::MaxPool1d>(2); }},
    {"adaptive_avg_pool2d", [] { return std::make_shared<nn::AdaptiveAvgPool2d>(Size2{3, 2}); }},
    {"upsample", [] { return std::make_shared<nn::Upsample>(Size2{2, 2}); }},
    {"batch_norm_train", [] { return std::make_shared<nn::BatchNorm2d>(3, 1e-5, 0.2); }, true},
    {"batch_norm_eval", [] { return std::make_shared<nn::BatchNorm2d>(3, 1e-5, 0.2); }, false},
    {"group_norm", [] { return std::make_shared<nn::GroupNorm>(2, 4); }},
    {"layer_norm", [] { return std::make_shared<nn::LayerNorm>(Shape{3, 4}); }},
};

class ConvReference : public ::testing::TestWithParam<RefCase> {};

TEST_P(ConvReference, MatchesPyTorch) {
  static const Fixture f("conv.txt");
  const RefCase& c = GetParam();
  const std::string p = c.name + ".";
  nn::ModulePtr m = c.make();
  std::map<std::string, Tensor> state;
  for (const auto& [key, t] : m->state_dict()) state[key] = f[p + key];
  m->load_state_dict(state);
  m->train(c.train);

  Tensor x = f[p + "input"].clone().requires_grad_();
  const Tensor y = (*m)(x);
  expect_close(y, f[p + "output"], 1e-4f, 1e-5f, c.name + " output");
  sum(y * f[p + "loss_weights"]).backward();
  expect_close(x.grad(), f[p + "grad.input"], 1e-4f, 1e-4f, c.name + " input gradient");
  for (const auto& [key, t] : m->named_parameters())
    expect_close(t.grad(), f[p + "grad." + key], 1e-4f, 1e-4f, c.name + " gradient of " + key);
  for (const auto& [key, t] : m->named_buffers())
    expect_close(t, f[p + "after." + key], 1e-5f, 1e-6f, c.name + " buffer " + key);
}

INSTANTIATE_TEST_SUITE_P(Layers, ConvReference, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<RefCase>& i) { return i.param.name; });

}  // namespace
}  // namespace myelin::testing
