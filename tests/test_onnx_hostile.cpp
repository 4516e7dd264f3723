// ONNX import of hostile models: attributes and ranks that disagree, missing inputs, values
// out of range. Each must be a clear error naming the file and the node, never a crash
// (onnx_fuzz found libonnx's shape inference dereferencing null on such a Conv).
#include <gtest/gtest.h>

#include <limits>

#include "myelin/error.hpp"
#include "myelin/io/onnx.hpp"
#include "expect_error.hpp"
#include "onnx_one_node.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using Ints = std::vector<int64_t>;
using onnx_io::attr;
using testing::OneNode;

OneNode conv(const Ints& x_shape, const Shape& w_shape, std::vector<onnx::AttributeProto> attrs = {}) {
  return {"Conv", x_shape, {{"w", Tensor::ones(w_shape)}}, std::move(attrs), {"x", "w"}};
}

OneNode max_pool(const Ints& x_shape, std::vector<onnx::AttributeProto> attrs) {
  return {"MaxPool", x_shape, {}, std::move(attrs)};
}

// onnx_fuzz's finding: a Conv of a 3x3 weight on an input declared (1, 1) with 4 pads.
TEST(OnnxHostile, TheFuzzerFindingIsAClearError) {
  const std::string path = std::string(MYELIN_FIXTURE_DIR) + "/onnx_fuzz/crash-conv-shape.onnx";
  testing::expect_error([&] { io::import_onnx(path); },
                        {"crash-conv-shape.onnx", "node 0", "(Conv)", "input 'x' has rank 2, expected 4"});
}

TEST(OnnxHostile, ConvWhoseWeightAndInputDisagree) {
  testing::TempDir dir;
  // A 2-d weight on a 1-d input, and the other way round.
  const std::string a = conv({1, 1, 5}, {1, 1, 3, 3}).write(dir, "a.onnx");
  testing::expect_error([&] { io::import_onnx(a); }, {"a.onnx", "'node' (Conv)", "rank 3, expected 4"});
  const std::string b = conv({1, 1, 5, 5}, {1, 1, 3}).write(dir, "b.onnx");
  testing::expect_error([&] { io::import_onnx(b); }, {"b.onnx", "(Conv)", "rank 4, expected 3"});
  // kernel_shape longer than the input's spatial axes.
  const std::string c = conv({1, 1, 5, 5}, {1, 1, 3, 3}, {attr("kernel_shape", Ints{3, 3, 3})}).write(dir, "c.onnx");
  testing::expect_error([&] { io::import_onnx(c); }, {"c.onnx", "(Conv)", "kernel_shape does not match the weight"});
  // A weight of one axis.
  const std::string d = conv({1, 1, 5, 5}, {9}).write(dir, "d.onnx");
  testing::expect_error([&] { io::import_onnx(d); }, {"d.onnx", "(Conv)", "weight (9,)"});
}

TEST(OnnxHostile, ConvSettingsOutOfRange) {
  testing::TempDir dir;
  const Ints x{1, 2, 5, 5};
  const Shape w{2, 1, 3, 3};
  const struct {
    onnx::AttributeProto a;
    const char* error;
  } cases[] = {
      {attr("pads", Ints{-1, -1, -1, -1}), "pads value -1 is outside [0, 2^31]"},
      {attr("pads", Ints{1, 1}), "pads has 2 values, expected 4"},
      {attr("strides", Ints{0, 1}), "strides value 0 is outside [1, 2^31]"},
      {attr("strides", Ints{1, 1, 1}), "strides has 3 values, expected 2"},
      {attr("dilations", Ints{1, int64_t{1} << 62}), "dilations value 4611686018427387904 is outside"},
      {attr("group", int64_t{0}), "group 0 must be in [1, 2]"},
      {attr("group", int64_t{1} << 62), "group 4611686018427387904 must be in [1, 2]"},
  };
  for (const auto& c : cases) {
    const std::string path = conv(x, w, {c.a}).write(dir, "conv.onnx");
    testing::expect_error([&] { io::import_onnx(path); }, {"conv.onnx", "(Conv)", c.error});
  }
}

// Conv needs its weight: absent it is the checker's error, an empty name (an optional input
// left out) the importer's.
TEST(OnnxHostile, ConvWithoutItsWeight) {
  testing::TempDir dir;
  OneNode n = conv({1, 1, 5, 5}, {1, 1, 3, 3});
  n.inputs = {"x"};
  const std::string absent = n.write(dir, "absent.onnx");
  testing::expect_error<IoError>([&] { io::import_onnx(absent); }, {"absent.onnx", "Conv"});
  n.inputs = {"x", ""};
  const std::string empty = n.write(dir, "empty.onnx");
  testing::expect_error([&] { io::import_onnx(empty); }, {"empty.onnx", "Conv"});
}

