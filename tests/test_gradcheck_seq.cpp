// Gradient checks for the sequence ops: the recurrent op of every cell, both directions, over
// three time steps (so gradients pass through the recurrence), and the embedding lookup.
#include "gradcheck.hpp"

namespace myelin::testing {
namespace {

using V = const std::vector<Tensor>&;

// (T, B, I) = (3, 2, 3), H = 2: x, h0, [c0,] w_ih, w_hh, b_ih, b_hh.
GradCase recurrent_case(const std::string& name, RecurrentCell cell, int64_t gates, bool reverse) {
  const bool lstm = cell == RecurrentCell::Lstm;
  std::vector<Shape> shapes{{3, 2, 3}, {2, 2}};
  if (lstm) shapes.push_back({2, 2});
  for (const Shape& s : std::vector<Shape>{{gates * 2, 3}, {gates * 2, 2}, {gates * 2}, {gates * 2}})
    shapes.push_back(s);
  return {name, shapes, [cell, lstm, reverse](V x) {
            const size_t k = lstm ? 3 : 2;
            const RecurrentResult r = recurrent(cell, x[0], x[1], lstm ? x[2] : Tensor(), x[k],
                                                x[k + 1], x[k + 2], x[k + 3], reverse);
            std::vector<Tensor> parts{r.output.flatten(), r.h_n.flatten()};
            if (lstm) parts.push_back(r.c_n.flatten());
            return concat(parts, 0);
          }};
}

std::vector<GradCase> seq_cases() {
  std::vector<GradCase> cases;
  cases.push_back(recurrent_case("lstm", RecurrentCell::Lstm, 4, false));
  cases.push_back(recurrent_case("lstm_reverse", RecurrentCell::Lstm, 4, true));
  cases.push_back(recurrent_case("gru", RecurrentCell::Gru, 3, false));
  cases.push_back(recurrent_case("gru_reverse", RecurrentCell::Gru, 3, true));
  cases.push_back(recurrent_case("rnn_tanh", RecurrentCell::RnnTanh, 1, false));
  cases.push_back(recurrent_case("rnn_tanh_reverse", RecurrentCell::RnnTanh, 1, true));
  // Repeated indices, so gradients of one row add up.
  cases.push_back({"embedding", {{5, 3}}, [](V x) {
                     return embedding(Tensor::from_vector({0, 2, 2, 4, 1, 2}, {2, 3}), x[0]);
                   }});
  // Attention over (B, heads, T, d) = (2, 2, 3, 2), with and without masks, and over 3-D input
  // with more keys than queries (the cached case).
  cases.push_back({"attention", {{2, 2, 3, 2}, {2, 2, 3, 2}, {2, 2, 3, 2}},
                   [](V x) { return scaled_dot_product_attention(x[0], x[1], x[2]); }});
  cases.push_back({"attention_causal_padded", {{2, 2, 3, 2}, {2, 2, 3, 2}, {2, 2, 3, 2}}, [](V x) {
                     const Tensor pad = Tensor::from_vector({0, 0, 0, 0, 0, 1}, {2, 3});
                     return scaled_dot_product_attention(x[0], x[1], x[2], true, pad);
                   }});
  cases.push_back({"attention_causal_cached", {{2, 1, 2}, {2, 3, 2}, {2, 3, 2}},
                   [](V x) { return scaled_dot_product_attention(x[0], x[1], x[2], true); }});
  cases.push_back({"rms_norm", {{3, 4}, {4}}, [](V x) { return rms_norm(x[0], x[1]); }});
  return cases;
}

class SeqGrad : public ::testing::TestWithParam<GradCase> {};
TEST_P(SeqGrad, Contiguous) { check_gradients(GetParam(), false); }
TEST_P(SeqGrad, NonContiguous) { check_gradients(GetParam(), true); }
INSTANTIATE_TEST_SUITE_P(Ops, SeqGrad, ::testing::ValuesIn(seq_cases()), case_name);

}  // namespace
}  // namespace myelin::testing
