// ONNX import checks the shapes through the whole chain (a zero input of the declared shape
// runs through each layer as it is built) and refuses graphs myelin cannot represent: more
// than one input, an input of a non-float type, an opset newer than it knows, ops of another
// domain. Each error names the file and the node (index, name, op type) or the input.
#include <gtest/gtest.h>

#include <filesystem>

#include "expect_error.hpp"
#include "myelin/autograd.hpp"
#include "myelin/io/onnx.hpp"
#include "onnx/proto.hpp"
#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using Ints = std::vector<int64_t>;
using onnx_io::attr;

// A graph input: name, element type, dimensions (-1: symbolic).
struct Input {
  std::string name;
  int32_t type = onnx::TensorProto::FLOAT;
  Ints dims;
};

// Chain: an ONNX model written with the protobuf messages, node by node.
struct Chain {
  std::vector<Input> inputs{{"x", onnx::TensorProto::FLOAT, {-1, 4}}};
  int64_t opset = 17;
  onnx::ModelProto model;

  Chain() {
    model.set_ir_version(8);
    model.mutable_graph()->set_name("g");
  }
  // Adds a node reading `in` (names of values or initializers) and writing `out`.
  onnx::NodeProto& node(const std::string& op, const std::string& name, const std::vector<std::string>& in,
                        const std::string& out, const std::vector<onnx::AttributeProto>& attrs = {}) {
    onnx::NodeProto& n = *model.mutable_graph()->add_node();
    n.set_op_type(op);
    n.set_name(name);
    for (const std::string& i : in) n.add_input(i);
    n.add_output(out);
    for (const auto& a : attrs) *n.add_attribute() = a;
    return n;
  }
  void weight(const std::string& name, const Tensor& t) {
    *model.mutable_graph()->add_initializer() = onnx_io::to_proto(name, t);
  }
  std::string write(const testing::TempDir& dir, const std::string& file, const std::string& output) {
    onnx::GraphProto& g = *model.mutable_graph();
    model.add_opset_import()->set_version(opset);
    for (const Input& in : inputs) {
      onnx::ValueInfoProto& v = *g.add_input();
      v.set_name(in.name);
      auto* type = v.mutable_type()->mutable_tensor_type();
      type->set_elem_type(in.type);
      for (int64_t d : in.dims) {
        auto* dim = type->mutable_shape()->add_dim();
        if (d >= 1) dim->set_dim_value(d);
        else dim->set_dim_param("d" + std::to_string(type->shape().dim_size()));
      }
    }
    onnx::ValueInfoProto& y = *g.add_output();
    y.set_name(output);
    y.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    y.mutable_type()->mutable_tensor_type()->mutable_shape();
    return dir.write(file, model.SerializeAsString());
  }
};

// x (N, 4) -> Gemm to 8 units -> Relu -> Gemm of weight (3, second_in): fits when second_in is 8.
Chain two_gemms(int64_t second_in) {
  Chain c;
  c.weight("w1", Tensor::ones({8, 4}));
  c.weight("b1", Tensor::zeros({8}));
  c.weight("w2", Tensor::ones({3, second_in}));
  c.node("Gemm", "fc1", {"x", "w1", "b1"}, "h1", {attr("transB", int64_t{1})});
  c.node("Relu", "act", {"h1"}, "h2");
  c.node("Gemm", "fc2", {"h2", "w2"}, "y", {attr("transB", int64_t{1})});
  return c;
}

TEST(OnnxImportShapes, WeightsThatDoNotFitThePreviousLayerAreRefusedAtTheirNode) {
  testing::TempDir dir;
  const std::string path = two_gemms(7).write(dir, "misfit.onnx", "y");
  testing::expect_error([&] { io::import_onnx(path); },
                        {path + ": ", "node 2 'fc2' (Gemm)", "graph input (N, 4)", "is (1, 8)",
                         "does not fit weight (3, 7)", "expected input (..., 7)"});
}

