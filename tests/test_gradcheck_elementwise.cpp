// Gradient checks for elementwise arithmetic and activations (one row per op).
#include "gradcheck.hpp"

namespace myelin::testing {
namespace {

using V = const std::vector<Tensor>&;

const GradCase kCases[] = {
    {"add", {{3, 4}, {3, 4}}, [](V x) { return add(x[0], x[1]); }},
    {"add_broadcast_row", {{3, 4}, {4}}, [](V x) { return add(x[0], x[1]); }},
    {"add_broadcast_both", {{3, 1}, {1, 4}}, [](V x) { return add(x[0], x[1]); }},
    {"sub_broadcast", {{2, 3, 4}, {3, 1}}, [](V x) { return sub(x[0], x[1]); }},
    {"mul_broadcast", {{2, 3, 4}, {4}}, [](V x) { return mul(x[0], x[1]); }},
    {"div_broadcast", {{3, 4}, {3, 1}}, [](V x) { return div(x[0], x[1]); }, Inputs::Positive},
    {"add_scalar", {{3, 4}}, [](V x) { return add(x[0], 2.5f); }},
    {"mul_scalar", {{3, 4}}, [](V x) { return mul(x[0], -1.5f); }},
    {"neg", {{3, 4}}, [](V x) { return neg(x[0]); }},
    {"exp", {{3, 4}}, [](V x) { return exp(x[0]); }},
    {"log", {{3, 4}}, [](V x) { return log(x[0]); }, Inputs::Positive},
    {"pow", {{3, 4}}, [](V x) { return pow(x[0], 2.5f); }, Inputs::Positive},
    {"sqrt", {{3, 4}}, [](V x) { return sqrt(x[0]); }, Inputs::Positive},
    {"abs", {{3, 4}}, [](V x) { return abs(x[0]); }},
    {"clamp", {{3, 4}}, [](V x) { return clamp(x[0], -0.55f, 0.45f); }},
    {"sigmoid", {{3, 4}}, [](V x) { return sigmoid(x[0]); }},
    {"tanh", {{3, 4}}, [](V x) { return tanh(x[0]); }},
    {"relu", {{3, 4}}, [](V x) { return relu(x[0]); }},
    {"leaky_relu", {{3, 4}}, [](V x) { return leaky_relu(x[0], 0.1f); }},
    {"elu", {{3, 4}}, [](V x) { return elu(x[0], 0.7f); }},
    {"gelu", {{3, 4}}, [](V x) { return gelu(x[0]); }},
    {"softplus", {{3, 4}}, [](V x) { return softplus(x[0], 2.f, 1.f); }},
    {"softmax_last", {{3, 5}}, [](V x) { return softmax(x[0], -1); }},
    {"softmax_first", {{3, 5}}, [](V x) { return softmax(x[0], 0); }},
    {"log_softmax", {{2, 3, 4}}, [](V x) { return log_softmax(x[0], 1); }},
    {"reused_input", {{3, 4}}, [](V x) { return mul(x[0], tanh(x[0])); }},
};

class ElementwiseGrad : public ::testing::TestWithParam<GradCase> {};
TEST_P(ElementwiseGrad, Contiguous) { check_gradients(GetParam(), false); }
TEST_P(ElementwiseGrad, NonContiguous) { check_gradients(GetParam(), true); }
INSTANTIATE_TEST_SUITE_P(Ops, ElementwiseGrad, ::testing::ValuesIn(kCases), case_name);

}  // namespace
}  // namespace myelin::testing
