#pragma once
// Autoregressive generation: sampling the next token and continuing a prompt.
#include <cstdint>
#include <vector>

#include "myelin/nn/sequential.hpp"

namespace myelin {
class Generator;
}

namespace myelin::nn {

/// SamplingOptions: how the next token is drawn from the logits.
struct SamplingOptions {
  float temperature = 1.f;  // logits are divided by it; 0 picks the most likely token (greedy)
  int64_t top_k = 0;        // keep only the k most likely tokens (0: all)
  float top_p = 1.f;        // keep the fewest most likely tokens whose probability sums >= top_p
};

/// Draws a token from `logits` (V) with `options`, using one uniform draw from `gen` (the
/// default generator when null; none at temperature 0): the same generator state gives the same
/// token. Ties break towards the lower index.
/// Requires: logits 1-D and non-empty, temperature >= 0, top_k >= 0, 0 < top_p <= 1 (else Error).
int64_t sample_next(const Tensor& logits, const SamplingOptions& options, Generator* gen = nullptr);

/// GenerateOptions: how long to continue and whether to carry state.
struct GenerateOptions {
  int64_t max_new_tokens = 100;
  SamplingOptions sampling;
  /// Carry each Incremental layer's cache (recurrent state, attention keys and values) from step
  /// to step and feed only the new token (fast).
  /// Without it, every step recomputes the model over the last `window` tokens.
  bool use_cache = true;
  int64_t window = 0;  // context of the uncached path; 0: everything so far
};

/// Continues `prompt` with `model`, which maps tokens (1, T) to logits (1, T, V): a chain of
/// per-step layers (Embedding, Linear, activations, norms, ...) and Incremental layers
/// (batch-first RNN, LSTM, GRU; causal attention; positional encodings), which the cached
/// path feeds only the new token, carrying their StepCache. Runs in evaluation mode without gradients (restoring the model's mode)
/// and returns the new tokens only. With use_cache and an unlimited window, the cached and
/// uncached paths give the same tokens (at temperature 0, and for the same generator state).
/// Requires: a non-empty prompt; recurrent layers batch_first (else Error).
std::vector<int64_t> generate(Sequential& model, const std::vector<int64_t>& prompt,
                              const GenerateOptions& options, Generator* gen = nullptr);

}  // namespace myelin::nn
