// Recurrent layers against PyTorch (scripts/fixtures/make_seq_fixtures.py): weights loaded by
// their state-dict names, then outputs, final states and every gradient compared.
#include <gtest/gtest.h>

#include "fixture.hpp"
#include "myelin/myelin.hpp"

namespace myelin::nn {
namespace {

using myelin::testing::expect_close;
using myelin::testing::Fixture;

Tensor leaf(const Tensor& t) {
  Tensor c = t.clone();
  c.requires_grad_();
  return c;
}

// Loads `m`'s weights from the fixture's `name`.* tensors, runs the case's loss and compares.
void check_against_torch(Recurrent& m, const std::string& name) {
  const Fixture f("seq.txt");
  std::map<std::string, Tensor> state;
  for (const auto& [key, t] : m.state_dict()) state[key] = f[name + "." + key];
  m.load_state_dict(state);

  const Tensor x = leaf(f[name + ".input"]);
  RecurrentState s0;
  if (f.has(name + ".h0")) s0.h = leaf(f[name + ".h0"]);
  if (f.has(name + ".c0")) s0.c = leaf(f[name + ".c0"]);
  const auto [out, s] = m.forward_with_state(x, s0);
  expect_close(out, f[name + ".output"], 1e-5f, 1e-5f, name + ".output");
  expect_close(s.h, f[name + ".h_n"], 1e-5f, 1e-5f, name + ".h_n");
  Tensor loss = sum(out * f[name + ".w_out"]) + sum(s.h * f[name + ".w_h"]);
  if (f.has(name + ".c_n")) {
    expect_close(s.c, f[name + ".c_n"], 1e-5f, 1e-5f, name + ".c_n");
    loss = loss + sum(s.c * f[name + ".w_c"]);
  }
  loss.backward();
  for (const auto& [key, p] : m.named_parameters())
    expect_close(p.grad(), f[name + ".grad." + key], 1e-4f, 1e-5f, name + ".grad." + key);
  expect_close(x.grad(), f[name + ".grad.input"], 1e-4f, 1e-5f, name + ".grad.input");
  if (s0.h.defined()) expect_close(s0.h.grad(), f[name + ".grad.h0"], 1e-4f, 1e-5f, "grad.h0");
  if (s0.c.defined()) expect_close(s0.c.grad(), f[name + ".grad.c0"], 1e-4f, 1e-5f, "grad.c0");
}

TEST(SeqReference, BidirectionalTwoLayerLstmMatchesTorch) {
  RecurrentOptions o;
  o.num_layers = 2;
  o.bidirectional = true;
  LSTM lstm(3, 4, o);
  check_against_torch(lstm, "lstm");
}

TEST(SeqReference, BatchFirstGruWithInitialStateMatchesTorch) {
  RecurrentOptions o;
  o.batch_first = true;
  GRU gru(3, 5, o);
  check_against_torch(gru, "gru");
}

TEST(SeqReference, ReluRnnMatchesTorch) {
  RNN rnn(3, 4, {}, "relu");
  check_against_torch(rnn, "rnn");
}

}  // namespace
}  // namespace myelin::nn

namespace myelin::nn {
namespace {

TEST(SeqReference, AttentionWithCausalAndPaddingMasksMatchesTorch) {
  const myelin::testing::Fixture f("seq.txt");
  MultiheadAttention mha(6, 2, true, /*batch_first=*/true);
  std::map<std::string, Tensor> state;
  for (const auto& [key, t] : mha.state_dict()) state[key] = f["mha." + key];
  mha.load_state_dict(state);
  Tensor x = f["mha.input"].clone();
  x.requires_grad_();
  const Tensor y = mha.attend(x, x, x, f["mha.key_padding_mask"], /*causal=*/true);
  myelin::testing::expect_close(y, f["mha.output"], 1e-5f, 1e-5f, "mha.output");
  sum(y * f["mha.w_out"]).backward();
  for (const auto& [key, p] : mha.named_parameters())
    myelin::testing::expect_close(p.grad(), f["mha.grad." + key], 1e-4f, 1e-5f, "mha.grad." + key);
  myelin::testing::expect_close(x.grad(), f["mha.grad.input"], 1e-4f, 1e-5f, "mha.grad.input");
}

}  // namespace
}  // namespace myelin::nn
