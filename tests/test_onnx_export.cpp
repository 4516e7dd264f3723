// ONNX export: every layer kind passes ONNX's checker, and export -> import predicts the same.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>

#include "myelin/autograd.hpp"
#include "myelin/io/onnx.hpp"
#include "myelin/ops.hpp"
#include "myelin/nn/activation.hpp"
#include "myelin/nn/attention.hpp"
#include "myelin/nn/conv.hpp"
#include "myelin/nn/dropout.hpp"
#include "myelin/nn/embedding.hpp"
#include "myelin/nn/flatten.hpp"
#include "myelin/nn/last_step.hpp"
#include "myelin/nn/linear.hpp"
#include "myelin/nn/norm.hpp"
#include "myelin/nn/pool.hpp"
#include "myelin/nn/positional.hpp"
#include "myelin/nn/recurrent.hpp"
#include "myelin/nn/residual.hpp"
#include "myelin/nn/reshape.hpp"
#include "myelin/nn/rms_norm.hpp"
#include "myelin/nn/sequential.hpp"
#include "myelin/nn/transformer.hpp"
#include "myelin/io/safetensors.hpp"
#include "myelin/random.hpp"
#include "expect_error.hpp"
#include "random_state.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

using nn::ModulePtr;
using nn::Sequential;

struct ExportCase {
  const char* name;
  std::function<ModulePtr()> make;
  Shape input;      // of the test batch
  bool round_trip;  // the import reads the exported ops back (not GELU, Residual, attention)
  int64_t vocab = 0;  // > 0: the inputs are token ids below vocab
  bool any_length = false;  // axis 1 (time) is symbolic too: the graph takes any sequence length
};

// gtest prints a failing case by its name.
void PrintTo(const ExportCase& c, std::ostream* os) { *os << c.name; }

ModulePtr seq(std::vector<ModulePtr> layers) { return std::make_shared<Sequential>(std::move(layers)); }
template <class M, class... A>
ModulePtr make(A&&... a) {
  return std::make_shared<M>(std::forward<A>(a)...);
}

