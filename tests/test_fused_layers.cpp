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
