// Tutorial: a character-level (byte) language model with an LSTM, trained with truncated
// back-propagation through time, then asked to write.
//
// The text is cut into 32 parallel streams. Each training step reads the next 64 bytes of every
// stream (a (32, 64) batch), predicts each following byte, and carries the LSTM's state into the
// next step, detached: gradients stop at the batch boundary, the memory does not.
//   bytes -> Embedding(256, 64) -> LSTM(64, 256) -> Linear(256, 256) -> logits per byte
//
// Run: build/examples/char_lstm FILE [--steps N] [--threads T] [--temperature 0.8]
// It prints the training speed in tokens (bytes) per second and a sample of generated text.
#include <myelin/myelin.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace myelin;

int main(int argc, char** argv) try {
  if (argc < 2) throw Error("usage: char_lstm FILE [--steps N] [--threads T] [--temperature X]");
  int steps = 200, threads = 0;
  float temperature = 0.8f;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--steps")) steps = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--temperature")) temperature = std::strtof(argv[i + 1], nullptr);
    else throw Error(std::string("unknown option ") + argv[i]);
  }
  if (threads > 0) set_num_threads(threads);
  manual_seed(42);
  const int64_t B = 32, T = 64;

  // 1. The data: bytes 0..255 as floats, cut into B streams of equal length.
  const Tensor text = data::read_bytes(argv[1]);
  const int64_t stream = (text.numel() - 1) / B;
  if (stream < T) throw Error(std::string(argv[1]) + ": too short for 32 streams of 64 bytes");
  std::printf("%s: %lld bytes, %lld per stream\n", argv[1], static_cast<long long>(text.numel()),
              static_cast<long long>(stream));

  // 2. The model. batch_first: the LSTM reads (B, T, 64) and returns (B, T, 256).
  nn::RecurrentOptions lstm_options;
  lstm_options.batch_first = true;
  nn::Sequential model;
  model.add<nn::Embedding>(256, 64);
  auto& lstm = model.add<nn::LSTM>(64, 256, lstm_options);
  model.add<nn::Linear>(256, 256);
  optim::AdamOptions adam;
  adam.lr = 2e-3;
  optim::Adam optimizer(model.parameters(), adam);

  // 3. Training with the state carried between steps (truncated BPTT).
  Tensor inputs = Tensor::empty({B, T}), targets = Tensor::empty({B, T});
  nn::RecurrentState state;
  int64_t pos = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int step = 1; step <= steps; ++step) {
    if (pos + T >= stream) pos = 0, state = {};  // back to the start of every stream
    for (int64_t b = 0; b < B; ++b)
      for (int64_t t = 0; t < T; ++t) {
        inputs.data()[b * T + t] = text.data()[b * stream + pos + t];
        targets.data()[b * T + t] = text.data()[b * stream + pos + t + 1];
      }
    pos += T;
    optimizer.zero_grad();
    // The layers one by one, so the LSTM can take and return its state.
    auto [hidden, next_state] = lstm.forward_with_state(model[0](inputs), state);
    state = next_state.detach();
    Tensor loss = sequence_cross_entropy(model[2](hidden), targets);
    loss.backward();
    optim::clip_grad_norm_(model.parameters(), 1.0);
    optimizer.step();
    if (step % 50 == 0 || step == steps) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("step %d  loss %.3f  %.0f tokens/s\n", step, loss.item(), step * B * T / s);
    }
  }

  // 4. Writing: continue a prompt, one byte at a time, from the carried LSTM state.
  const std::string prompt = "This program is ";
  nn::GenerateOptions gen;
  gen.max_new_tokens = 300;
  gen.sampling.temperature = temperature;
  gen.sampling.top_k = 40;
  Generator sampler(7);
  const std::vector<int64_t> out =
      nn::generate(model, std::vector<int64_t>(prompt.begin(), prompt.end()), gen, &sampler);
  std::printf("--- sample ---\n%s%s\n", prompt.c_str(), std::string(out.begin(), out.end()).c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