std::vector<ExportCase> export_cases() {
  Conv2dOptions same;
  same.same_padding = true;
  Conv2dOptions strided;
  strided.stride = {2, 1};
  strided.padding = {1, 2};
  strided.dilation = {1, 2};
  Conv1dOptions grouped;
  grouped.groups = 2;
  grouped.padding = 1;
  ConvTranspose2dOptions up;
  up.stride = {2, 2};
  up.padding = {1, 1};
  up.output_padding = {1, 1};
  nn::RecurrentOptions deep;
  deep.num_layers = 2;
  nn::RecurrentOptions bidir_bf;
  bidir_bf.bidirectional = true;
  bidir_bf.batch_first = true;
  nn::RecurrentOptions deep_bf = deep;
  deep_bf.batch_first = true;
  nn::RecurrentOptions bidir;
  bidir.bidirectional = true;
  nn::RecurrentOptions no_bias_bf;
  no_bias_bf.bias = false;
  no_bias_bf.batch_first = true;
  return {
      {"Linear", [] { return seq({make<nn::Linear>(6, 4), make<nn::Linear>(4, 3, false)}); }, {5, 6}, true},
      {"Linear3d", [] { return seq({make<nn::Linear>(6, 4)}); }, {2, 3, 6}, true},
      {"Activations", [] { return seq({make<nn::ReLU>(), make<nn::Sigmoid>(), make<nn::Tanh>(),
                                       make<nn::LeakyReLU>(0.2), make<nn::ELU>(0.7), make<nn::Softplus>(),
                                       make<nn::Identity>()}); }, {4, 5}, true},
      {"GELU", [] { return seq({make<nn::GELU>()}); }, {4, 5}, false},
      {"Softmax", [] { return seq({make<nn::Softmax>(1), make<nn::LogSoftmax>(-1)}); }, {2, 3, 4}, true},
      {"Dropout", [] { return seq({make<nn::Linear>(5, 5), make<nn::Dropout>(0.3)}); }, {3, 5}, true},
      {"Flatten", [] { return seq({make<nn::Flatten>(), make<nn::Linear>(24, 2)}); }, {2, 2, 3, 4}, true},
      {"FlattenRange", [] { return seq({make<nn::Flatten>(2, -1)}); }, {2, 2, 3, 4}, true},
      {"Reshape", [] { return seq({make<nn::Reshape>(Shape{0, -1, 2}), make<nn::Linear>(2, 3)}); }, {2, 3, 4}, true},
      {"Conv2d", [=] { return seq({make<nn::Conv2d>(2, 4, Size2{3, 3}, same), make<nn::ReLU>(),
                                   make<nn::Conv2d>(4, 3, Size2{3, 2}, strided, false)}); }, {2, 2, 7, 8}, true},
      {"Conv1d", [=] { return seq({make<nn::Conv1d>(4, 6, 3, grouped)}); }, {2, 4, 9}, true},
      {"ConvTranspose2d", [=] { return seq({make<nn::ConvTranspose2d>(3, 2, Size2{3, 3}, up)}); }, {2, 3, 4, 5}, true},
      {"Pool2d", [] { return seq({make<nn::MaxPool2d>(Size2{2, 2}), make<nn::AvgPool2d>(Size2{3, 3}, Size2{1, 1}, Size2{1, 1}, false),
                                  make<nn::AvgPool2d>(Size2{2, 2}, Size2{1, 1}, Size2{1, 1})}); }, {2, 3, 8, 6}, true},
      {"Pool1d", [] { return seq({make<nn::MaxPool1d>(3, 2, 1), make<nn::AvgPool1d>(2)}); }, {2, 3, 11}, true},
      {"GlobalAvgPool2d", [] { return seq({make<nn::GlobalAvgPool2d>(), make<nn::Linear>(3, 2)}); }, {2, 3, 4, 5}, true},
      {"AdaptiveAvgPool2d", [] { return seq({make<nn::AdaptiveAvgPool2d>(Size2{1, 1})}); }, {2, 3, 4, 5}, true},
      {"BatchNorm2d", [] { return seq({make<nn::BatchNorm2d>(3), make<nn::BatchNorm2d>(3, 1e-3, 0.1, false)}); }, {2, 3, 4, 5}, true},
      {"BatchNorm1d", [] { return seq({make<nn::BatchNorm1d>(4)}); }, {5, 4}, true},
      {"LayerNorm", [] { return seq({make<nn::LayerNorm>(Shape{3, 4}), make<nn::LayerNorm>(Shape{4}, 1e-3, false)}); }, {2, 3, 4}, true},
      {"RNN", [=] { return seq({make<nn::RNN>(3, 4, deep, "relu")}); }, {5, 2, 3}, true},
      {"LSTM", [=] { return seq({make<nn::LSTM>(3, 4, deep), make<nn::Linear>(4, 2)}); }, {5, 2, 3}, true},
      {"LSTMBidirectional", [=] { return seq({make<nn::LSTM>(3, 4, bidir)}); }, {5, 2, 3}, true},
      {"LSTMBatchFirstBidirectional", [=] { return seq({make<nn::LSTM>(3, 4, bidir_bf)}); }, {2, 5, 3}, true},
      {"LSTMBatchFirstDeep", [=] { return seq({make<nn::LSTM>(3, 4, deep_bf)}); }, {2, 5, 3}, true},
      {"GRU", [=] { return seq({make<nn::GRU>(3, 5, no_bias_bf)}); }, {2, 6, 3}, true},
      {"GRUBidirectional", [=] { return seq({make<nn::GRU>(3, 2, bidir)}); }, {4, 2, 3}, true},
      {"LSTMLastStep", [=] { return seq({make<nn::LSTM>(3, 4, bidir_bf), make<nn::LastStep>(1), make<nn::Linear>(8, 2)}); }, {2, 5, 3}, false},
      {"GRULastStepKeepdim", [=] { return seq({make<nn::GRU>(3, 4), make<nn::LastStep>(0, true)}); }, {5, 2, 3}, false},
      {"MultiheadAttention", [] { return seq({make<nn::MultiheadAttention>(8, 2)}); }, {5, 2, 8}, false},
      {"MultiheadAttentionCausal", [] { return seq({make<nn::MultiheadAttention>(8, 4, false, true, true)}); }, {2, 5, 8}, false},
      {"Residual", [] { return seq({make<nn::Residual>(seq({make<nn::Linear>(4, 4), make<nn::ReLU>()})),
                                    make<nn::Residual>(make<nn::Linear>(4, 2), make<nn::Linear>(4, 2, false))}); }, {3, 4}, false},
      {"Embedding", [] { return seq({make<nn::Embedding>(10, 4), make<nn::Linear>(4, 3)}); }, {3, 5}, true, 10},
      {"EmbeddingAfterALayer", [] { return seq({make<nn::Identity>(), make<nn::Embedding>(7, 3, 0)}); }, {4}, true, 7},
      {"Upsample", [] { return seq({make<nn::Upsample>(Size2{2, 3}), make<nn::Upsample>(Size2{1, 2})}); }, {2, 3, 4, 5}, true},
      {"UpsampleToSize", [] { return seq({make<nn::Upsample>(Size2{2, 2}, Size2{7, 3})}); }, {2, 3, 4, 5}, false},
      {"RMSNorm", [] { return seq({make<nn::RMSNorm>(4), make<nn::RMSNorm>(4, 1e-2)}); }, {2, 3, 4}, false},
      {"GroupNorm", [] { return seq({make<nn::GroupNorm>(2, 4), make<nn::GroupNorm>(1, 4, 1e-3, false)}); }, {2, 4, 3, 5}, false},
      {"GroupNorm1d", [] { return seq({make<nn::GroupNorm>(3, 6)}); }, {2, 6, 7}, false},
      {"GroupNormChannelsOnly", [] { return seq({make<nn::GroupNorm>(2, 6)}); }, {3, 6}, false},
      {"PositionalEncodings", [] { return seq({make<nn::LearnedPositionalEncoding>(9, 4),
                                               make<nn::SinusoidalPositionalEncoding>(9, 4)}); }, {2, 6, 4}, false, 0, true},
      {"TransformerBlock", [] { return seq({make<nn::TransformerBlock>(8, nn::TransformerBlockOptions{2, 12})}); }, {2, 5, 8}, false},
      {"TransformerBlockCausalLayerNorm", [] { return seq({make<nn::TransformerBlock>(8, nn::TransformerBlockOptions{4, 0, true, "LayerNorm"})}); }, {2, 5, 8}, false},
      {"LanguageModel", [] { return seq({make<nn::Embedding>(11, 8), make<nn::SinusoidalPositionalEncoding>(16, 8),
                                         make<nn::TransformerBlock>(8, nn::TransformerBlockOptions{2, 16, true}),
                                         make<nn::RMSNorm>(8), make<nn::Linear>(8, 11)}); }, {2, 7}, false, 11, true},
  };
}

