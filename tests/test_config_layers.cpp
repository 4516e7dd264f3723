// Every convolution-era layer built from a config: shapes inferred layer to layer, residual
// blocks with their branches, and [data.augment]; errors naming the layer and key.
#include <gtest/gtest.h>

#include "myelin/config/config.hpp"
#include "myelin/error.hpp"
#include "myelin/nn/summary.hpp"
#include "myelin/random.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using testing::TempDir;

const char* kData = R"([data]
source = "csv"
train = "t.csv"
label = "y"
)";

// The model of a config with `layers` (TOML [[model.layers]] tables) for inputs of `input`.
nn::ModulePtr model_of(const TempDir& dir, const std::string& layers, const Shape& input) {
  const config::RunConfig c = config::load_config(dir.write("c.toml", std::string(kData) + "[model]\n" + layers));
  Generator init(1);
  return config::build_model(c, input, &init);
}

// The layers (leaves) of a summary with their per-sample output shapes, "Type(shape)", in order.
std::vector<std::string> rows_of(nn::Module& model, const Shape& input) {
  std::vector<std::string> rows;
  for (const nn::LayerSummary& l : nn::summary(model, input).layers) rows.push_back(l.type + to_string(l.output_shape));
  return rows;
}

std::string error_of(const TempDir& dir, const std::string& layers, const Shape& input) {
  try {
    model_of(dir, layers, input);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ConfigLayers, OneDimensionalStackInfersEverySize) {
  TempDir dir;
  nn::ModulePtr m = model_of(dir, R"(
[[model.layers]]
type = "Conv1d"
out_channels = 4
kernel_size = 3
padding = "same"
[[model.layers]]
type = "BatchNorm1d"
activation = "relu"
[[model.layers]]
type = "MaxPool1d"
kernel_size = 2
[[model.layers]]
type = "GroupNorm"
num_groups = 2
[[model.layers]]
type = "AvgPool1d"
kernel_size = 2
[[model.layers]]
type = "LayerNorm"
[[model.layers]]
type = "Flatten"
[[model.layers]]
type = "Linear"
units = 3
)", {2, 16});
  EXPECT_EQ(rows_of(*m, {2, 16}),
            (std::vector<std::string>{"Conv1d(4, 16)", "BatchNorm1d(4, 16)", "ReLU(4, 16)", "MaxPool1d(4, 8)",
                                      "GroupNorm(4, 8)", "AvgPool1d(4, 4)", "LayerNorm(4, 4)", "Flatten(16,)",
                                      "Linear(3,)"}));
}

TEST(ConfigLayers, TwoDimensionalStackWithResidualBlocks) {
  TempDir dir;
  const std::string layers = R"(
[[model.layers]]
type = "Conv2d"
out_channels = 4
kernel_size = 3
padding = "same"
[[model.layers]]
type = "BatchNorm2d"
activation = "relu"
[[model.layers]]
type = "Residual"
activation = "relu"
  [[model.layers.body]]
  type = "Conv2d"
  out_channels = 8
  kernel_size = 3
  stride = 2
  padding = 1
  [[model.layers.body]]
  type = "GroupNorm"
  num_groups = 4
  [[model.layers.shortcut]]
  type = "Conv2d"
  out_channels = 8
  kernel_size = 1
  stride = 2
[[model.layers]]
type = "Residual"
  [[model.layers.body]]
  type = "Conv2d"
  out_channels = 8
  kernel_size = 3
  padding = "same"
[[model.layers]]
type = "Upsample"
scale_factor = 2
[[model.layers]]
type = "ConvTranspose2d"
out_channels = 2
kernel_size = 2
stride = 2
[[model.layers]]
type = "MaxPool2d"
kernel_size = 2
[[model.layers]]
type = "AvgPool2d"
kernel_size = 2
[[model.layers]]
type = "AdaptiveAvgPool2d"
output_size = 2
[[model.layers]]
type = "GlobalAvgPool2d"
[[model.layers]]
type = "Linear"
units = 3
)";
  nn::ModulePtr m = model_of(dir, layers, {1, 8, 8});
  EXPECT_EQ(rows_of(*m, {1, 8, 8}),
            (std::vector<std::string>{"Conv2d(4, 8, 8)", "BatchNorm2d(4, 8, 8)", "ReLU(4, 8, 8)",
                                      "Conv2d(8, 4, 4)", "GroupNorm(8, 4, 4)",  // body, then shortcut
                                      "Conv2d(8, 4, 4)", "ReLU(8, 4, 4)",  // after the sum
                                      "Conv2d(8, 4, 4)",                   // identity shortcut
                                      "Upsample(8, 8, 8)", "ConvTranspose2d(2, 16, 16)", "MaxPool2d(2, 8, 8)",
                                      "AvgPool2d(2, 4, 4)", "AdaptiveAvgPool2d(2, 2, 2)", "GlobalAvgPool2d(2,)",
                                      "Linear(3,)"}));
  // Parameter names follow PyTorch's nesting, so the model file loads like any other.
  const auto params = m->named_parameters();
  std::vector<std::string> names;
  for (const auto& [name, p] : params) names.push_back(name);
  EXPECT_NE(std::find(names.begin(), names.end(), "3.body.1.weight"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "3.shortcut.0.weight"), names.end());
  // Built again from its own spec (as a model file is read), the model has the same shapes.
  nn::ModulePtr again = nn::build_module(m->spec());
  EXPECT_EQ(rows_of(*again, {1, 8, 8}), rows_of(*m, {1, 8, 8}));
}

