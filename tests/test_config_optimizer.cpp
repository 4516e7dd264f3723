// [optimizer]: settings read into each optimizer's own options struct, whose initialisers are the
// only defaults; unknown keys suggest the nearest; build_optimizer takes the struct as read.
#include <gtest/gtest.h>

#include "expect_error.hpp"
#include "myelin/config/config.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::expect_error;

// A config whose [optimizer] table (from line 8) holds `optimizer`.
config::OptimizerConfig read(const std::string& optimizer) {
  testing::TempDir dir;
  const std::string text =
      "[data]\nsource = \"csv\"\ntrain = \"t.csv\"\nlabel = \"y\"\n"       // 1-4
      "[model]\n[[model.layers]]\ntype = \"Linear\"\nunits = 2\n"           // 5-8
      "[optimizer]\n" + optimizer;                                          // 9-
  return config::load_config(dir.write("c.toml", text)).optimizer;
}

std::vector<Tensor> one_parameter() { return {Tensor::zeros({3}).requires_grad_()}; }

TEST(ConfigOptimizer, LeftOutKeysKeepTheOptionsStructsDefaults) {
  const auto sgd = std::get<optim::SGDOptions>(read("type = \"sgd\"\n").options);
  const optim::SGDOptions sgd_default;
  EXPECT_EQ(sgd.lr, sgd_default.lr);
  EXPECT_EQ(sgd.momentum, sgd_default.momentum);
  EXPECT_EQ(sgd.nesterov, sgd_default.nesterov);
  const auto adagrad = std::get<optim::AdagradOptions>(read("type = \"adagrad\"\n").options);
  EXPECT_EQ(adagrad.eps, optim::AdagradOptions{}.eps);
  EXPECT_EQ(adagrad.lr, optim::AdagradOptions{}.lr);
  const auto rmsprop = std::get<optim::RMSpropOptions>(read("type = \"rmsprop\"\n").options);
  EXPECT_EQ(rmsprop.alpha, optim::RMSpropOptions{}.alpha);
  // No [optimizer] keys at all: Adam with AdamOptions' defaults.
  const config::OptimizerConfig adam = read("");
  EXPECT_EQ(adam.type, "adam");
  EXPECT_EQ(std::get<optim::AdamOptions>(adam.options).beta2, optim::AdamOptions{}.beta2);
}

TEST(ConfigOptimizer, WrittenKeysSetTheirMembers) {
  const auto sgd = std::get<optim::SGDOptions>(
      read("type = \"sgd\"\nlr = 0.2\nmomentum = 0.9\nnesterov = true\nweight_decay = 1e-4\n").options);
  EXPECT_EQ(sgd.lr, 0.2);
  EXPECT_EQ(sgd.momentum, 0.9);
  EXPECT_TRUE(sgd.nesterov);
  EXPECT_EQ(sgd.weight_decay, 1e-4);
  const auto rmsprop = std::get<optim::RMSpropOptions>(read("type = \"rmsprop\"\ncentered = true\nalpha = 0.5\n").options);
  EXPECT_TRUE(rmsprop.centered);
  EXPECT_EQ(rmsprop.alpha, 0.5);
  const auto adagrad = std::get<optim::AdagradOptions>(read("type = \"adagrad\"\ninitial_accumulator_value = 0.1\n").options);
  EXPECT_EQ(adagrad.initial_accumulator_value, 0.1);
}

TEST(ConfigOptimizer, AdamWsWeightDecayDefaultIsTheLibrarys) {
  const config::OptimizerConfig unset = read("type = \"adamw\"\n");
  EXPECT_FALSE(std::get<optim::AdamOptions>(unset.options).weight_decay.has_value());
  auto built = config::build_optimizer(unset, one_parameter());
  EXPECT_EQ(built->type_name(), "AdamW");
  EXPECT_EQ(dynamic_cast<optim::Adam&>(*built).weight_decay(), 1e-2);
  auto off = config::build_optimizer(read("type = \"adamw\"\nweight_decay = 0\n"), one_parameter());
  EXPECT_EQ(dynamic_cast<optim::Adam&>(*off).weight_decay(), 0.0);
  auto adam = config::build_optimizer(read("type = \"adam\"\n"), one_parameter());
  EXPECT_EQ(adam->type_name(), "Adam");
  EXPECT_EQ(dynamic_cast<optim::Adam&>(*adam).weight_decay(), 0.0);
}

TEST(ConfigOptimizer, BuildsTheOptimizerOfTheOptionsAsRead) {
  const config::OptimizerConfig c = read("type = \"sgd\"\nlr = 0.05\nmomentum = 0.8\ndampening = 0.1\n");
  const optim::SGD direct(one_parameter(), {.lr = 0.05, .momentum = 0.8, .dampening = 0.1});
  EXPECT_EQ(config::build_optimizer(c, one_parameter())->describe(), direct.describe());
  // The optimizer's own checks name [optimizer]'s location.
  expect_error([] { config::build_optimizer(read("type = \"sgd\"\nnesterov = true\n"), one_parameter()); },
               {"c.toml:9: [optimizer]:", "momentum"});
}

TEST(ConfigOptimizer, UnknownAndNegativeKeysNameTheirLine) {
  expect_error([] { read("type = \"sgd\"\nlearning_rat = 0.1\n"); },
               "c.toml:11: unknown key 'learning_rat' in [optimizer] (did you mean 'lr'?)");
  expect_error([] { read("type = \"sgd\"\nbeta1 = 0.9\n"); }, "unknown key 'beta1' in [optimizer]");
  expect_error([] { read("type = \"adamw\"\nweight_decy = 0.1\n"); }, "(did you mean 'weight_decay'?)");
  expect_error([] { read("type = \"rmsprop\"\nmomentum = -1\n"); }, "c.toml:11: [optimizer] momentum must not be negative");
  expect_error([] { read("type = \"adamw\"\nweight_decay = -1\n"); }, "c.toml:11: [optimizer] weight_decay must not be negative");
  expect_error([] { read("type = \"adm\"\n"); }, "(did you mean 'adam'?)");
}

}  // namespace
}  // namespace myelin
