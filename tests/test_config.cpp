// Run configs (myelin/config): defaults, sugar, shape inference and errors with file:line.
#include <gtest/gtest.h>

#include "myelin/config/config.hpp"
#include "myelin/error.hpp"
#include "myelin/nn/summary.hpp"
#include "myelin/optim/sgd.hpp"
#include "myelin/random.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::TempDir;

// The message of the Error that `f` throws ("" when none).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const char* kMinimal = R"([data]
source = "csv"
train = "t.csv"
label = "y"

[model]
input_shape = [3]
[[model.layers]]
type = "Linear"
units = 8
activation = "tanh"
[[model.layers]]
type = "Linear"
units = 2
)";

TEST(Config, DefaultsAndSugar) {
  TempDir dir;
  const config::RunConfig c = config::load_config(dir.write("c.toml", kMinimal));
  EXPECT_EQ(c.data.path("train"), dir.path() + "/t.csv");  // relative to the config file
  EXPECT_EQ(c.loss.type, "cross_entropy");
  EXPECT_EQ(c.optimizer.type, "adam");
  EXPECT_DOUBLE_EQ(std::get<optim::AdamOptions>(c.optimizer.options).lr, 1e-3);
  EXPECT_EQ(c.schedule.type, "none");
  EXPECT_EQ(c.train.epochs, 10);
  EXPECT_EQ(c.train.batch_size, 32);
  EXPECT_EQ(config::metrics_of(c), std::vector<std::string>{"accuracy"});
  ASSERT_EQ(c.model.layers.size(), 2u);
  EXPECT_EQ(c.model.layers[0].spec.get_int("out_features"), 8);
  EXPECT_EQ(c.model.layers[0].activation, "Tanh");
  EXPECT_EQ(c.model.layers[0].where.line, 8);

  Generator init(1);
  nn::ModulePtr model = config::build_model(c, {3}, &init);
  const nn::ModelSummary s = nn::summary(*model, {3});
  ASSERT_EQ(s.layers.size(), 3u);  // Linear, Tanh, Linear
  EXPECT_EQ(s.layers[1].type, "Tanh");
  EXPECT_EQ(s.total_parameters, 3 * 8 + 8 + 8 * 2 + 2);
  EXPECT_EQ(model->spec().children[2].second.get_int("in_features"), 8);  // inferred
}

TEST(Config, BuildersFollowTheSettings) {
  TempDir dir;
  const config::RunConfig c = config::load_config(dir.write("c.toml", std::string(kMinimal) + R"(
[optimizer]
type = "sgd"
lr = 0.5
nesterov = true
momentum = 0.9

[schedule]
type = "step"
step_size = 2
gamma = 0.5
)"));
  nn::ModulePtr model = config::build_model(c, {3});
  auto opt = config::build_optimizer(c.optimizer, model->parameters());
  auto sgd = std::dynamic_pointer_cast<optim::SGD>(opt);
  ASSERT_TRUE(sgd);
  EXPECT_TRUE(sgd->options().nesterov);
  EXPECT_DOUBLE_EQ(sgd->options().momentum, 0.9);
  auto schedule = config::build_schedule(c.schedule, *opt, c.train.epochs);
  ASSERT_TRUE(schedule);
  schedule->step();
  schedule->step();
  EXPECT_DOUBLE_EQ(opt->lr(), 0.25);
}

TEST(Config, ErrorsNameFileLineAndKey) {
  TempDir dir;
  auto message = [&](const std::string& text) {
    const std::string path = dir.write("c.toml", text);
    return error_of([&] {
      const config::RunConfig c = config::load_config(path);
      config::build_model(c, {3});
    });
  };
  const std::string base = kMinimal;
  EXPECT_NE(message(base + "[train]\nepoch = 3\n").find("c.toml:16: unknown key 'epoch' in [train] (did you mean 'epochs'?)"),
            std::string::npos);
  EXPECT_NE(message(base + "[optimizer]\nlearning_rate = 3\n").find("(did you mean 'lr'?)"), std::string::npos);
  EXPECT_NE(message(base + "[loss]\ntype = 3\n").find("c.toml:16: [loss] type must be a string, got an integer"),
            std::string::npos);
  EXPECT_NE(message(base + "[train]\nmetrics = [\"acuracy\"]\n").find("c.toml:16: [train] metrics has a name it does not know"),
            std::string::npos);
  EXPECT_NE(message(base + "[bogus]\n").find("unknown key 'bogus' in the config"), std::string::npos);
  EXPECT_NE(message("[data]\nsource = \"csv\"\n").find("needs a [model] section"), std::string::npos);
  EXPECT_NE(message("[data]\nsource = \"csv\"\ntrain = 'a'\nlabel = 'y'\n[model]\n[[model.layers]]\ntype = \"Lnear\"\n")
                .find("c.toml:6: layer 1 (Lnear): unknown layer type 'Lnear' (known: "),
            std::string::npos);
  EXPECT_NE(message("[data]\nsource = \"csv\"\ntrain = 'a'\nlabel = 'y'\n[model]\n[[model.layers]]\ntype = \"Lnear\"\n")
                .find("(did you mean 'Linear'?)"),
            std::string::npos);
  EXPECT_NE(message("x = [1,\n").find("c.toml:"), std::string::npos);  // TOML syntax, with a line
}

TEST(Config, MissingDataFileIsNamedAtItsKey) {
  TempDir dir;
  const config::RunConfig c = config::load_config(dir.write("c.toml", kMinimal));
  EXPECT_NE(error_of([&] { config::load_data(c); }).find("c.toml:3: [data] train: no such file"), std::string::npos);
}

TEST(Config, StandardizesWithTrainingStatisticsAndSplits) {
  TempDir dir;
  std::string csv = "a,b,c,y\n";
  for (int i = 0; i < 20; ++i) csv += std::to_string(i) + ",1," + std::to_string(2 * i) + "," + std::to_string(i % 2) + "\n";
  dir.write("t.csv", csv);
  const config::RunConfig c = config::load_config(
      dir.write("c.toml", std::string(kMinimal).replace(std::string(kMinimal).find("label = \"y\""), 11,
                                                        "label = \"y\"\nstandardize = true\nvalidation_split = 0.25")));
  const config::PreparedData d = config::load_data(c);
  EXPECT_EQ(d.train->size(), 15);
  ASSERT_TRUE(d.validation);
  EXPECT_EQ(d.validation->size(), 5);
  EXPECT_EQ(d.input_shape, Shape{3});
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_TRUE(d.standardizer);
  const Tensor& x = std::dynamic_pointer_cast<const data::TensorDataset>(d.train)->inputs();
  double mean = 0;
  for (int64_t i = 0; i < 15; ++i) mean += x.at({i, 0});
  EXPECT_NEAR(mean / 15, 0, 1e-5);  // centred on the training part
  EXPECT_FLOAT_EQ(x.at({0, 1}), 0);  // a constant feature maps to 0
}

}  // namespace
}  // namespace myelin
