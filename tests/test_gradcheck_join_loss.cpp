// Gradient checks for joining/splitting and for the losses (one row per op and variant; the
// losses get a row per reduction). Class targets are not differentiable: the rows close over
// fixed target tensors.
#include "gradcheck.hpp"

namespace myelin::testing {
namespace {

using V = const std::vector<Tensor>&;

const GradCase kJoinCases[] = {
    {"concat_axis0", {{2, 3}, {1, 3}, {3, 3}}, [](V x) { return concat({x[0], x[1], x[2]}, 0); }},
    {"concat_middle_3d", {{2, 3, 2}, {2, 1, 2}}, [](V x) { return concat({x[0], x[1]}, 1); }},
    {"concat_last", {{2, 3}, {2, 2}}, [](V x) { return concat({x[0], x[1]}, -1); }},
    {"concat_one", {{2, 3}}, [](V x) { return concat({x[0]}, 1); }},
    {"concat_reused", {{2, 3}}, [](V x) { return concat({x[0], exp(x[0])}, 0); }},
    {"stack_first", {{2, 3}, {2, 3}, {2, 3}}, [](V x) { return stack({x[0], x[1], x[2]}, 0); }},
    {"stack_middle", {{2, 3}, {2, 3}}, [](V x) { return stack({x[0], x[1]}, 1); }},
    {"stack_last", {{2, 3}, {2, 3}}, [](V x) { return stack({x[0], x[1]}, -1); }},
    // Pieces reordered (one empty), so each must route its gradient to its own rows.
    {"split_reordered", {{5, 4}},
     [](V x) {
       const std::vector<Tensor> p = split(x[0], {2, 0, 3}, 0);
       return concat({p[2], p[1], p[0]}, 0);
     }},
    {"split_broadcast", {{3, 5}},
     [](V x) {
       const std::vector<Tensor> p = split(x[0], {1, 4}, 1);
       return mul(p[0], p[1]);  // (3, 1) * (3, 4)
     }},
    {"chunk_uneven", {{7, 2}},
     [](V x) {
       const std::vector<Tensor> c = chunk(x[0], 3, 0);  // 3, 3, 1 rows
       return concat({c[2], mul(c[0], c[1])}, 0);
     }},
    {"chunk_last_axis", {{2, 6}},
     [](V x) {
       const std::vector<Tensor> c = chunk(x[0], 2, -1);
       return mul(c[0], c[1]);
     }},
};

class JoinGrad : public ::testing::TestWithParam<GradCase> {};
TEST_P(JoinGrad, Contiguous) { check_gradients(GetParam(), false); }
TEST_P(JoinGrad, NonContiguous) { check_gradients(GetParam(), true); }
INSTANTIATE_TEST_SUITE_P(Ops, JoinGrad, ::testing::ValuesIn(kJoinCases), case_name);

// Fixed data the loss rows close over (made per call: tensors are not built at static init).
Tensor class_targets() { return Tensor::from_vector({0, 3, 4, 1}, {4}); }  // for (4, 5) scores
Tensor class_weights() { return Tensor::from_vector({0.5f, 1.f, 2.f, 1.5f, 0.3f}, {5}); }
Tensor soft_targets() {
  return Tensor::from_vector({0, 1, 0.3f, 0.7f, 1, 0, 0.5f, 0.2f, 0.9f, 0.1f, 0, 1}, {3, 4});
}

struct NamedReduction {
  const char* name;
  Reduction r;
};
const NamedReduction kReductions[] = {
    {"none", Reduction::None}, {"mean", Reduction::Mean}, {"sum", Reduction::Sum}};

// Cross-entropy variants: class weights and label smoothing, alone and together.
struct CeVariant {
  const char* name;
  bool weighted;
  float smoothing;
};
const CeVariant kCeVariants[] = {
    {"plain", false, 0.f}, {"weighted", true, 0.f}, {"smoothed", false, 0.1f}, {"weighted_smoothed", true, 0.2f}};

std::vector<GradCase> loss_cases() {
  std::vector<GradCase> cases;
  for (const NamedReduction& red : kReductions) {
    const Reduction r = red.r;
    const std::string s = std::string("_") + red.name;
    cases.push_back({"mse" + s, {{3, 4}, {3, 4}}, [r](V x) { return mse_loss(x[0], x[1], r); }});
    // The target is scaled to |t| <= 0.05 while |input| >= 0.1: no kink within the step.
    cases.push_back({"l1" + s, {{3, 4}, {3, 4}},
                     [r](V x) { return l1_loss(x[0], mul(x[1], 0.05f), r); }});
    cases.push_back({"huber" + s, {{3, 4}, {3, 4}},
                     [r](V x) { return huber_loss(x[0], x[1], 0.5f, r); }});
    cases.push_back({"bce" + s, {{3, 4}},
                     [r](V x) { return binary_cross_entropy_with_logits(x[0], soft_targets(), Tensor(), r); }});
    cases.push_back({"bce_pos_weight_broadcast" + s, {{3, 4}, {4}},
                     [r](V x) {
                       return binary_cross_entropy_with_logits(x[0], soft_targets(), exp(x[1]), r);
                     }});
    cases.push_back({"bce_target_grad" + s, {{3, 4}, {3, 4}},
                     [r](V x) { return binary_cross_entropy_with_logits(x[0], sigmoid(x[1]), Tensor(), r); }});
    for (const CeVariant& v : kCeVariants)
      cases.push_back({std::string("cross_entropy_") + v.name + s, {{4, 5}}, [r, v](V x) {
                         CrossEntropyOptions o;
                         if (v.weighted) o.class_weights = class_weights();
                         o.label_smoothing = v.smoothing;
                         o.reduction = r;
                         return cross_entropy(x[0], class_targets(), o);
                       }});
    cases.push_back({"nll" + s, {{4, 5}}, [r](V x) { return nll_loss(x[0], class_targets(), Tensor(), r); }});
    cases.push_back({"nll_weighted" + s, {{4, 5}},
                     [r](V x) { return nll_loss(x[0], class_targets(), class_weights(), r); }});
  }
  return cases;
}

class LossGrad : public ::testing::TestWithParam<GradCase> {};
TEST_P(LossGrad, Contiguous) { check_gradients(GetParam(), false); }
TEST_P(LossGrad, NonContiguous) { check_gradients(GetParam(), true); }
INSTANTIATE_TEST_SUITE_P(Ops, LossGrad, ::testing::ValuesIn(loss_cases()), case_name);

}  // namespace
}  // namespace myelin::testing
