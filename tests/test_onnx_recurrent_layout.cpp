// Batch-first recurrent layers in ONNX: myelin writes them as PyTorch does (Transpose, the op
// with layout 0, Transpose + Reshape), which ONNX Runtime runs (it refuses layout 1), and still
// reads layout 1 from other tools into the same batch-first layer.
#include <gtest/gtest.h>

#include <fstream>

#include "myelin/autograd.hpp"
#include "myelin/io/onnx.hpp"
#include "myelin/nn/recurrent.hpp"
#include "myelin/random.hpp"
#include "expect_error.hpp"
#include "onnx_one_node.hpp"
#include "random_state.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using Ints = std::vector<int64_t>;
using onnx_io::attr;

const Shape kBatchFirst{-1, 5, 3};  // (B, T, F)

// A batch-first LSTM(3, 4) with random weights, exported to `dir`/name.
std::pair<nn::ModulePtr, onnx::ModelProto> export_lstm(const testing::TempDir& dir, const std::string& name,
                                                       bool bidirectional) {
  Generator gen(5);
  nn::RecurrentOptions o;
  o.batch_first = true;
  o.bidirectional = bidirectional;
  nn::ModulePtr m = std::make_shared<nn::LSTM>(3, 4, o);
  testing::randomise_state(*m, gen);
  m->eval();
  io::export_onnx(dir.file(name), *m, kBatchFirst);
  std::ifstream in(dir.file(name), std::ios::binary);
  onnx::ModelProto proto;
  EXPECT_TRUE(proto.ParseFromIstream(&in));
  return {m, proto};
}

std::string write(const testing::TempDir& dir, const std::string& name, const onnx::ModelProto& m) {
  return dir.write(name, m.SerializeAsString());
}

TEST(OnnxRecurrentLayout, BatchFirstIsWrittenTimeMajorBetweenTransposes) {
  testing::TempDir dir;
  for (bool bidirectional : {false, true}) {
    const onnx::ModelProto proto = export_lstm(dir, "m.onnx", bidirectional).second;
    const onnx::GraphProto& g = proto.graph();
    ASSERT_EQ(g.node_size(), 4);
    const Ints perms[] = {{1, 0, 2}, {2, 0, 1, 3}};  // (B, T, F) -> (T, B, F); (T, D, B, H) -> (B, T, D, H)
    const char* ops[] = {"Transpose", "LSTM", "Transpose", "Reshape"};
    for (int i = 0; i < 4; ++i) EXPECT_EQ(g.node(i).op_type(), ops[i]);
    for (int i : {0, 2}) {
      ASSERT_EQ(g.node(i).attribute_size(), 1);
      EXPECT_EQ(Ints(g.node(i).attribute(0).ints().begin(), g.node(i).attribute(0).ints().end()), perms[i / 2]);
    }
    for (const auto& a : g.node(1).attribute()) EXPECT_NE(a.name(), "layout");
  }
}

// Rewrites myelin's export of one batch-first layer into the layout-1 form other tools write:
// the op with layout 1 reads x, then Squeeze of axis 2 (one direction) or Reshape to (0, 0, -1).
void to_layout_1(onnx::ModelProto& m, bool bidirectional) {
  onnx::GraphProto& g = *m.mutable_graph();
  onnx::NodeProto op = g.node(1), after = g.node(3);
  op.set_input(0, g.node(0).input(0));
  *op.add_attribute() = attr("layout", int64_t{1});
  after.set_input(0, op.output(0));
  if (!bidirectional) {
    after.set_op_type("Squeeze");
    after.set_input(1, "axis_2");
    *g.add_initializer() = onnx_io::int64_proto("axis_2", {2});
  }
  g.clear_node();
  *g.add_node() = op;
  *g.add_node() = after;
}

TEST(OnnxRecurrentLayout, Layout1FromOtherToolsReadsIntoTheSameLayer) {
  testing::TempDir dir;
  Generator gen(9);
  const Tensor x = Tensor::uniform({2, 5, 3}, -2.f, 2.f, &gen);
  NoGradGuard no_grad;
  for (bool bidirectional : {false, true}) {
    auto [model, proto] = export_lstm(dir, "m.onnx", bidirectional);
    to_layout_1(proto, bidirectional);
    const io::ImportedModel imported = io::import_onnx(write(dir, "layout1.onnx", proto));
    const Tensor want = (*model)(x), got = (*imported.module)(x);
    ASSERT_EQ(got.shape(), want.shape());
    for (int64_t i = 0; i < want.numel(); ++i) EXPECT_EQ(got.contiguous().data()[i], want.contiguous().data()[i]);
  }
}

TEST(OnnxRecurrentLayout, PatternsThatDoNotFitAreClearErrors) {
  testing::TempDir dir;
  const onnx::ModelProto proto = export_lstm(dir, "m.onnx", true).second;
  // layout 1 on an op that already reads the Transpose.
  onnx::ModelProto both = proto;
  *both.mutable_graph()->mutable_node(1)->add_attribute() = attr("layout", int64_t{1});
  const std::string a = write(dir, "a.onnx", both);
  testing::expect_error([&] { io::import_onnx(a); }, {"a.onnx", "node 1", "(LSTM)", "layout 1 after a Transpose"});
  // Y re-arranged some other way.
  onnx::ModelProto other = proto;
  *other.mutable_graph()->mutable_node(2)->mutable_attribute(0) = attr("perm", Ints{0, 2, 1, 3});
  const std::string b = write(dir, "b.onnx", other);
  testing::expect_error([&] { io::import_onnx(b); },
                        {"b.onnx", "(LSTM)", "must be followed by Transpose (2, 0, 1, 3) and Reshape to (0, 0, -1)"});
  // A Transpose that does not start a recurrent layer.
  const std::string c = testing::OneNode{"Transpose", {2, 5, 3}, {}, {attr("perm", Ints{1, 0, 2})}}.write(dir, "c.onnx");
  testing::expect_error([&] { io::import_onnx(c); }, {"c.onnx", "(Transpose)", "only as perm (1, 0, 2) before an RNN"});
  onnx::ModelProto perm = proto;
  *perm.mutable_graph()->mutable_node(0)->mutable_attribute(0) = attr("perm", Ints{0, 2, 1});
  const std::string d = write(dir, "d.onnx", perm);
  testing::expect_error([&] { io::import_onnx(d); }, {"d.onnx", "node 0", "(Transpose)", "only as perm (1, 0, 2)"});
}

}  // namespace
}  // namespace myelin
