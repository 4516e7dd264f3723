// Layers: Linear (init, forward, seeds), activations, Flatten, Dropout and Sequential.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "fixture.hpp"
#include "myelin/myelin.hpp"

namespace myelin::nn {
namespace {

using myelin::testing::expect_close;

TEST(NnLinear, DefaultInitIsTorchs) {
  Generator gen(3);
  Linear layer(300, 200, true, &gen);
  const double bound = 1.0 / std::sqrt(300.0);
  for (const Tensor& t : {layer.weight(), layer.bias()}) {
    double max_abs = 0, sum_sq = 0;
    for (float v : t.to_vector()) {
      max_abs = std::max<double>(max_abs, std::fabs(v));
      sum_sq += double(v) * v;
    }
    EXPECT_LE(max_abs, bound * (1 + 1e-6));
    EXPECT_GT(max_abs, 0.95 * bound);
    // U(-b, b) has standard deviation b / sqrt(3); the bias has only 200 samples.
    EXPECT_NEAR(std::sqrt(sum_sq / t.numel()), bound / std::sqrt(3.0), 0.1 * bound);
  }
  EXPECT_EQ(layer.weight().shape(), (Shape{200, 300}));
  EXPECT_EQ(layer.bias().shape(), (Shape{200}));
  EXPECT_TRUE(layer.weight().requires_grad());
}

TEST(NnLinear, SeedGivesTheSameWeights) {
  Generator a(11), b(11), c(12);
  Linear la(8, 5, true, &a), lb(8, 5, true, &b), lc(8, 5, true, &c);
  EXPECT_EQ(la.weight().to_vector(), lb.weight().to_vector());
  EXPECT_EQ(la.bias().to_vector(), lb.bias().to_vector());
  EXPECT_NE(la.weight().to_vector(), lc.weight().to_vector());
  manual_seed(11);  // no generator: the default one
  Linear ld(8, 5);
  EXPECT_EQ(la.weight().to_vector(), ld.weight().to_vector());
}

TEST(NnLinear, ForwardIsXWeightTransposedPlusBias) {
  Linear layer(2, 3);
  layer.load_state_dict({{"weight", Tensor::from_vector({1, 2, 3, 4, 5, 6}, {3, 2})},
                         {"bias", Tensor::from_vector({1, 0, -1}, {3})}});
  const Tensor y = layer(Tensor::from_vector({1, 1, 2, -1}, {2, 2}));
  expect_close(y, Tensor::from_vector({4, 7, 10, 1, 2, 3}, {2, 3}), 0, 1e-6f, "linear");
  EXPECT_THROW(layer(Tensor::zeros({2, 3})), ShapeError);
}

TEST(NnLinear, WithoutBiasHasOnlyAWeight) {
  Linear layer(4, 2, false);
  ASSERT_EQ(layer.named_parameters().size(), 1u);
  EXPECT_EQ(layer.named_parameters()[0].first, "weight");
  EXPECT_FALSE(layer.bias().defined());
  EXPECT_EQ(layer.extra_repr(), "in_features=4, out_features=2, bias=false");
  EXPECT_EQ(layer(Tensor::zeros({3, 4})).to_vector(), std::vector<float>(6, 0.f));
}

TEST(NnLinear, BadSizesAndFlops) {
  EXPECT_THROW(Linear(0, 3), Error);
  EXPECT_THROW(Linear(3, -1), Error);
  Linear layer(784, 512);
  EXPECT_EQ(layer.flops({1, 784}, {1, 512}), 2 * 784 * 512);
  EXPECT_EQ(layer.flops({1, 7, 784}, {1, 7, 512}), 7 * 2 * 784 * 512);  // per row of (..., in)
}

struct ActivationCase {
  const char* type;
  std::function<ModulePtr()> make;
  std::function<Tensor(const Tensor&)> op;
  const char* repr;
};

const ActivationCase kActivations[] = {
    {"ReLU", [] { return std::make_shared<ReLU>(); }, [](const Tensor& x) { return relu(x); }, ""},
    {"Sigmoid", [] { return std::make_shared<Sigmoid>(); }, [](const Tensor& x) { return sigmoid(x); }, ""},
    {"Tanh", [] { return std::make_shared<Tanh>(); }, [](const Tensor& x) { return myelin::tanh(x); }, ""},
    {"GELU", [] { return std::make_shared<GELU>(); }, [](const Tensor& x) { return gelu(x); }, ""},
    {"Identity", [] { return std::make_shared<Identity>(); }, [](const Tensor& x) { return x; }, ""},
    {"LeakyReLU", [] { return std::make_shared<LeakyReLU>(0.2); },
     [](const Tensor& x) { return leaky_relu(x, 0.2f); }, "negative_slope=0.2"},
    {"ELU", [] { return std::make_shared<ELU>(0.5); }, [](const Tensor& x) { return elu(x, 0.5f); }, "alpha=0.5"},
    {"Softplus", [] { return std::make_shared<Softplus>(2.0, 1.0); },
     [](const Tensor& x) { return softplus(x, 2.f, 1.f); }, "beta=2, threshold=1"},
    {"Softmax", [] { return std::make_shared<Softmax>(0); }, [](const Tensor& x) { return softmax(x, 0); }, "axis=0"},
    {"LogSoftmax", [] { return std::make_shared<LogSoftmax>(); },
     [](const Tensor& x) { return log_softmax(x, -1); }, "axis=-1"},
};

class NnActivation : public ::testing::TestWithParam<ActivationCase> {};

TEST_P(NnActivation, ForwardsToItsOp) {
  const ActivationCase& c = GetParam();
  ModulePtr m = c.make();
  EXPECT_EQ(m->type_name(), c.type);
  EXPECT_EQ(m->extra_repr(), c.repr);
  EXPECT_EQ(m->num_parameters(), 0);
  Generator gen(5);
  const Tensor x = Tensor::uniform({3, 4}, -3.f, 3.f, &gen);
  EXPECT_EQ((*m)(x).to_vector(), c.op(x).to_vector());
}

TEST_P(NnActivation, PassesGradients) {
  Tensor x = Tensor::from_vector({0.5f, -1.f, 2.f, -0.25f}, {2, 2});
  x.requires_grad_();
  sum((*GetParam().make())(x) * Tensor::from_vector({1.f, 2.f, 3.f, 4.f}, {2, 2})).backward();
  ASSERT_TRUE(x.grad().defined());
  EXPECT_EQ(x.grad().shape(), x.shape());
}

INSTANTIATE_TEST_SUITE_P(NnLayers, NnActivation, ::testing::ValuesIn(kActivations),
                         [](const ::testing::TestParamInfo<ActivationCase>& info) { return std::string(info.param.type); });

TEST(NnLayers, SoftplusRejectsNonPositiveBeta) { EXPECT_THROW(Softplus(0.0), Error); }

TEST(NnLayers, FlattenMergesTheGivenDimensions) {
  const Tensor x = Tensor::zeros({2, 3, 4, 5});
  EXPECT_EQ(Flatten()(x).shape(), (Shape{2, 60}));
  EXPECT_EQ(Flatten(0, 1)(x).shape(), (Shape{6, 4, 5}));
  EXPECT_EQ(Flatten(1, -2)(x).shape(), (Shape{2, 12, 5}));
  EXPECT_THROW(Flatten(2, 1)(x), ShapeError);
  EXPECT_THROW(Flatten(1, 7)(x), ShapeError);
  EXPECT_EQ(Flatten(0, 1).extra_repr(), "start_dim=0, end_dim=1");
}

TEST(NnLayers, DropoutZeroesAndScalesInTrainingOnly) {
  Generator gen(9);
  Dropout drop(0.25, &gen);
  const Tensor x = Tensor::full({100, 100}, 2.f);
  ASSERT_TRUE(drop.is_training());
  int64_t zeros = 0;
  for (float v : drop(x).to_vector()) {
    if (v == 0.f) ++zeros;
    else EXPECT_FLOAT_EQ(v, 2.f / 0.75f);
  }
  EXPECT_NEAR(zeros / 10000.0, 0.25, 0.02);

  drop.eval();
  EXPECT_EQ(drop(x).to_vector(), x.to_vector());

  EXPECT_THROW(Dropout(1.0), Error);
  EXPECT_THROW(Dropout(-0.1), Error);
  EXPECT_EQ(drop.extra_repr(), "p=0.25");
}

TEST(NnLayers, DropoutMaskFollowsTheSeed) {
  Generator a(4), b(4);
  Dropout da(0.5, &a), db(0.5, &b);
  const Tensor x = Tensor::ones({64});
  EXPECT_EQ(da(x).to_vector(), db(x).to_vector());
}

TEST(NnSequential, ChainsAndIndexes) {
  Sequential net;
  EXPECT_TRUE(net.empty());
  const Tensor x = Tensor::from_vector({-1.f, 2.f}, {1, 2});
  EXPECT_EQ(net(x).to_vector(), x.to_vector());  // empty: identity

  Linear& first = net.add<Linear>(2, 2);
  first.load_state_dict({{"weight", Tensor::from_vector({1, 0, 0, -1}, {2, 2})},
                         {"bias", Tensor::zeros({2})}});
  net.push_back(std::make_shared<ReLU>());
  ASSERT_EQ(net.size(), 2u);
  EXPECT_EQ(&net[0], &first);
  EXPECT_EQ(net[1].type_name(), "ReLU");
  EXPECT_EQ(net.children()[1].first, "1");
  EXPECT_EQ(net(x).to_vector(), (std::vector<float>{0.f, 0.f}));  // relu((-1, -2))

  EXPECT_THROW(net[2], Error);
  EXPECT_THROW(net.push_back(nullptr), Error);
  Sequential listed{std::make_shared<Tanh>(), std::make_shared<Identity>()};
  EXPECT_EQ(listed.size(), 2u);
}

}  // namespace
}  // namespace myelin::nn