TEST(OnnxImportShapes, AChainThatFitsImportsAndPredicts) {
  testing::TempDir dir;
  const io::ImportedModel m = io::import_onnx(two_gemms(8).write(dir, "fit.onnx", "y"));
  EXPECT_EQ(m.input_shape, (Shape{-1, 4}));
  NoGradGuard no_grad;
  const Tensor y = (*m.module)(Tensor::ones({2, 4}));
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  EXPECT_EQ(y.data()[0], 8.f * 4.f);  // Relu(4 ones summed) = 4 in each of 8 units, summed by ones
}

// Through convolutions and a Flatten: (N, 2, 5, 5) -> Conv 3x3 to 4 channels (3 x 3) ->
// Flatten (36) -> Gemm that expects 30.
TEST(OnnxImportShapes, ConvolutionFlattenAndGemmAreCheckedTogether) {
  testing::TempDir dir;
  Chain c;
  c.inputs = {{"x", onnx::TensorProto::FLOAT, {-1, 2, 5, 5}}};
  c.weight("k", Tensor::ones({4, 2, 3, 3}));
  c.weight("w", Tensor::ones({10, 30}));
  c.node("Conv", "conv", {"x", "k"}, "h");
  c.node("Flatten", "flat", {"h"}, "f");
  c.node("Gemm", "head", {"f", "w"}, "y", {attr("transB", int64_t{1})});
  const std::string path = c.write(dir, "flat.onnx", "y");
  testing::expect_error([&] { io::import_onnx(path); },
                        {"flat.onnx", "node 2 'head' (Gemm)", "is (1, 36)", "expected input (..., 30)"});

  Chain channels;
  channels.inputs = {{"x", onnx::TensorProto::FLOAT, {-1, 3, 5, 5}}};
  channels.weight("k", Tensor::ones({4, 2, 3, 3}));
  channels.node("Conv", "conv", {"x", "k"}, "y");
  const std::string wrong = channels.write(dir, "channels.onnx", "y");
  testing::expect_error([&] { io::import_onnx(wrong); }, {"channels.onnx", "node 0 'conv' (Conv)", "is (1, 3, 5, 5)"});
}

// A symbolic height and width are taken as 1 to probe; a 3x3 convolution refuses that size,
// which says nothing about the graph, so the model imports.
TEST(OnnxImportShapes, SymbolicSizesDoNotRefuseAValidModel) {
  testing::TempDir dir;
  Chain c;
  c.inputs = {{"x", onnx::TensorProto::FLOAT, {-1, 2, -1, -1}}};
  c.weight("k", Tensor::ones({4, 2, 3, 3}));
  c.node("Conv", "conv", {"x", "k"}, "y");
  const io::ImportedModel m = io::import_onnx(c.write(dir, "symbolic.onnx", "y"));
  NoGradGuard no_grad;
  EXPECT_EQ((*m.module)(Tensor::ones({1, 2, 6, 7})).shape(), (Shape{1, 4, 4, 5}));
}

TEST(OnnxImportShapes, ASecondGraphInputIsRefused) {
  testing::TempDir dir;
  Chain c = two_gemms(8);
  c.inputs.push_back({"mask", onnx::TensorProto::FLOAT, {-1, 4}});
  const std::string path = c.write(dir, "two.onnx", "y");
  testing::expect_error([&] { io::import_onnx(path); },
                        {"two.onnx", "2 inputs that are not constants ('x', 'mask')", "take one input"});
}

TEST(OnnxImportShapes, InputsOfOtherTypesAreRefused) {
  testing::TempDir dir;
  for (const auto type : {onnx::TensorProto::STRING, onnx::TensorProto::BOOL, onnx::TensorProto::COMPLEX64,
                          onnx::TensorProto::UINT64, onnx::TensorProto::INT64}) {
    Chain c = two_gemms(8);
    c.inputs[0].type = type;
    const std::string path = c.write(dir, "typed.onnx", "y");
    const std::string name = onnx::TensorProto::DataType_Name(type);
    testing::expect_error([&] { io::import_onnx(path); },
                          {"typed.onnx", "graph input 'x' holds " + name, "myelin's layers take float32"});
  }
  // Token ids read by a first Gather (an Embedding) are an integer input myelin represents.
  Chain ids;
  ids.inputs = {{"ids", onnx::TensorProto::INT64, {-1, 5}}};
  ids.weight("table", Tensor::ones({10, 3}));
  ids.node("Gather", "embed", {"table", "ids"}, "y");
  EXPECT_EQ(io::import_onnx(ids.write(dir, "ids.onnx", "y")).module->children().size(), 1u);
}

