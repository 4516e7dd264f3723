// network_svg: neurons and weights of small and large MLPs, folded activation tags, boxes for
// conv-style and unknown layers, text escaping.
#include <gtest/gtest.h>

#include "myelin/error.hpp"
#include "myelin/nn/activation.hpp"
#include "myelin/nn/dropout.hpp"
#include "myelin/nn/flatten.hpp"
#include "myelin/nn/linear.hpp"
#include "myelin/nn/sequential.hpp"
#include "myelin/viz/network.hpp"
#include "xml_tree.hpp"

namespace myelin::viz {
namespace {

using testing::contains;
using testing::count;
using testing::parse_xml;
using testing::texts;
using testing::XmlElement;

nn::ModelSummary mlp_summary(const std::vector<int64_t>& sizes, bool dropout = false) {
  nn::Sequential net;
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    net.add<nn::Linear>(sizes[i], sizes[i + 1]);
    if (i + 2 < sizes.size()) {
      net.add<nn::ReLU>();
      if (dropout) net.add<nn::Dropout>(0.25);
    }
  }
  return nn::summary(net, {sizes.front()});
}

// A summary row written by hand: the drawer needs only the summary, not the layer classes.
void add_row(nn::ModelSummary& s, std::string name, std::string type, Shape shape, int64_t params) {
  s.layers.push_back({std::move(name), std::move(type), std::move(shape), params, 0, ""});
  s.total_parameters += params;
}

size_t element_count(const XmlElement& root) {
  return root.find_all([](const XmlElement&) { return true; }).size();
}

TEST(VizNetwork, SmallMlpDrawsEveryNeuronAndWeight) {
  const XmlElement svg = parse_xml(network_svg(mlp_summary({3, 4, 2})));
  EXPECT_EQ(count(svg, "circle", "neuron"), 3u + 4u + 2u);
  EXPECT_EQ(count(svg, "circle", "input"), 3u);
  EXPECT_EQ(count(svg, "circle", "output"), 2u);
  EXPECT_EQ(count(svg, "line", "channel"), 3u * 4u + 4u * 2u);
  EXPECT_EQ(count(svg, "text", "ellipsis"), 0u);
  const auto all = texts(svg);
  for (const char* s :
       {"Network: Sequential", "Input layer", "Hidden layer", "Output layer", "Input", "Linear",
        "3 neurons", "4 neurons", "2 neurons", "16 params", "10 params", "ReLU",
        "26 parameters (26 trainable) · 104 bytes as float32 · 40 FLOPs per sample"})
    EXPECT_TRUE(contains(all, s)) << s;
  // The activation is a tag under the hidden column, not a column of its own.
  EXPECT_EQ(texts(svg, "type"), (std::vector<std::string>{"Input", "Linear", "Linear"}));
  EXPECT_EQ(texts(svg, "tag-text"), (std::vector<std::string>{"ReLU"}));
}

TEST(VizNetwork, LargeMlpIsDrawnCompactly) {
  const XmlElement svg = parse_xml(network_svg(mlp_summary({784, 512, 256, 10}, true)));
  EXPECT_EQ(count(svg, "circle", "neuron"), 10u + 10u + 10u + 10u);
  EXPECT_EQ(count(svg, "text", "ellipsis"), 3u);  // all but the 10 outputs
  EXPECT_EQ(count(svg, "line", "channel"), 3u * 100u);
  EXPECT_LT(element_count(svg), 450u);
  const auto all = texts(svg);
  for (const char* s :
       {"784 neurons", "512 neurons", "256 neurons", "10 neurons", "401,920 params",
        "Hidden layer 1", "Hidden layer 2", "Dropout",
        "535,818 parameters (535,818 trainable) · 2.04 MB as float32 · 1,070,080 FLOPs per "
        "sample"})
    EXPECT_TRUE(contains(all, s)) << s;
  EXPECT_EQ(count(svg, "rect", "tag"), 4u);  // ReLU and Dropout under each hidden layer

  const XmlElement tight = parse_xml(network_svg(mlp_summary({784, 512, 10}), {"", 4, {}, {}}));
  EXPECT_EQ(count(tight, "circle", "neuron"), 4u + 4u + 4u);
  EXPECT_THROW(network_svg(mlp_summary({3, 2}), {"", 2, {}, {}}), Error);
}

TEST(VizNetwork, FlattenedImageInputIsABoxThenNeurons) {
  nn::Sequential net;
  net.add<nn::Flatten>();
  net.add<nn::Linear>(784, 16);
  net.add<nn::Tanh>();
  net.add<nn::Linear>(16, 10);
  net.add<nn::Softmax>(1);
  const XmlElement svg = parse_xml(network_svg(nn::summary(net, {1, 28, 28})));
  EXPECT_EQ(count(svg, "rect", "box"), 1u);            // the 1×28×28 input
  EXPECT_EQ(count(svg, "polygon", "arrow-head"), 1u);  // input -> Flatten is a reshape, no weights
  EXPECT_EQ(count(svg, "line", "channel"), 10u * 10u + 10u * 10u);
  const auto all = texts(svg);
  for (const char* s : {"1×28×28", "Flatten", "784 neurons", "Tanh", "Softmax"})
    EXPECT_TRUE(contains(all, s)) << s;
}

TEST(VizNetwork, ConvAndUnknownLayersAreLabelledBoxes) {
  // Written by hand: the drawer needs only the summary, not the layer classes.
  nn::ModelSummary s;
  s.type = "MyNet";
  s.input_shape = {1, 28, 28};
  const auto layer = [&](std::string name, std::string type, Shape shape, int64_t params) {
    add_row(s, std::move(name), std::move(type), std::move(shape), params);
  };
  layer("conv", "Conv2d", {32, 26, 26}, 320);
  layer("bn", "BatchNorm2d", {32, 26, 26}, 64);
  layer("act", "ReLU", {32, 26, 26}, 0);
  layer("pool", "MaxPool2d", {32, 13, 13}, 0);
  layer("mystery", "Wibble", {7, 3}, 12);
  layer("", "Squeeze", {}, 0);
  layer("flat", "Flatten", {21}, 0);
  layer("fc", "Linear", {10}, 220);
  s.output_shape = {10};
  const XmlElement svg = parse_xml(network_svg(s));
  EXPECT_EQ(texts(svg, "type"), (std::vector<std::string>{"Input", "Conv2d", "MaxPool2d", "Wibble",
                                                          "Squeeze", "Flatten", "Linear"}));
  EXPECT_EQ(count(svg, "rect", "box"), 5u);
  EXPECT_EQ(texts(svg, "tag-text"), (std::vector<std::string>{"BatchNorm2d", "ReLU"}));
  const auto sizes = texts(svg, "size");
  for (const char* t : {"32×26×26", "32×13×13", "7×3", "scalar", "21 neurons", "10 neurons"})
    EXPECT_TRUE(contains(sizes, t)) << t;
  EXPECT_EQ(count(svg, "line", "channel"), 10u * 10u);  // only Flatten -> Linear
  // Pooling shrinks the feature map, and so the box.
  const auto boxes = svg.find_all([](const XmlElement& e) { return e.has_class("box"); });
  EXPECT_GT(std::stod(boxes[1]->attributes.at("height")),
            std::stod(boxes[2]->attributes.at("height")));
}

TEST(VizNetwork, ResidualBlocksAreOneBoxEach) {
  nn::ModelSummary s;
  s.type = "ResNet";
  s.input_shape = {32, 14, 14};
  const auto layer = [&](std::string name, std::string type, Shape shape, int64_t params) {
    add_row(s, std::move(name), std::move(type), std::move(shape), params);
  };
  layer("0.body.0", "Conv2d", {32, 14, 14}, 9216);
  layer("0.body.1", "BatchNorm2d", {32, 14, 14}, 64);
  layer("1", "ReLU", {32, 14, 14}, 0);
  layer("2.body.0", "Conv2d", {64, 7, 7}, 18432);
  layer("2.shortcut.0", "Conv2d", {64, 7, 7}, 2048);
  layer("2.shortcut.1", "BatchNorm2d", {64, 7, 7}, 128);
  layer("3", "GlobalAvgPool2d", {64}, 0);
  s.output_shape = {64};
  const XmlElement svg = parse_xml(network_svg(s));
  EXPECT_EQ(texts(svg, "type"), (std::vector<std::string>{"Input", "Residual", "Residual", "GlobalAvgPool2d"}));
  EXPECT_EQ(texts(svg, "tag-text"), (std::vector<std::string>{"+ x", "ReLU", "+ Conv2d(x)"}));
  const auto sizes = texts(svg, "size");
  EXPECT_TRUE(contains(sizes, "64×7×7"));
  EXPECT_TRUE(contains(texts(svg, "params"), "20,608 params"));  // the second block's three layers
}

TEST(VizNetwork, NamesAndTitleAreEscaped) {
  NetworkDrawOptions options;
  options.title = "a <b> & \"c\"";
  options.input_names = {"x&y", "<z>", "w"};
  options.output_names = {"<&>", "cat"};
  const XmlElement svg = parse_xml(network_svg(mlp_summary({3, 4, 2}), options));
  EXPECT_TRUE(contains(texts(svg, "title"), "a <b> & \"c\""));
  EXPECT_EQ(texts(svg, "input-name"), (std::vector<std::string>{"x&y", "<z>", "w"}));
  EXPECT_EQ(texts(svg, "output-name"), (std::vector<std::string>{"<&>", "cat"}));
}

}  // namespace
}  // namespace myelin::viz