TEST(ConfigLayers, ResidualErrorsNameTheBlock) {
  TempDir dir;
  const std::string mismatch = error_of(dir, R"(
[[model.layers]]
type = "Residual"
  [[model.layers.body]]
  type = "Conv2d"
  out_channels = 4
  kernel_size = 3
  stride = 2
  padding = 1
)", {1, 8, 8});
  EXPECT_NE(mismatch.find("c.toml:7: layer 1 (Residual): the body gives (4, 4, 4) but the shortcut (the identity"),
            std::string::npos) << mismatch;
  const std::string inner = error_of(dir, R"(
[[model.layers]]
type = "Residual"
  [[model.layers.body]]
  type = "Conv2d"
  kernel_size = 3
)", {1, 8, 8});
  EXPECT_NE(inner.find("layer 1 (Residual), body layer 1 (Conv2d): "), std::string::npos) << inner;
  EXPECT_NE(inner.find("out_channels"), std::string::npos) << inner;
  EXPECT_NE(error_of(dir, "[[model.layers]]\ntype = \"Residual\"\n", {1, 8, 8}).find("layer 1 (Residual) needs its body"),
            std::string::npos);
  EXPECT_NE(error_of(dir, "[[model.layers]]\ntype = \"Residual\"\nunits = 3\n[[model.layers.body]]\ntype = \"ReLU\"\n",
                     {4}).find("c.toml:8: layer 1 (Residual): unknown setting 'units'"),
            std::string::npos);
  EXPECT_NE(error_of(dir, "[[model.layers]]\ntype = \"Residual\"\nbody = 3\n", {4}).find("body must be a list of layer tables"),
            std::string::npos);
}

TEST(ConfigLayers, AugmentKeysAreReadAndChecked) {
  TempDir dir;
  const std::string data = "[data]\nsource = \"fashion_mnist\"\nflatten = false\n[data.augment]\n";
  const std::string model = "[model]\n[[model.layers]]\ntype = \"Flatten\"\n";
  const config::RunConfig c = config::load_config(dir.write(
      "c.toml", data + "crop_padding = 2\nhorizontal_flip = true\nmax_shift = 0.1\nmax_rotation = 10\n"
                       "erase_probability = 0.5\n" + model));
  EXPECT_EQ(c.data.augment.crop_padding, 2);
  EXPECT_TRUE(c.data.augment.horizontal_flip);
  EXPECT_FLOAT_EQ(c.data.augment.max_shift, 0.1f);
  EXPECT_FLOAT_EQ(c.data.augment.max_rotation, 10);
  EXPECT_FLOAT_EQ(c.data.augment.erase_probability, 0.5f);
  auto message = [&](const std::string& text) {
    try {
      config::load_config(dir.write("c.toml", text));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message(data + "crop_padding = -1\n" + model).find("c.toml:5: [data.augment] crop_padding must not be negative"),
            std::string::npos);
  EXPECT_NE(message(data + "max_shift = 1.5\n" + model).find("max_shift must be in [0, 1)"), std::string::npos);
  EXPECT_NE(message(data + "flip = true\n" + model).find("unknown key 'flip' in [data.augment]"), std::string::npos);
  EXPECT_NE(message(std::string(kData) + "[data.augment]\nhorizontal_flip = true\n" + model)
                .find("augment moves the pixels of images"),
            std::string::npos);
}

}  // namespace
}  // namespace myelin
