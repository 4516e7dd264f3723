// Generation: sampling rules, reproducibility, and a tiny language model that memorises a text
// and regenerates it exactly, with and without cached state.
#include <gtest/gtest.h>

#include "myelin/myelin.hpp"

namespace myelin::nn {
namespace {

TEST(SeqSampling, RulesAndSeeds) {
  const Tensor logits = Tensor::from_vector({0.f, 3.f, 1.f, 3.f, -2.f}, {5});
  EXPECT_EQ(sample_next(logits, {0.f, 0, 1.f}), 1);  // greedy, first of the tied maxima
  Generator a(7), b(7);
  for (int i = 0; i < 20; ++i) {
    const int64_t k2 = sample_next(logits, {1.f, 2, 1.f}, &a);
    EXPECT_TRUE(k2 == 1 || k2 == 3);  // top-2
    EXPECT_EQ(k2, sample_next(logits, {1.f, 2, 1.f}, &b));  // same seed, same draws
  }
  // top_p small keeps only the most likely token.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(sample_next(logits, {1.f, 0, 0.1f}, &a), 1);
  // A high temperature reaches the unlikely tokens; a low one does not.
  std::vector<int> hot(5, 0), cold(5, 0);
  for (int i = 0; i < 400; ++i) {
    ++hot[sample_next(logits, {100.f, 0, 1.f}, &a)];
    ++cold[sample_next(logits, {0.05f, 0, 1.f}, &a)];
  }
  EXPECT_GT(hot[4], 0);
  EXPECT_EQ(cold[0] + cold[2] + cold[4], 0);
  EXPECT_THROW(sample_next(logits, {-1.f, 0, 1.f}), Error);
  EXPECT_THROW(sample_next(logits, {1.f, 0, 0.f}), Error);
}

std::vector<int64_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

TEST(SeqGenerate, TinyLstmMemorisesAndRegeneratesText) {
  const std::string text = "the quick brown fox jumps over the lazy dog";
  const std::vector<int64_t> tokens = bytes_of(text);
  const int64_t T = static_cast<int64_t>(tokens.size()) - 1;
  std::vector<float> in(tokens.begin(), tokens.end() - 1), out(tokens.begin() + 1, tokens.end());
  const Tensor x = Tensor::from_vector(in, {1, T}), y = Tensor::from_vector(out, {1, T});

  Generator g(11);
  RecurrentOptions o;
  o.batch_first = true;
  Sequential model;
  model.add<Embedding>(128, 16, -1, &g);
  model.add<LSTM>(16, 48, o, &g);
  model.add<Linear>(48, 128, true, &g);
  optim::AdamOptions ao;
  ao.lr = 1e-2;
  optim::Adam opt(model.parameters(), ao);
  float loss = 0.f;
  for (int step = 0; step < 150; ++step) {
    opt.zero_grad();
    Tensor l = sequence_cross_entropy(model(x), y);
    l.backward();
    optim::clip_grad_norm_(model.parameters(), 1.0);
    opt.step();
    loss = l.item();
  }
  ASSERT_LT(loss, 0.05f);

  GenerateOptions go;
  go.max_new_tokens = T;
  go.sampling.temperature = 0.f;
  const std::vector<int64_t> cached = generate(model, {tokens[0]}, go);
  go.use_cache = false;
  const std::vector<int64_t> recomputed = generate(model, {tokens[0]}, go);
  EXPECT_EQ(std::string(cached.begin(), cached.end()), text.substr(1));
  EXPECT_EQ(cached, recomputed);
  EXPECT_TRUE(model.is_training());  // the mode is restored

  // Sampled generation is reproducible from a seed, cached or not.
  go.sampling = {0.8f, 5, 0.9f};
  Generator s1(5), s2(5);
  go.use_cache = true;
  const std::vector<int64_t> a = generate(model, bytes_of("the "), go, &s1);
  go.use_cache = false;
  EXPECT_EQ(a, generate(model, bytes_of("the "), go, &s2));
}

TEST(SeqGenerate, TransformerKvCacheMatchesRecomputation) {
  Generator g(21);
  TransformerBlockOptions o;
  o.num_heads = 2;
  o.causal = true;
  Sequential model;
  model.add<Embedding>(20, 8, -1, &g);
  model.add<LearnedPositionalEncoding>(32, 8, &g);
  model.add<TransformerBlock>(8, o, &g);
  model.add<SinusoidalPositionalEncoding>(32, 8);
  model.add<TransformerBlock>(8, o, &g);
  model.add<RMSNorm>(8);
  model.add<Linear>(8, 20, true, &g);
  // Step-by-step outputs equal the full causal forward pass.
  const Tensor x = Tensor::from_vector({3, 1, 4, 1, 5, 9}, {1, 6});
  const Tensor full = model(x);
  std::vector<StepCache> caches(model.size());
  for (int64_t t = 0; t < 6; ++t) {
    Tensor y = x.slice(1, t, t + 1);
    for (size_t i = 0; i < model.size(); ++i) {
      auto* inc = dynamic_cast<Incremental*>(&model[i]);
      y = inc ? inc->forward_incremental(y, caches[i]) : model[i](y);
    }
    const std::vector<float> a = y.to_vector(), b = full.slice(1, t, t + 1).to_vector();
    for (size_t k = 0; k < a.size(); ++k) ASSERT_NEAR(a[k], b[k], 1e-5f) << "step " << t;
  }
  GenerateOptions go;
  go.max_new_tokens = 12;
  go.sampling.temperature = 0.f;
  const std::vector<int64_t> cached = generate(model, {3, 1, 4}, go);
  go.use_cache = false;
  EXPECT_EQ(cached, generate(model, {3, 1, 4}, go));
}

TEST(SeqModules, TransformerPiecesBuildFromSpecs) {
  ModuleSpec block{"TransformerBlock", {}, {}};
  block.set("d_model", int64_t{8});
  block.set("num_heads", int64_t{2});
  block.set("causal", true);
  const ModulePtr m = build_module(block);
  std::vector<std::string> names;
  for (const auto& [name, p] : m->named_parameters()) names.push_back(name);
  EXPECT_EQ(names.front(), "norm1.weight");
  EXPECT_EQ(names[1], "attn.in_proj_weight");
  EXPECT_EQ(names[3], "attn.out_proj.weight");
  EXPECT_EQ(build_module(m->spec())->num_parameters(), m->num_parameters());
  EXPECT_EQ((*m)(Tensor::zeros({2, 5, 8})).shape(), (Shape{2, 5, 8}));
  SinusoidalPositionalEncoding pe(4, 4);
  // Position 1: sin(1), cos(1), sin(1e-2), cos(1e-2).
  const std::vector<float> row = pe.table().select(0, 1).to_vector();
  EXPECT_NEAR(row[0], std::sin(1.f), 1e-6f);
  EXPECT_NEAR(row[1], std::cos(1.f), 1e-6f);
  EXPECT_NEAR(row[2], std::sin(0.01f), 1e-6f);
  EXPECT_NEAR(row[3], std::cos(0.01f), 1e-6f);
  EXPECT_THROW(pe(Tensor::zeros({1, 5, 4})), ShapeError);
  EXPECT_THROW(MultiheadAttention(6, 4), Error);
}

}  // namespace
}  // namespace myelin::nn
