#pragma once
// Recurrent layers: RNN, LSTM and GRU with PyTorch's parameter names and gate layouts.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "myelin/nn/incremental.hpp"
#include "myelin/nn/module.hpp"
#include "myelin/ops.hpp"

namespace myelin {
class Generator;
}

namespace myelin::nn {

/// RecurrentState: the hidden state of a recurrent layer between calls.
/// h: (num_layers * directions, B, H); c: the same for an LSTM, undefined otherwise.
/// An undefined h (or c) means zeros. Detach it (detach()) to truncate back-propagation through
/// time when carrying it from one batch to the next.
struct RecurrentState {
  Tensor h;
  Tensor c;
  /// Both tensors cut from the graph (truncated BPTT: the next batch starts from these values
  /// but back-propagates no further).
  RecurrentState detach() const;
};

/// RecurrentOptions: the settings shared by RNN, LSTM and GRU (torch.nn.RNN's arguments).
struct RecurrentOptions {
  /// The most layers a stack may have: each adds its own tensors and a step of the forward
  /// pass, so a count from a config or file (2^31) is refused rather than built for minutes.
  static constexpr int64_t kMaxLayers = 1024;
  int64_t num_layers = 1;
  bool bias = true;
  bool batch_first = false;  // input and output (B, T, F) instead of (T, B, F)
  double dropout = 0.0;      // on the outputs of every layer but the last, while training
  bool bidirectional = false;
};

/// Recurrent: a stack of recurrent layers of one cell type. Parameters are registered as
/// PyTorch does, layer by layer and direction by direction: weight_ih_l{k}, weight_hh_l{k},
/// bias_ih_l{k}, bias_hh_l{k}, with the suffix "_reverse" for the backward direction; all drawn
/// from U(-1/sqrt(H), 1/sqrt(H)). Each layer and direction runs as one `recurrent` op.
///
/// forward(x) returns the output sequence, (T, B, D*H) or (B, T, D*H) with batch_first (D = 2
/// when bidirectional), so the layer chains in a Sequential (follow it with LastStep to keep
/// the last step only). forward_with_state also takes and returns the hidden state.
/// Requires: input_size, hidden_size >= 1, 1 <= num_layers <= RecurrentOptions::kMaxLayers,
/// 0 <= dropout < 1 (else Error); inputs
/// (T, B, input_size) (or batch first) (else ShapeError).
class Recurrent : public Module, public Incremental {
 public:
  Recurrent(RecurrentCell cell, int64_t input_size, int64_t hidden_size,
            const RecurrentOptions& options = {}, Generator* gen = nullptr);

  Tensor forward(const Tensor& x) override;
  /// The output sequence and the state after the last step. `state` is the initial state
  /// (undefined tensors: zeros).
  std::pair<Tensor, RecurrentState> forward_with_state(const Tensor& x,
                                                       const RecurrentState& state = {});
  /// Carries the state in `cache` (requires batch_first, else Error).
  Tensor forward_incremental(const Tensor& x_new, StepCache& cache) override;
  std::string extra_repr() const override;
  int64_t flops(const Shape& input, const Shape& output) const override;
  /// Draws fresh weights as the constructor does.
  void reset_parameters(Generator* gen = nullptr);

  RecurrentCell cell() const { return cell_; }
  int64_t input_size() const { return input_size_; }
  int64_t hidden_size() const { return hidden_size_; }
  const RecurrentOptions& options() const { return options_; }
  int64_t directions() const { return options_.bidirectional ? 2 : 1; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  struct Weights {
    Tensor w_ih, w_hh, b_ih, b_hh;
  };
  RecurrentCell cell_;
  int64_t input_size_;
  int64_t hidden_size_;
  RecurrentOptions options_;
  std::vector<Weights> weights_;  // index layer * directions + direction
};

/// RNN: Elman recurrent layers, h' = act(W_ih x + b_ih + W_hh h + b_hh), act tanh or relu
/// (`nonlinearity` "tanh" or "relu", else Error).
class RNN : public Recurrent {
 public:
  RNN(int64_t input_size, int64_t hidden_size, const RecurrentOptions& options = {},
      const std::string& nonlinearity = "tanh", Generator* gen = nullptr);
  std::string type_name() const override { return "RNN"; }

 protected:
  void describe(ModuleSpec& spec) const override;
};

/// LSTM: long short-term memory layers (gates i, f, g, o, as torch.nn.LSTM).
class LSTM : public Recurrent {
 public:
  LSTM(int64_t input_size, int64_t hidden_size, const RecurrentOptions& options = {},
       Generator* gen = nullptr)
      : Recurrent(RecurrentCell::Lstm, input_size, hidden_size, options, gen) {}
  std::string type_name() const override { return "LSTM"; }
};

/// GRU: gated recurrent unit layers (gates r, z, n, as torch.nn.GRU).
class GRU : public Recurrent {
 public:
  GRU(int64_t input_size, int64_t hidden_size, const RecurrentOptions& options = {},
      Generator* gen = nullptr)
      : Recurrent(RecurrentCell::Gru, input_size, hidden_size, options, gen) {}
  std::string type_name() const override { return "GRU"; }
};

}  // namespace myelin::nn
