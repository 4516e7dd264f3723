// Gradient checks for reductions, matrix products and views (one row per op).
#include "gradcheck.hpp"

namespace myelin::testing {
namespace {

using V = const std::vector<Tensor>&;

const GradCase kCases[] = {
    {"sum_all", {{3, 4}}, [](V x) { return sum(x[0]); }},
    {"sum_axis0", {{3, 4}}, [](V x) { return sum(x[0], {0}); }},
    {"sum_axes_keepdim", {{2, 3, 4}}, [](V x) { return sum(x[0], {0, 2}, true); }},
    {"mean_axis", {{2, 3, 4}}, [](V x) { return mean(x[0], {-1}); }},
    {"max_axis", {{3, 4}}, [](V x) { return max(x[0], 1); }, Inputs::Distinct},
    {"max_all", {{3, 4}}, [](V x) { return max(x[0]); }, Inputs::Distinct},
    {"sum_to", {{2, 3, 4}}, [](V x) { return sum_to(x[0], {3, 1}); }},
    {"matmul_2d", {{3, 4}, {4, 5}}, [](V x) { return matmul(x[0], x[1]); }},
    {"matmul_batched", {{2, 3, 4}, {2, 4, 5}}, [](V x) { return matmul(x[0], x[1]); }},
    {"matmul_broadcast", {{2, 3, 4}, {4, 5}}, [](V x) { return matmul(x[0], x[1]); }},
    {"matmul_vec", {{4}, {4, 5}}, [](V x) { return matmul(x[0], x[1]); }},
    {"matmul_matvec", {{3, 4}, {4}}, [](V x) { return matmul(x[0], x[1]); }},
    {"linear", {{5, 4}, {3, 4}, {3}}, [](V x) { return linear(x[0], x[1], x[2]); }},
    {"linear_3d_no_bias", {{2, 5, 4}, {3, 4}}, [](V x) { return linear(x[0], x[1]); }},
    {"reshape", {{3, 4}}, [](V x) { return mul(x[0].reshape({2, 6}), x[0].reshape({2, 6})); }},
    {"permute", {{2, 3, 4}}, [](V x) { return exp(x[0].permute({2, 0, 1})); }},
    {"slice_step", {{5, 4}}, [](V x) { return exp(x[0].slice(0, 1, 5, 2)); }},
    {"select", {{3, 4}}, [](V x) { return exp(x[0].select(1, -1)); }},
    {"expand", {{3, 1}}, [](V x) { return exp(x[0].expand({2, 3, 4})); }},
    {"unsqueeze_squeeze", {{3, 4}}, [](V x) { return exp(x[0].unsqueeze(1).squeeze(1)); }},
};

class ReduceMatmulGrad : public ::testing::TestWithParam<GradCase> {};
TEST_P(ReduceMatmulGrad, Contiguous) { check_gradients(GetParam(), false); }
TEST_P(ReduceMatmulGrad, NonContiguous) { check_gradients(GetParam(), true); }
INSTANTIATE_TEST_SUITE_P(Ops, ReduceMatmulGrad, ::testing::ValuesIn(kCases), case_name);

}  // namespace
}  // namespace myelin::testing
