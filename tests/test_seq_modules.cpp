// Sequence layers beyond the reference numbers: names, specs, chaining, state carrying,
// padding rows, masked losses and errors.
#include <gtest/gtest.h>

#include "myelin/myelin.hpp"

namespace myelin::nn {
namespace {

TEST(SeqModules, LstmParameterNamesFollowTorch) {
  RecurrentOptions o;
  o.num_layers = 2;
  o.bidirectional = true;
  LSTM lstm(3, 4, o);
  std::vector<std::string> names;
  for (const auto& [name, p] : lstm.named_parameters()) names.push_back(name);
  const std::vector<std::string> expected{
      "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
      "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
      "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
      "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"};
  EXPECT_EQ(names, expected);
  EXPECT_EQ(lstm.named_parameters()[8].second.shape(), (Shape{16, 8}));  // layer 1 sees 2 H
}

TEST(SeqModules, ChainBuildsFromSpecAndRoundTrips) {
  ModuleSpec lstm{"LSTM", {}, {}};
  lstm.set("input_size", int64_t{8});
  lstm.set("hidden_size", int64_t{6});
  lstm.set("batch_first", true);
  lstm.set("num_layers", int64_t{2});
  lstm.set("dropout", 0.25);
  ModuleSpec emb{"Embedding", {}, {}};
  emb.set("num_embeddings", int64_t{10});
  emb.set("embedding_dim", int64_t{8});
  ModuleSpec head{"Linear", {}, {}};
  head.set("in_features", int64_t{6});
  head.set("out_features", int64_t{3});
  ModuleSpec chain{"Sequential", {}, {{"0", emb}, {"1", lstm}, {"2", ModuleSpec{"LastStep", {}, {}}}, {"3", head}}};
  Generator g(1);
  ModulePtr net = build_module(chain, &g);
  net->eval();
  const Tensor y = (*net)(Tensor::from_vector({1, 2, 3, 4, 5, 6, 7, 8}, {2, 4}));
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  const ModuleSpec back = net->spec();
  EXPECT_EQ(back.children[1].second.attrs, net->spec().children[1].second.attrs);
  EXPECT_EQ(back.children[1].second.get_float("dropout"), 0.25);
  EXPECT_EQ(build_module(back)->num_parameters(), net->num_parameters());
  ModuleSpec gru{"GRU", {}, {}};
  gru.set("input_size", int64_t{2});
  gru.set("hidden_size", int64_t{2});
  gru.set("bidirectionl", true);  // a typo is rejected by name
  EXPECT_THROW(build_module(gru), Error);
}

TEST(SeqModules, CarriedStateEqualsOneLongSequence) {
  // Two halves with the state carried give the same outputs as the whole sequence at once;
  // detaching the carried state cuts the graph but keeps the values (truncated BPTT).
  Generator g(3);
  RecurrentOptions o;
  o.batch_first = true;
  LSTM lstm(2, 3, o, &g);
  const Tensor x = Tensor::normal({2, 6, 2}, 0.f, 1.f, &g);
  const Tensor whole = lstm(x);
  auto [first, s1] = lstm.forward_with_state(x.slice(1, 0, 3));
  auto [second, s2] = lstm.forward_with_state(x.slice(1, 3, 6), s1.detach());
  EXPECT_FALSE(s1.detach().h.requires_grad());
  const std::vector<float> a = whole.to_vector(), b = concat({first, second}, 1).to_vector();
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-6f);
  sum(second).backward();  // reaches the weights through the second half only
  EXPECT_TRUE(lstm.parameters()[0].grad().defined());
}

TEST(SeqModules, EmbeddingPaddingRowGetsNoGradient) {
  Generator g(2);
  Embedding emb(4, 3, /*padding_idx=*/1, &g);
  for (float v : emb.weight().select(0, 1).to_vector()) EXPECT_EQ(v, 0.f);
  sum(emb(Tensor::from_vector({1, 0, 1, 3}, {2, 2}))).backward();
  const Tensor grad = emb.weight().grad();
  EXPECT_EQ(grad.at({1, 0}), 0.f);
  EXPECT_EQ(grad.at({0, 0}), 1.f);
  EXPECT_EQ(grad.at({2, 0}), 0.f);
  EXPECT_THROW(emb(Tensor::from_vector({4}, {1})), Error);
  EXPECT_THROW(emb(Tensor::from_vector({0.5f}, {1})), Error);
}

TEST(SeqModules, BadInputsNameTheLayer) {
  LSTM lstm(3, 4);
  try {
    lstm(Tensor::zeros({2, 5}));
    FAIL() << "expected ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("LSTM"), std::string::npos) << e.what();
  }
  RecurrentState s{Tensor::zeros({2, 1, 4}), Tensor()};
  EXPECT_THROW(lstm.forward_with_state(Tensor::zeros({5, 1, 3}), s), ShapeError);
  EXPECT_THROW(RNN(3, 4, {}, "sigmoid"), Error);
  EXPECT_THROW(LastStep(3)(Tensor::zeros({2, 2})), ShapeError);
}

TEST(SeqLosses, MaskedStepsAddNothing) {
  Generator g(4);
  Tensor logits = Tensor::normal({2, 3, 5}, 0.f, 1.f, &g);
  logits.requires_grad_();
  const Tensor targets = Tensor::from_vector({1, 4, -1, 0, 2, 3}, {2, 3});  // -1: padding
  const Tensor mask = Tensor::from_vector({1, 1, 0, 1, 1, 1}, {2, 3});
  const Tensor loss = sequence_cross_entropy(logits, targets, mask);
  // The same as plain cross-entropy over the five real steps.
  const std::vector<int64_t> rows{0, 1, 3, 4, 5};
  std::vector<Tensor> kept;
  for (int64_t r : rows) kept.push_back(logits.detach().reshape({6, 5}).select(0, r));
  const Tensor expected = cross_entropy(stack(kept, 0), Tensor::from_vector({1, 4, 0, 2, 3}, {5}));
  EXPECT_NEAR(loss.item(), expected.item(), 1e-6f);
  loss.backward();
  for (float v : logits.grad().select(0, 0).select(0, 2).to_vector()) EXPECT_EQ(v, 0.f);
  EXPECT_THROW(sequence_cross_entropy(logits, targets, Tensor::zeros({2, 3})), Error);

  const Tensor pred = Tensor::from_vector({1, 2, 3, 4, 100, 100}, {1, 3, 2});
  const Tensor tgt = Tensor::zeros({1, 3, 2});
  const Tensor m = Tensor::from_vector({1, 1, 0}, {1, 3});
  EXPECT_NEAR(sequence_mse_loss(pred, tgt, m).item(), (1 + 4 + 9 + 16) / 4.f, 1e-5f);
}

// The recurrent op gives each thread its own batch rows for the whole sequence: outputs and
// gradients must not depend on the thread count (9 rows: ranges of 4 and 5).
TEST(SeqModules, RecurrentSameResultWithOneOrTwoThreads) {
  const int threads = num_threads();
  for (bool lstm : {true, false}) {
    std::vector<float> runs[2];
    for (int r = 0; r < 2; ++r) {
      set_num_threads(r + 1);
      Generator gen(3);
      RecurrentOptions o;
      o.bidirectional = true;
      std::unique_ptr<Recurrent> layer;
      if (lstm) layer = std::make_unique<LSTM>(5, 7, o, &gen);
      else layer = std::make_unique<GRU>(5, 7, o, &gen);
      Tensor x = Tensor::normal({6, 9, 5}, 0.f, 1.f, &gen).requires_grad_();
      auto [y, state] = layer->forward_with_state(x);
      sum(y * y).backward();
      runs[r] = y.to_vector();
      for (const Tensor& g : {x.grad(), layer->named_parameters()[1].second.grad()})
        for (float v : g.to_vector()) runs[r].push_back(v);
    }
    EXPECT_EQ(runs[0], runs[1]) << (lstm ? "LSTM" : "GRU");
  }
  set_num_threads(threads);
}

}  // namespace
}  // namespace myelin::nn
