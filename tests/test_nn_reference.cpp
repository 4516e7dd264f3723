// A Linear/Tanh/Linear/GELU/Linear stack against PyTorch (scripts/fixtures/make_nn_fixtures.py):
// weights loaded by their state-dict names, then output and every gradient compared.
#include <gtest/gtest.h>

#include "fixture.hpp"
#include "myelin/myelin.hpp"

namespace myelin::nn {
namespace {

using myelin::testing::expect_close;
using myelin::testing::Fixture;

TEST(NnReference, MlpForwardAndBackwardMatchTorch) {
  const Fixture f("nn_mlp.txt");
  Sequential net;
  net.add<Linear>(5, 4);
  net.add<Tanh>();
  net.add<Linear>(4, 3);
  net.add<GELU>();
  net.add<Linear>(3, 2);

  // The fixture stores each tensor under PyTorch's key; a name myelin got wrong is missing there.
  std::map<std::string, Tensor> state;
  for (const auto& [name, t] : net.state_dict()) state[name] = f[name];
  net.load_state_dict(state);

  Tensor x = f["input"].clone();
  x.requires_grad_();
  const Tensor y = net(x);
  expect_close(y, f["output"], 1e-5f, 1e-6f, "output");
  sum(y * f["loss_weights"]).backward();
  for (const auto& [name, p] : net.named_parameters()) {
    ASSERT_TRUE(p.grad().defined()) << name;
    expect_close(p.grad(), f["grad." + name], 1e-5f, 1e-6f, "grad." + name);
  }
  expect_close(x.grad(), f["grad.input"], 1e-5f, 1e-6f, "grad.input");
}

}  // namespace
}  // namespace myelin::nn
