// NaN must propagate through every activation and reduction, as in PyTorch: a layer that turned
// NaN into a number would hide a diverged run from the trainer's check.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "myelin/myelin.hpp"

namespace myelin {
namespace {

TEST(NanPropagation, ActivationsAndReductionsKeepNaN) {
  const Tensor x = Tensor::from_vector({1.f, std::nanf(""), -1.f}, {1, 3});
  const std::vector<std::pair<const char*, std::function<Tensor(const Tensor&)>>> ops = {
      {"relu", [](const Tensor& t) { return relu(t); }},
      {"leaky_relu", [](const Tensor& t) { return leaky_relu(t); }},
      {"elu", [](const Tensor& t) { return elu(t); }},
      {"gelu", [](const Tensor& t) { return gelu(t); }},
      {"sigmoid", [](const Tensor& t) { return sigmoid(t); }},
      {"tanh", [](const Tensor& t) { return tanh(t); }},
      {"softplus", [](const Tensor& t) { return softplus(t); }},
      {"clamp", [](const Tensor& t) { return clamp(t, -0.5f, 0.5f); }},
      {"abs", [](const Tensor& t) { return abs(t); }},
      {"softmax", [](const Tensor& t) { return softmax(t, 1); }},
      {"max", [](const Tensor& t) { return max(t, 1); }},
      {"sum", [](const Tensor& t) { return sum(t); }},
  };
  for (const auto& [name, op] : ops) {
    const std::vector<float> y = op(x).to_vector();
    bool any_nan = false;
    for (float v : y) any_nan = any_nan || std::isnan(v);
    EXPECT_TRUE(any_nan) << name << " turned NaN into a number";
  }
}

}  // namespace
}  // namespace myelin
