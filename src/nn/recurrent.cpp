// Recurrent layers: stacks of `recurrent` ops, one per layer and direction.
#include "myelin/nn/recurrent.hpp"

#include <cmath>

#include "myelin/error.hpp"
#include "myelin/nn/init.hpp"
#include "nn/format.hpp"

namespace myelin::nn {

RecurrentState RecurrentState::detach() const {
  return {h.defined() ? h.detach() : Tensor(), c.defined() ? c.detach() : Tensor()};
}

namespace {

int64_t gates(RecurrentCell cell) {
  return cell == RecurrentCell::Lstm ? 4 : cell == RecurrentCell::Gru ? 3 : 1;
}

}  // namespace

Recurrent::Recurrent(RecurrentCell cell, int64_t input_size, int64_t hidden_size,
                     const RecurrentOptions& options, Generator* gen)
    : cell_(cell), input_size_(input_size), hidden_size_(hidden_size), options_(options) {
  if (input_size < 1 || hidden_size < 1 || options.num_layers < 1)
    throw Error("recurrent layer: input_size, hidden_size and num_layers must be >= 1, got " +
                std::to_string(input_size) + ", " + std::to_string(hidden_size) + " and " +
                std::to_string(options.num_layers));
  if (options.num_layers > RecurrentOptions::kMaxLayers)
    throw Error("recurrent layer: num_layers must be at most " + std::to_string(RecurrentOptions::kMaxLayers) +
                ", got " + std::to_string(options.num_layers));
  // Every size below is hidden_size times at most 8 (gates and directions), or a sum of two.
  if (input_size > (int64_t{1} << 40) || hidden_size > (int64_t{1} << 40))
    throw Error("recurrent layer: input_size and hidden_size must be at most 2^40, got " + std::to_string(input_size) +
                " and " + std::to_string(hidden_size));
  if (!(options.dropout >= 0.0 && options.dropout < 1.0))
    throw Error("recurrent layer: dropout must be in [0, 1), got " + format_number(options.dropout));
  const int64_t G = gates(cell) * hidden_size;
  for (int64_t l = 0; l < options.num_layers; ++l) {
    for (int64_t d = 0; d < directions(); ++d) {
      const std::string suffix = "_l" + std::to_string(l) + (d == 1 ? "_reverse" : "");
      const int64_t in = l == 0 ? input_size : hidden_size * directions();
      Weights w;
      w.w_ih = register_parameter("weight_ih" + suffix, Tensor::empty({G, in}));
      w.w_hh = register_parameter("weight_hh" + suffix, Tensor::empty({G, hidden_size}));
      if (options.bias) {
        w.b_ih = register_parameter("bias_ih" + suffix, Tensor::empty({G}));
        w.b_hh = register_parameter("bias_hh" + suffix, Tensor::empty({G}));
      }
      weights_.push_back(w);
    }
  }
  reset_parameters(gen);
}

void Recurrent::reset_parameters(Generator* gen) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden_size_));
  for (auto& [name, p] : named_parameters()) init::uniform_(p, -bound, bound, gen);
}

Tensor Recurrent::forward(const Tensor& x) { return forward_with_state(x).first; }