TEST(OnnxImportShapes, AnOpsetNewerThanTheImporterKnowsIsRefused) {
  testing::TempDir dir;
  Chain c = two_gemms(8);
  c.opset = 9999;
  const std::string path = c.write(dir, "future.onnx", "y");
  testing::expect_error([&] { io::import_onnx(path); },
                        {"future.onnx", "opset 9999", "newer than opset " + std::to_string(io::kOnnxOpset)});
}

TEST(OnnxImportShapes, OpsOfAnotherDomainAreRefused) {
  testing::TempDir dir;
  Chain c = two_gemms(8);
  c.model.mutable_graph()->mutable_node(1)->set_domain("com.example");
  auto* custom = c.model.add_opset_import();
  custom->set_domain("com.example");
  custom->set_version(1);
  const std::string path = c.write(dir, "custom.onnx", "y");
  testing::expect_error([&] { io::import_onnx(path); }, {"custom.onnx", "node 1 'act' (Relu)", "domain 'com.example'"});
}

TEST(OnnxImportShapes, AHugeDeclaredInputIsRefusedBeforeItIsAllocated) {
  testing::TempDir dir;
  Chain c = two_gemms(8);
  c.inputs[0].dims = {int64_t{1} << 20, int64_t{1} << 20};
  const std::string path = c.write(dir, "huge.onnx", "y");
  testing::expect_error([&] { io::import_onnx(path); }, {"huge.onnx", "graph input 'x'", "more than 2^24 elements"});
}

// The check runs one sample: a layer that would need more than 512 MiB for it is refused (a
// hostile file cannot make the import take the machine's memory or hours), while a realistic
// large layer, 64 channels of 3x3 on a 1024 x 1024 RGB picture, passes.
TEST(OnnxImportShapes, EachLayerOfTheCheckHasAMemoryCap) {
  testing::TempDir dir;
  Chain wide;
  wide.inputs = {{"x", onnx::TensorProto::FLOAT, {-1, 1, 4096, 4096}}};
  wide.weight("k", Tensor::ones({16, 1, 1, 1}));
  wide.node("Conv", "widen", {"x", "k"}, "y");
  const std::string path = wide.write(dir, "wide.onnx", "y");
  testing::expect_error([&] { io::import_onnx(path); },
                        {"wide.onnx", "node 0 'widen' (Conv)", "needs more than 512 MiB for one sample"});

  Chain large;
  large.inputs = {{"x", onnx::TensorProto::FLOAT, {-1, 3, 1024, 1024}}};
  large.weight("k", Tensor::ones({64, 3, 3, 3}));
  large.node("Conv", "stem", {"x", "k"}, "y", {attr("pads", Ints{1, 1, 1, 1})});
  EXPECT_EQ(io::import_onnx(large.write(dir, "large.onnx", "y")).module->children().size(), 1u);
}

// `myelin import` of the misfit chain stops with the node and writes no model file (it used to
// write one, which `myelin export` then passed as "checked by ONNX's checker").
TEST(OnnxImportShapes, TheCliRefusesTheMisfitChain) {
  testing::TempDir dir;
  const std::string path = two_gemms(7).write(dir, "misfit.onnx", "y");
  const auto [status, output] = testing::run_cli("import " + path + " --out " + dir.file("m.safetensors"));
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("node 2 'fc2' (Gemm)"), std::string::npos) << output;
  EXPECT_FALSE(std::filesystem::exists(dir.file("m.safetensors")));
}

}  // namespace
}  // namespace myelin
