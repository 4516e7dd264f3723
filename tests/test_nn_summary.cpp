// summary(): rows, per-sample shapes, parameter and FLOP totals, the printed table, and that
// the model is left as it was.
#include <gtest/gtest.h>

#include <sstream>

#include "myelin/myelin.hpp"

namespace myelin::nn {
namespace {

std::shared_ptr<Sequential> mlp() {  // 784-512-256-10
  auto net = std::make_shared<Sequential>();
  net->add<Linear>(784, 512);
  net->add<ReLU>();
  net->add<Linear>(512, 256);
  net->add<ReLU>();
  net->add<Linear>(256, 10);
  return net;
}

TEST(NnSummary, MlpRowsShapesAndTotals) {
  auto net = mlp();
  const ModelSummary s = summary(*net, {784});
  ASSERT_EQ(s.layers.size(), 5u);
  const std::vector<std::string> names = {"0", "1", "2", "3", "4"};
  const std::vector<std::string> types = {"Linear", "ReLU", "Linear", "ReLU", "Linear"};
  const std::vector<Shape> shapes = {{512}, {512}, {256}, {256}, {10}};
  const std::vector<int64_t> params = {401920, 0, 131328, 0, 2570};
  const std::vector<int64_t> flops = {2 * 784 * 512, 0, 2 * 512 * 256, 0, 2 * 256 * 10};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(s.layers[i].name, names[i]);
    EXPECT_EQ(s.layers[i].type, types[i]);
    EXPECT_EQ(s.layers[i].output_shape, shapes[i]) << i;
    EXPECT_EQ(s.layers[i].num_parameters, params[i]) << i;
    EXPECT_EQ(s.layers[i].flops, flops[i]) << i;
  }
  EXPECT_EQ(s.layers[0].settings, "in_features=784, out_features=512, bias=true");
  EXPECT_EQ(s.type, "Sequential");
  EXPECT_EQ(s.input_shape, (Shape{784}));
  EXPECT_EQ(s.output_shape, (Shape{10}));
  EXPECT_EQ(s.total_parameters, 535818);
  EXPECT_EQ(s.trainable_parameters, 535818);
  EXPECT_EQ(s.total_flops, 1070080);

  net->at(4)->named_parameters()[1].second.requires_grad_(false);  // freeze the last bias
  EXPECT_EQ(summary(*net, {784}).trainable_parameters, 535818 - 10);
}

TEST(NnSummary, TableIsAlignedAndHasTotals) {
  auto net = mlp();
  const std::string text = to_string(summary(*net, {784}));
  EXPECT_NE(text.find("Total params: 535,818 (2.04 MB)"), std::string::npos) << text;
  EXPECT_NE(text.find("Trainable params: 535,818"), std::string::npos) << text;
  EXPECT_NE(text.find("Non-trainable params: 0"), std::string::npos) << text;
  EXPECT_NE(text.find("FLOPs per sample: 1,070,080"), std::string::npos) << text;
  EXPECT_NE(text.find("(N, 784)"), std::string::npos) << text;

  // Every row's parameter count ends where the "Param #" header ends.
  std::istringstream lines(text);
  std::string line;
  size_t param_end = std::string::npos;
  int rows = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("Layer (type)", 0) == 0) param_end = line.find("Param #") + 7;
    const size_t paren = line.find(" (Linear)");
    if (paren == std::string::npos && line.find(" (ReLU)") == std::string::npos) continue;
    ++rows;
    ASSERT_NE(param_end, std::string::npos);
    EXPECT_NE(line[param_end - 1], ' ') << line;
    EXPECT_EQ(line[param_end], ' ') << line;
    EXPECT_NE(line.find("(N, "), std::string::npos) << line;
  }
  EXPECT_EQ(rows, 5);
  EXPECT_NE(text.find("401,920"), std::string::npos) << text;
}

// A container that is not a Sequential: y = x + body(x). Its layers still get rows.
class Residual : public Module {
 public:
  explicit Residual(ModulePtr body) : body_(register_module("body", std::move(body))) {}
  Tensor forward(const Tensor& x) override { return x + (*body_)(x); }
  std::string type_name() const override { return "Residual"; }

 private:
  ModulePtr body_;
};

TEST(NnSummary, NestedAndCustomContainersReportTheirLayers) {
  auto inner = std::make_shared<Sequential>();
  inner->add<Linear>(12, 12);
  inner->add<Dropout>(0.5);
  auto net = std::make_shared<Sequential>();
  net->add<Flatten>();
  net->add<Residual>(inner);
  net->add<Linear>(12, 2);
  const ModelSummary s = summary(*net, {3, 4});
  ASSERT_EQ(s.layers.size(), 4u);
  EXPECT_EQ(s.layers[0].name, "0");
  EXPECT_EQ(s.layers[0].output_shape, (Shape{12}));
  EXPECT_EQ(s.layers[1].name, "1.body.0");
  EXPECT_EQ(s.layers[2].name, "1.body.1");
  EXPECT_EQ(s.layers[2].type, "Dropout");
  EXPECT_EQ(s.layers[3].name, "2");
  EXPECT_EQ(s.output_shape, (Shape{2}));
  EXPECT_EQ(s.total_parameters, 12 * 12 + 12 + 12 * 2 + 2);

  Linear lone(3, 2);
  const ModelSummary one = summary(lone, {3});
  ASSERT_EQ(one.layers.size(), 1u);
  EXPECT_EQ(one.layers[0].name, "");
  EXPECT_NE(to_string(one).find("(Linear)"), std::string::npos);
}

TEST(NnSummary, LeavesModesGradientsAndRandomStateAlone) {
  auto net = std::make_shared<Sequential>();
  net->add<Linear>(4, 4);
  auto& drop = net->add<Dropout>(0.5);
  net->train();
  drop.eval();  // a mixed state must survive
  auto& other = net->add<Dropout>(0.5);
  const std::string rng_before = default_generator().state();
  summary(*net, {4});
  EXPECT_TRUE(net->is_training());
  EXPECT_TRUE((*net)[0].is_training());
  EXPECT_FALSE(drop.is_training());
  EXPECT_TRUE(other.is_training());
  EXPECT_EQ(default_generator().state(), rng_before);
  for (const Tensor& p : net->parameters()) EXPECT_FALSE(p.grad().defined());
}

TEST(NnSummary, WrongInputShapeNamesTheLastLayerThatRan) {
  Sequential net;
  net.add<Linear>(4, 3);
  net.add<ReLU>();
  net.add<Linear>(5, 2);  // does not fit the 3 features before it
  try {
    summary(net, {4});
    FAIL() << "a 3-feature input was accepted by Linear(5, 2)";
  } catch (const ShapeError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("summary: forward of input (N, 4) failed after layer 1 (ReLU): linear:"),
              std::string::npos) << msg;
  }
  EXPECT_TRUE(net.is_training());
  EXPECT_THROW(summary(net, {-1}), ShapeError);
}

}  // namespace
}  // namespace myelin::nn