std::pair<Tensor, RecurrentState> Recurrent::forward_with_state(const Tensor& x,
                                                                const RecurrentState& state) {
  if (x.dim() != 3 || x.size(-1) != input_size_)
    throw ShapeError(type_name() + ": input must be " +
                     (options_.batch_first ? "(B, T, " : "(T, B, ") + std::to_string(input_size_) +
                     "), got " + to_string(x.shape()));
  const int64_t D = directions(), L = options_.num_layers;
  const int64_t B = options_.batch_first ? x.size(0) : x.size(1);
  const Shape state_shape{L * D, B, hidden_size_};
  const bool lstm = cell_ == RecurrentCell::Lstm;
  if (state.h.defined() && state.h.shape() != state_shape)
    throw ShapeError(type_name() + ": hidden state has shape " + to_string(state.h.shape()) +
                     ", expected " + to_string(state_shape));
  if (state.c.defined() && (!lstm || state.c.shape() != state_shape))
    throw ShapeError(type_name() + ": cell state has shape " + to_string(state.c.shape()) +
                     (lstm ? ", expected " + to_string(state_shape) : ", but only an LSTM has one"));

  Tensor seq = options_.batch_first ? x.transpose(0, 1) : x;  // (T, B, F)
  std::vector<Tensor> h_n, c_n;
  for (int64_t l = 0; l < L; ++l) {
    std::vector<Tensor> outputs;
    for (int64_t d = 0; d < D; ++d) {
      const int64_t k = l * D + d;
      const Weights& w = weights_[k];
      const RecurrentResult r =
          recurrent(cell_, seq, state.h.defined() ? state.h.select(0, k) : Tensor(),
                    state.c.defined() ? state.c.select(0, k) : Tensor(), w.w_ih, w.w_hh, w.b_ih,
                    w.b_hh, d == 1);
      outputs.push_back(r.output);
      h_n.push_back(r.h_n);
      if (lstm) c_n.push_back(r.c_n);
    }
    seq = D == 1 ? outputs[0] : concat(outputs, 2);
    if (l + 1 < L && options_.dropout > 0.0)
      seq = dropout(seq, static_cast<float>(options_.dropout), is_training());
  }
  RecurrentState out;
  out.h = stack(h_n, 0);
  if (lstm) out.c = stack(c_n, 0);
  return {options_.batch_first ? seq.transpose(0, 1) : seq, out};
}

Tensor Recurrent::forward_incremental(const Tensor& x_new, StepCache& cache) {
  if (!options_.batch_first)
    throw Error(type_name() + ": incremental use needs batch_first inputs (B, T, F)");
  RecurrentState state;
  if (!cache.tensors.empty()) state = {cache.tensors[0], cache.tensors[1]};
  auto [out, next] = forward_with_state(x_new, state);
  cache.tensors = {next.h, next.c};
  cache.steps += x_new.size(1);
  return out;
}

std::string Recurrent::extra_repr() const {
  std::string s = std::to_string(input_size_) + ", " + std::to_string(hidden_size_);
  if (options_.num_layers != 1) s += ", num_layers=" + std::to_string(options_.num_layers);
  if (!options_.bias) s += ", bias=false";
  if (options_.batch_first) s += ", batch_first=true";
  if (options_.dropout != 0.0) s += ", dropout=" + format_number(options_.dropout);
  if (options_.bidirectional) s += ", bidirectional=true";
  return s;
}

int64_t Recurrent::flops(const Shape& input, const Shape& output) const {
  (void)output;
  // Per step and row: the two projections (2 G (in + H)) of every layer and direction.
  const int64_t steps_rows = numel(input) / input_size_;
  const int64_t G = gates(cell_) * hidden_size_;
  int64_t per = 0;
  for (int64_t l = 0; l < options_.num_layers; ++l) {
    const int64_t in = l == 0 ? input_size_ : hidden_size_ * directions();
    per += directions() * 2 * G * (in + hidden_size_);
  }
  return steps_rows * per;
}

void Recurrent::describe(ModuleSpec& spec) const {
  spec.set("input_size", input_size_);
  spec.set("hidden_size", hidden_size_);
  spec.set("num_layers", options_.num_layers);
  spec.set("bias", options_.bias);
  spec.set("batch_first", options_.batch_first);
  spec.set("dropout", options_.dropout);
  spec.set("bidirectional", options_.bidirectional);
}

namespace {

RecurrentCell rnn_cell(const std::string& nonlinearity) {
  if (nonlinearity == "tanh") return RecurrentCell::RnnTanh;
  if (nonlinearity == "relu") return RecurrentCell::RnnRelu;
  throw Error("RNN: nonlinearity must be 'tanh' or 'relu', got '" + nonlinearity + "'");
}

}  // namespace

RNN::RNN(int64_t input_size, int64_t hidden_size, const RecurrentOptions& options,
         const std::string& nonlinearity, Generator* gen)
    : Recurrent(rnn_cell(nonlinearity), input_size, hidden_size, options, gen) {}

void RNN::describe(ModuleSpec& spec) const {
  Recurrent::describe(spec);
  spec.set("nonlinearity", cell() == RecurrentCell::RnnTanh ? "tanh" : "relu");
}

}  // namespace myelin::nn
