// Module trees built from the layers: PyTorch's state-dict names, specs that rebuild the same
// architecture, state-dict loading and its errors, train/eval propagation.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"

namespace myelin::nn {
namespace {

using myelin::testing::expect_error;

// Flatten, Linear(4,3), ReLU, [Linear(3,3), Dropout, Linear(3,2, no bias)], Linear(2,1)
std::shared_ptr<Sequential> nested_model(Generator* gen = nullptr) {
  auto inner = std::make_shared<Sequential>();
  inner->add<Linear>(3, 3, true, gen);
  inner->add<Dropout>(0.1);
  inner->add<Linear>(3, 2, false, gen);
  auto net = std::make_shared<Sequential>();
  net->add<Flatten>();
  net->add<Linear>(4, 3, true, gen);
  net->add<ReLU>();
  net->push_back(inner);
  net->add<Linear>(2, 1, true, gen);
  return net;
}

std::map<std::string, Tensor> as_map(const std::vector<std::pair<std::string, Tensor>>& named) {
  std::map<std::string, Tensor> out;
  for (const auto& [name, t] : named) out[name] = t;
  return out;
}

void expect_same_weights(const Module& a, const Module& b) {
  const auto sa = a.state_dict(), sb = b.state_dict();
  ASSERT_EQ(sa.size(), sb.size());
  for (size_t i = 0; i < sa.size(); ++i) {
    EXPECT_EQ(sa[i].first, sb[i].first);
    EXPECT_EQ(sa[i].second.to_vector(), sb[i].second.to_vector()) << sa[i].first;
  }
}

void expect_same_spec(const ModuleSpec& a, const ModuleSpec& b) {
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.attrs, b.attrs) << a.type;
  ASSERT_EQ(a.children.size(), b.children.size()) << a.type;
  for (size_t i = 0; i < a.children.size(); ++i) {
    EXPECT_EQ(a.children[i].first, b.children[i].first);
    expect_same_spec(a.children[i].second, b.children[i].second);
  }
}

TEST(NnModule, ParameterNamesAndOrderMatchTorchStateDict) {
  auto net = nested_model();
  std::vector<std::string> names;
  for (const auto& [name, t] : net->state_dict()) names.push_back(name);
  // list(torch.nn.Sequential(<the same layers>).state_dict().keys())
  EXPECT_EQ(names, (std::vector<std::string>{"1.weight", "1.bias", "3.0.weight", "3.0.bias",
                                             "3.2.weight", "4.weight", "4.bias"}));
  EXPECT_EQ(net->num_parameters(), 12 + 3 + 9 + 3 + 6 + 2 + 1);
}

TEST(NnModule, SpecRebuildsTheSameArchitecture) {
  auto net = std::make_shared<Sequential>();
  net->add<Flatten>(1, 2);
  net->add<Linear>(6, 5, false);
  net->add<LeakyReLU>(0.2);
  net->add<ELU>(0.7);
  net->add<Softplus>(2.0, 15.0);
  net->add<Dropout>(0.1 + 0.2);  // 0.30000000000000004: the text must keep every bit
  net->add<Sequential>().add<GELU>();
  net->add<Sigmoid>();
  net->add<Tanh>();
  net->add<ReLU>();
  net->add<Identity>();
  net->add<Softmax>(1);
  net->add<LogSoftmax>(-1);
  const ModuleSpec spec = net->spec();
  EXPECT_EQ(spec.children[2].second.attrs.at("negative_slope"), "0.2");  // shortest text
  EXPECT_EQ(spec.children[1].second.attrs.at("bias"), "false");

  ModulePtr rebuilt = build_module(spec);
  expect_same_spec(rebuilt->spec(), spec);
  EXPECT_EQ(rebuilt->extra_repr(), net->extra_repr());
  EXPECT_EQ(rebuilt->num_parameters(), net->num_parameters());
  EXPECT_EQ(rebuilt->spec().children[6].second.children[0].second.type, "GELU");
  EXPECT_EQ(dynamic_cast<Dropout&>(static_cast<Sequential&>(*rebuilt)[5]).p(), 0.1 + 0.2);

  for (const char* type : {"Linear", "ReLU", "Sigmoid", "Tanh", "LeakyReLU", "ELU", "GELU", "Softplus",
                           "Softmax", "LogSoftmax", "Identity", "Dropout", "Flatten", "Sequential"}) {
    const std::vector<std::string> types = module_types();
    EXPECT_TRUE(std::find(types.begin(), types.end(), type) != types.end()) << type;
  }
}

TEST(NnModule, BuildWithTheSameSeedGivesTheSameWeights) {
  const ModuleSpec spec = nested_model()->spec();
  manual_seed(21);
  ModulePtr a = build_module(spec);
  manual_seed(21);
  ModulePtr b = build_module(spec);
  expect_same_weights(*a, *b);

  Generator g1(5), g2(5);
  expect_same_weights(*nested_model(&g1), *nested_model(&g2));
}

TEST(NnModule, BadSpecsNameTheTypeAndKey) {
  expect_error([] { build_module({"Linear", {{"in_features", "4"}}, {}}); },
                        "Linear: setting 'out_features' is required");
  EXPECT_THROW(build_module({"Linear", {{"in_features", "4"}, {"out_features", "x"}}, {}}), Error);
  EXPECT_THROW(build_module({"Dropout", {{"p", "1.5"}}, {}}), Error);
  EXPECT_THROW(build_module({"Conv9d", {}, {}}), Error);
  ModuleSpec seq{"Sequential", {}, {{"0", {"ReLU", {}, {}}}, {"5", {"Tanh", {}, {}}}}};
  EXPECT_THROW(build_module(seq), Error);  // children must be named 0, 1, ...
}

TEST(NnModule, LoadStateDictRoundTrip) {
  Generator g1(1), g2(2);
  auto source = nested_model(&g1), target = nested_model(&g2);
  target->load_state_dict(as_map(source->state_dict()));
  expect_same_weights(*source, *target);
  const auto s = source->state_dict(), t = target->state_dict();
  for (size_t i = 0; i < s.size(); ++i)
    EXPECT_FALSE(s[i].second.shares_storage(t[i].second)) << s[i].first;  // copied, not aliased
  source->eval();
  target->eval();
  const Tensor x = Tensor::uniform({3, 2, 2}, -1.f, 1.f, &g1);
  EXPECT_EQ((*source)(x).to_vector(), (*target)(x).to_vector());
}

TEST(NnModule, LoadStateDictErrors) {
  auto net = nested_model();
  auto state = as_map(net->state_dict());

  auto missing = state;
  missing.erase("3.0.bias");
  expect_error([&] { net->load_state_dict(missing); }, "missing tensor '3.0.bias'");
  EXPECT_NO_THROW(net->load_state_dict(missing, /*strict=*/false));

  auto unexpected = state;
  unexpected["3.1.weight"] = Tensor::zeros({3, 3});  // Dropout has no weight
  expect_error([&] { net->load_state_dict(unexpected); }, "unexpected tensor '3.1.weight'");

  auto wrong_shape = state;
  wrong_shape["4.weight"] = Tensor::zeros({2, 1});
  EXPECT_THROW(net->load_state_dict(wrong_shape), ShapeError);
  EXPECT_THROW(net->load_state_dict(wrong_shape, /*strict=*/false), ShapeError);
}

TEST(NnModule, ForwardHooksSeeEveryCallAndNest) {
  auto net = nested_model();
  net->eval();
  std::vector<std::string> outer_seen, inner_seen;
  {
    ScopedForwardHook outer([&](const Module& m, const Tensor&, const Tensor& y) {
      outer_seen.push_back(m.type_name() + to_string(y.shape()));
    });
    (*net)(Tensor::zeros({2, 2, 2}));
    {
      ScopedForwardHook inner([&](const Module& m, const Tensor&, const Tensor&) {
        inner_seen.push_back(m.type_name());
      });
      (*net)[2](Tensor::zeros({1, 3}));
    }
    (*net)[2](Tensor::zeros({1, 3}));  // the outer hook is back
  }
  (*net)(Tensor::zeros({2, 2, 2}));  // no hook: nothing recorded
  // Layers report before the containers that called them.
  EXPECT_EQ(outer_seen, (std::vector<std::string>{
                            "Flatten(2, 4)", "Linear(2, 3)", "ReLU(2, 3)", "Linear(2, 3)", "Dropout(2, 3)",
                            "Linear(2, 2)", "Sequential(2, 2)", "Linear(2, 1)", "Sequential(2, 1)", "ReLU(1, 3)"}));
  EXPECT_EQ(inner_seen, (std::vector<std::string>{"ReLU"}));
}

TEST(NnModule, TrainAndEvalReachEveryLayer) {
  auto net = nested_model();
  auto& inner = static_cast<Sequential&>((*net)[3]);
  Module& dropout = inner[1];
  ASSERT_TRUE(dropout.is_training());

  net->eval();
  for (Module* m : std::vector<Module*>{net.get(), &inner[0], &dropout, &(*net)[4]})
    EXPECT_FALSE(m->is_training());
  const Tensor h = Tensor::full({1, 3}, 1.f);
  EXPECT_EQ(dropout(h).to_vector(), h.to_vector());

  net->train();
  EXPECT_TRUE(dropout.is_training());
  EXPECT_TRUE(inner[0].is_training());
  const Tensor big = Tensor::full({1, 1000}, 1.f);
  const std::vector<float> y = dropout(big).to_vector();
  EXPECT_GT(std::count(y.begin(), y.end(), 0.f), 0);
  EXPECT_GT(std::count(y.begin(), y.end(), 1.f / 0.9f), 0);
}

}  // namespace
}  // namespace myelin::nn
