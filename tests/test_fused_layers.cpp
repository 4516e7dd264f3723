// Layers that myelin runs fused: nn::Sequential runs a ReLU followed by a max pool as one op
// (relu_max_pool2d), and a convolution's bias gradient is summed inside its backward pass. Both
// must give what the layers give one by one.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "myelin/myelin.hpp"

namespace myelin {
namespace {

nn::Sequential small_cnn() {
  manual_seed(3);
  return nn::Sequential{std::make_shared<nn::Conv2d>(2, 8, Size2{3, 3}), std::make_shared<nn::ReLU>(),
                        std::make_shared<nn::MaxPool2d>(Size2{2, 2}), std::make_shared<nn::Conv2d>(8, 8, Size2{3, 3}),
                        std::make_shared<nn::ReLU>(), std::make_shared<nn::MaxPool2d>(Size2{3, 3}, Size2{2, 2}, Size2{1, 1}),
                        std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(32, 3)};
}

struct Results {
  std::vector<float> y;
  std::vector<std::vector<float>> grads;
};

Results forward_backward(nn::Sequential& net, const Tensor& x) {
  for (Tensor& p : net.parameters()) p.set_grad(Tensor());
  const Tensor y = net(x);
  sum(mul(y, y)).backward();
  Results r{y.to_vector(), {}};
  for (const Tensor& p : net.parameters()) r.grads.push_back(p.grad().to_vector());
  return r;
}

// A hook watching each layer makes Sequential call every layer on its own: the fused run must
// give the same numbers, to the bit.
TEST(FusedLayers, SequentialReluMaxPoolEqualsTheLayersOneByOne) {
  nn::Sequential net = small_cnn();
  manual_seed(4);
  const Tensor x = Tensor::normal({5, 2, 13, 13}, 0.f, 1.f);  // 5 images: Winograd in layer 2
  const Results fused = forward_backward(net, x);
  std::vector<std::string> seen;
  Results apart;
  {
    nn::ScopedForwardHook hook([&](const nn::Module& m, const Tensor&, const Tensor&) { seen.push_back(m.type_name()); });
    apart = forward_backward(net, x);
  }
  EXPECT_EQ(fused.y, apart.y);
  ASSERT_EQ(fused.grads.size(), apart.grads.size());
  for (size_t i = 0; i < fused.grads.size(); ++i) EXPECT_EQ(fused.grads[i], apart.grads[i]) << "parameter " << i;
  const std::vector<std::string> layers{"Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d",
                                        "Flatten", "Linear", "Sequential"};
  EXPECT_EQ(seen, layers);
}

TEST(FusedLayers, OnlyAReluBeforeAMaxPoolIsFused) {
  manual_seed(6);
  // An average pool after a ReLU, and a max pool before one: each layer on its own.
  nn::Sequential net{std::make_shared<nn::ReLU>(), std::make_shared<nn::AvgPool2d>(Size2{2, 2}),
                     std::make_shared<nn::MaxPool2d>(Size2{2, 2}), std::make_shared<nn::ReLU>()};
  const Tensor x = Tensor::normal({2, 3, 8, 8}, 0.f, 1.f);
  EXPECT_EQ(net(x).to_vector(), relu(max_pool2d(avg_pool2d(relu(x)))).to_vector());
}

struct ConvPoolCase {
  const char* name;
  Shape x, w;
  Conv2dOptions conv;
  Pool2dOptions pool;
};

// conv2d_relu_max_pool2d against conv2d, relu and max_pool2d one by one: the output and the
// gradients of x, the weight and the bias, to the bit.
TEST(FusedLayers, ConvReluMaxPoolEqualsTheThreeOps) {
  const ConvPoolCase cases[] = {
      {"im2col, 2x2 pool", {3, 2, 9, 11}, {4, 2, 3, 3}, {}, {}},
      {"im2col, groups and stride, overlapping pool", {2, 4, 12, 9}, {6, 2, 3, 2}, {.stride = {2, 1}, .padding = {1, 1}, .groups = 2},
       {.kernel = {3, 3}, .stride = {2, 2}, .padding = {1, 1}}},
      {"Winograd, 2x2 pool", {5, 8, 13, 13}, {8, 8, 3, 3}, {}, {}},
      {"Winograd, same padding, 3x3 pool", {3, 8, 10, 7}, {9, 8, 3, 3}, {.same_padding = true}, {.kernel = {3, 3}, .stride = {1, 2}}},
      // One image larger than a chunk: the chunks are runs of rows, pooled when the last is done.
      {"Winograd, chunks of rows", {2, 8, 122, 122}, {8, 8, 3, 3}, {}, {}},
  };
  for (const ConvPoolCase& c : cases) {
    manual_seed(9);
    Tensor x = Tensor::normal(c.x, 0.f, 1.f), w = Tensor::normal(c.w, 0.f, 0.5f), b = Tensor::normal({c.w[0]}, 0.f, 0.5f);
    x.requires_grad_(), w.requires_grad_(), b.requires_grad_();
    const Tensor fused = conv2d_relu_max_pool2d(x, w, b, c.conv, c.pool);
    const Tensor r = Tensor::normal(fused.shape(), 0.f, 1.f);
    sum(mul(fused, r)).backward();
    const std::vector<float> gx = x.grad().to_vector(), gw = w.grad().to_vector(), gb = b.grad().to_vector();
    x.set_grad(Tensor()), w.set_grad(Tensor()), b.set_grad(Tensor());
    const Tensor apart = max_pool2d(relu(conv2d(x, w, b, c.conv)), c.pool);
    sum(mul(apart, r)).backward();
    EXPECT_EQ(fused.to_vector(), apart.to_vector()) << c.name;
    EXPECT_EQ(gx, x.grad().to_vector()) << c.name;
    EXPECT_EQ(gw, w.grad().to_vector()) << c.name;
    EXPECT_EQ(gb, b.grad().to_vector()) << c.name;
  }
}

TEST(FusedLayers, ConvReluMaxPoolNamesItselfInErrors) {
  const Tensor x = Tensor::zeros({1, 2, 5, 5}), w = Tensor::zeros({3, 2, 3, 3});
  try {
    conv2d_relu_max_pool2d(x, w, Tensor(), {}, {.kernel = {4, 4}});
    FAIL() << "a pool window larger than the 3x3 output was accepted";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("conv2d_relu_max_pool2d"), std::string::npos) << e.what();
  }
}

// The bias gradient comes out of the convolution's backward pass, with or without the other
// gradients, on the im2col path and the Winograd path.
TEST(FusedLayers, ConvBiasGradientIsTheSumOfTheOutputGradient) {
  manual_seed(7);
  for (const int64_t channels : {3, 8}) {  // 3 input channels: im2col; 8: Winograd
    for (const bool weight_trained : {false, true}) {
      Tensor x = Tensor::normal({4, channels, 9, 7}, 0.f, 1.f), w = Tensor::normal({8, channels, 3, 3}, 0.f, 1.f),
             b = Tensor::normal({8}, 0.f, 1.f);
      const Tensor r = Tensor::normal({4, 8, 9, 7}, 0.f, 1.f);
      b.requires_grad_();
      if (weight_trained) w.requires_grad_();
      sum(mul(conv2d(x, w, b, {.padding = {1, 1}}), r)).backward();
      const std::vector<float> got = b.grad().to_vector(), want = sum(r, {0, 2, 3}).to_vector();
      for (size_t o = 0; o < want.size(); ++o)
        EXPECT_NEAR(got[o], want[o], 1e-4f) << channels << " channels, weight trained " << weight_trained;
    }
  }
}

}  // namespace
}  // namespace myelin