TEST(OnnxHostile, PoolsWhoseKernelAndInputDisagree) {
  testing::TempDir dir;
  const std::string a = max_pool({1, 1, 5}, {attr("kernel_shape", Ints{2, 2})}).write(dir, "a.onnx");
  testing::expect_error([&] { io::import_onnx(a); }, {"a.onnx", "(MaxPool)", "rank 3, expected 4"});
  const std::string b = max_pool({1, 1, 5, 5}, {attr("kernel_shape", Ints{2, 2}), attr("pads", Ints{1, 1, 1})})
                            .write(dir, "b.onnx");
  testing::expect_error([&] { io::import_onnx(b); }, {"b.onnx", "(MaxPool)", "pads has 3 values, expected 4"});
  const std::string c = max_pool({1, 1, 5, 5}, {attr("kernel_shape", Ints{0, 2})}).write(dir, "c.onnx");
  testing::expect_error([&] { io::import_onnx(c); }, {"c.onnx", "(MaxPool)", "kernel_shape value 0"});
  const std::string d = max_pool({1, 1, 5, 5}, {}).write(dir, "d.onnx");
  testing::expect_error([&] { io::import_onnx(d); }, {"d.onnx", "kernel_shape"});
}

// Ops the importer does not read are refused before anything interprets their attributes
// (libonnx's inference for LpPool shares the crashing code).
TEST(OnnxHostile, UnreadOpsAreRefusedUnread) {
  testing::TempDir dir;
  const std::string path = OneNode{"LpPool", {1, 1}, {}, {attr("kernel_shape", Ints{3, 3, 3})}}.write(dir, "lp.onnx");
  testing::expect_error([&] { io::import_onnx(path); }, {"lp.onnx", "(LpPool)", "not supported"});
}

TEST(OnnxHostile, GemmAndFlattenCheckTheInputRank) {
  testing::TempDir dir;
  // Gemm reads matrices; Flatten's axis must lie within the input's rank.
  const std::string a = OneNode{"Gemm", {2, 3, 4}, {{"b", Tensor::ones({4, 2})}}, {}, {"x", "b"}}.write(dir, "a.onnx");
  testing::expect_error([&] { io::import_onnx(a); }, {"a.onnx", "(Gemm)", "rank 3, expected 2"});
  const std::string b = OneNode{"Flatten", {2, 3}, {}, {attr("axis", int64_t{5})}}.write(dir, "b.onnx");
  testing::expect_error([&] { io::import_onnx(b); }, {"b.onnx", "(Flatten)", "axis 5 is outside"});
}

// hidden_size and layout come before any arithmetic on them.
TEST(OnnxHostile, RecurrentSettingsOutOfRange) {
  testing::TempDir dir;
  const auto lstm = [&](const std::vector<onnx::AttributeProto>& attrs, const std::string& name) {
    return OneNode{"LSTM", {5, 2, 3}, {{"w", Tensor::ones({1, 8, 3})}, {"r", Tensor::ones({1, 8, 2})}}, attrs,
                   {"x", "w", "r"}}
        .write(dir, name);
  };
  const std::string a = lstm({attr("hidden_size", int64_t{1} << 62)}, "a.onnx");
  testing::expect_error([&] { io::import_onnx(a); }, {"a.onnx", "(LSTM)", "hidden_size 4611686018427387904 does not fit R"});
  const std::string b = lstm({attr("hidden_size", int64_t{2}), attr("layout", int64_t{7})}, "b.onnx");
  testing::expect_error([&] { io::import_onnx(b); }, {"b.onnx", "(LSTM)", "layout 7 must be 0 or 1"});
}

TEST(OnnxHostile, LayerNormAxisAtTheInt64Limit) {
  testing::TempDir dir;
  const std::string path = OneNode{"LayerNormalization", {2, 3}, {{"s", Tensor::ones({3})}},
                                   {attr("axis", std::numeric_limits<int64_t>::min())}, {"x", "s"}}
                               .write(dir, "ln.onnx");
  testing::expect_error([&] { io::import_onnx(path); }, {"ln.onnx", "(LayerNormalization)", "Scale (3,)"});
}

// Reshape's shape is a constant list of integer sizes, its 0s within the input's rank.
TEST(OnnxHostile, ReshapeShapesOutOfRange) {
  testing::TempDir dir;
  const auto reshape = [&](const Tensor& shape, const std::string& name) {
    return OneNode{"Reshape", {2, 3}, {{"s", shape}}, {}, {"x", "s"}}.write(dir, name);
  };
  const std::string a = reshape(Tensor::from_vector({0.f, 0.f, 0.f}, {3}), "a.onnx");
  testing::expect_error([&] { io::import_onnx(a); }, {"a.onnx", "(Reshape)", "copies (0) dimension 2"});
  const std::string b = reshape(Tensor::from_vector({-3.f, 2.f}, {2}), "b.onnx");
  testing::expect_error([&] { io::import_onnx(b); }, {"b.onnx", "(Reshape)", "not an integer in [-1, 2^24]"});
  const std::string c = reshape(Tensor::from_vector({1e30f}, {1}), "c.onnx");
  testing::expect_error([&] { io::import_onnx(c); }, {"c.onnx", "(Reshape)", "not an integer"});
  const std::string d = reshape(Tensor::from_vector({2.f, 3.f}, {1, 2}), "d.onnx");
  testing::expect_error([&] { io::import_onnx(d); }, {"d.onnx", "(Reshape)", "must be a list"});
  const std::string e = reshape(Tensor::from_vector({-1.f, -1.f}, {2}), "e.onnx");
  testing::expect_error([&] { io::import_onnx(e); }, {"e.onnx", "(Reshape)", "at most one -1"});
}

}  // namespace
}  // namespace myelin
