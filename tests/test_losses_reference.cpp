// Losses against PyTorch 1.13 (tests/fixtures/losses.txt, made by
// scripts/fixtures/make_loss_fixtures.py): loss values and input gradients for every case and
// reduction. For reduction "none" the gradient is that of sum(gout * loss).
#include <functional>

#include "fixture.hpp"

namespace myelin::testing {
namespace {

// float32 against float32: a few ulps of difference in summation order, nothing more.
constexpr float kRtol = 1e-5f;
constexpr float kAtol = 1e-6f;

const Fixture& losses() {
  static const Fixture f("losses.txt");
  return f;
}

// The tensors of one fixture case: NAME.key.
struct CaseData {
  std::string name;
  const Tensor& operator[](const std::string& key) const { return losses()[name + "." + key]; }
  // An absent parameter (no class weights, no pos_weight) is an undefined tensor.
  Tensor optional(const std::string& key) const {
    return losses().has(name + "." + key) ? (*this)[key] : Tensor();
  }
};

using LossFn = std::function<Tensor(const Tensor& input, const CaseData& d, Reduction r)>;
struct LossCase {
  std::string name;  // the fixture's case name
  LossFn fn;
};

void PrintTo(const LossCase& c, std::ostream* os) { *os << c.name; }

LossCase elementwise(const std::string& name,
                     Tensor (*loss)(const Tensor&, const Tensor&, Reduction)) {
  return {name, [loss](const Tensor& x, const CaseData& d, Reduction r) { return loss(x, d["target"], r); }};
}
LossCase huber(const std::string& name) {
  return {name, [](const Tensor& x, const CaseData& d, Reduction r) {
            return huber_loss(x, d["target"], d["delta"].item(), r);
          }};
}
LossCase bce(const std::string& name) {
  return {name, [](const Tensor& x, const CaseData& d, Reduction r) {
            return binary_cross_entropy_with_logits(x, d["target"], d.optional("pos_weight"), r);
          }};
}
LossCase ce(const std::string& name) {
  return {name, [](const Tensor& x, const CaseData& d, Reduction r) {
            CrossEntropyOptions o;
            o.class_weights = d.optional("weight");
            const Tensor smoothing = d.optional("smoothing");
            o.label_smoothing = smoothing.defined() ? smoothing.item() : 0.f;
            o.reduction = r;
            return cross_entropy(x, d["target"], o);
          }};
}
LossCase nll(const std::string& name) {
  return {name, [](const Tensor& x, const CaseData& d, Reduction r) {
            return nll_loss(x, d["target"], d.optional("weight"), r);
          }};
}

const LossCase kCases[] = {
    elementwise("mse", mse_loss), elementwise("l1", l1_loss),
    huber("huber"), huber("huber_delta_half"),
    bce("bce"), bce("bce_pos_weight"),
    ce("ce"), ce("ce_weighted"), ce("ce_smoothed"), ce("ce_weighted_smoothed"), ce("ce_batch"),
    nll("nll"), nll("nll_weighted"),
};

class LossReference : public ::testing::TestWithParam<LossCase> {};

TEST_P(LossReference, ValuesAndInputGradients) {
  const LossCase& c = GetParam();
  const CaseData d{c.name};
  const std::pair<const char*, Reduction> reductions[] = {
      {"none", Reduction::None}, {"mean", Reduction::Mean}, {"sum", Reduction::Sum}};
  for (const auto& [red, r] : reductions) {
    const std::string key = c.name + "." + red;
    Tensor x = d["input"].clone().requires_grad_();
    const Tensor loss = c.fn(x, d, r);
    expect_close(loss, losses()[key + ".loss"], kRtol, kAtol, key + ".loss");
    if (r == Reduction::None) loss.backward(losses()[key + ".gout"]);
    else loss.backward();
    expect_close(x.grad(), losses()[key + ".grad"], kRtol, kAtol, key + ".grad");
  }
}

INSTANTIATE_TEST_SUITE_P(Torch, LossReference, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<LossCase>& info) { return info.param.name; });

}  // namespace
}  // namespace myelin::testing