// Token ids below `vocab`, as myelin feeds them: whole-number floats.
Tensor token_ids(const Shape& shape, int64_t vocab, Generator& gen) {
  Tensor t = Tensor::uniform(shape, 0.f, float(vocab), &gen);
  for (int64_t i = 0; i < t.numel(); ++i) t.data()[i] = std::min(std::floor(t.data()[i]), float(vocab - 1));
  return t;
}

class OnnxExport : public ::testing::TestWithParam<ExportCase> {};

TEST_P(OnnxExport, PassesTheCheckerAndRoundTrips) {
  const ExportCase& c = GetParam();
  Generator gen(7);
  ModulePtr model = c.make();
  testing::randomise_state(*model, gen);
  model->eval();
  testing::TempDir dir;
  const std::string path = dir.file("model.onnx");
  Shape symbolic = c.input;
  symbolic[0] = -1;
  if (c.any_length) symbolic[1] = -1;
  ASSERT_NO_THROW(io::export_onnx(path, *model, symbolic));  // export_onnx runs the checker

  const Tensor x = c.vocab ? token_ids(c.input, c.vocab, gen) : Tensor::uniform(c.input, -2.f, 2.f, &gen);
  NoGradGuard no_grad;
  const Tensor want = (*model)(x);
  // scripts/interop/check_onnx.js runs the exported models in ONNX Runtime (make interop).
  if (const char* out = std::getenv("MYELIN_ONNX_EXPORT_DIR")) {
    const std::string stem = std::string(out) + "/" + c.name;
    std::filesystem::copy_file(path, stem + ".onnx", std::filesystem::copy_options::overwrite_existing);
    io::save_safetensors(stem + ".io.safetensors", {{"input", x}, {"output", want}});
  }
  if (!c.round_trip) return;

  const io::ImportedModel imported = io::import_onnx(path);
  EXPECT_EQ(imported.input_shape, symbolic);
  const Tensor got = (*imported.module)(x);
  ASSERT_EQ(got.shape(), want.shape());
  float worst = 0;
  for (int64_t i = 0; i < want.numel(); ++i)
    worst = std::max(worst, std::abs(got.contiguous().data()[i] - want.contiguous().data()[i]));
  EXPECT_EQ(worst, 0.f) << "imported predictions differ";
}

INSTANTIATE_TEST_SUITE_P(EveryLayerKind, OnnxExport, ::testing::ValuesIn(export_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(OnnxExport, ImportedModelFineTunes) {
  Generator gen(3);
  ModulePtr model = seq({make<nn::Linear>(4, 3), make<nn::ReLU>(), make<nn::Linear>(3, 1)});
  testing::TempDir dir;
  io::export_onnx(dir.file("m.onnx"), *model, {-1, 4});
  nn::ModulePtr imported = io::import_onnx(dir.file("m.onnx")).module;
  imported->train();
  const Tensor x = Tensor::uniform({8, 4}, -1.f, 1.f, &gen);
  Tensor loss = mean((*imported)(x) * (*imported)(x));
  loss.backward();
  int with_grad = 0;
  for (const Tensor& p : imported->parameters()) with_grad += p.grad().defined();
  EXPECT_EQ(with_grad, 4);
}

TEST(OnnxExport, UnsupportedLayersNameTheLayer) {
  testing::TempDir dir;
  Sequential model;
  model.add<nn::Linear>(4, 4);
  model.add<nn::Softplus>(2.0);
  testing::expect_error([&] { io::export_onnx(dir.file("m.onnx"), model, {-1, 4}); },
                        {"layer '1' (Softplus)", "beta"});
  Sequential pool;
  pool.add<nn::AdaptiveAvgPool2d>(Size2{2, 2});
  testing::expect_error([&] { io::export_onnx(dir.file("m.onnx"), pool, {-1, 3, 4, 4}); },
                        {"layer '0' (AdaptiveAvgPool2d)", "output_size"});
  // Axes after the merged range would need their sizes in ONNX's Reshape.
  Sequential middle;
  middle.add<nn::Flatten>(1, 2);
  testing::expect_error([&] { io::export_onnx(dir.file("m.onnx"), middle, {-1, 2, 3, 4}); },
                        {"layer '0' (Flatten)", "end at the last axis"});
}

}  // namespace
}  // namespace myelin
