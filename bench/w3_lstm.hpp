#pragma once
// W3's definition, shared by bench/w3_lstm_myelin.cpp and bench/w3_lstm_torch.cpp so both sides
// train on the same batches: a byte-level language model
//   bytes -> Embedding(256, 64) -> LSTM(64, 256, 2 layers) -> Linear(256, 256) -> logits per byte
// trained with Adam (lr 2e-3) on softmax cross-entropy over every position, batch 32 windows of
// 64 bytes (2,048 tokens a step), each predicting the byte after each of its bytes.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_util.hpp"

namespace bench::w3 {

constexpr int64_t kBatch = 32, kSteps = 64, kVocab = 256, kEmbed = 64, kHidden = 256, kLayers = 2;
constexpr double kLr = 2e-3;
constexpr int kWarmup = 5;  // untimed steps first (allocations, thread start-up)
constexpr int kChunk = 10;  // steps per timed chunk; the median chunk gives tokens/s

struct Options {
  int threads = 2;
  int steps = 60;  // timed steps, rounded up to whole chunks
  std::string data = "/usr/share/common-licenses/GPL-3";  // any text file of 4 KiB or more
};

// <program> [--threads N] [--steps N] [--data FILE]
inline Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    const std::string key = argv[i];
    if (i + 1 >= argc) throw std::runtime_error("option " + key + " needs a value");
    if (key == "--threads") o.threads = std::atoi(argv[i + 1]);
    else if (key == "--steps") o.steps = std::atoi(argv[i + 1]);
    else if (key == "--data") o.data = argv[i + 1];
    else throw std::runtime_error("unknown option " + key + " (expected --threads, --steps, --data)");
  }
  if (o.threads < 1 || o.steps < 1) throw std::runtime_error("--threads and --steps must be at least 1");
  return o;
}

// The whole file as bytes.
inline std::vector<unsigned char> read_text(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error(path + ": cannot open");
  std::vector<unsigned char> out;
  unsigned char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
  std::fclose(f);
  if (out.size() < 4096) throw std::runtime_error(path + ": W3 needs a text of 4 KiB or more");
  return out;
}

// Step `step`'s batch: inputs and targets (kBatch, kSteps) as byte values; window b starts
// where the previous one ended, wrapping around the text.
inline void batch(const std::vector<unsigned char>& text, int step, float* inputs, float* targets) {
  const int64_t span = static_cast<int64_t>(text.size()) - kSteps - 1;
  for (int64_t b = 0; b < kBatch; ++b) {
    const int64_t start = ((step * kBatch + b) * kSteps) % span;
    for (int64_t t = 0; t < kSteps; ++t) {
      inputs[b * kSteps + t] = text[start + t];
      targets[b * kSteps + t] = text[start + t + 1];
    }
  }
}

// Runs kWarmup untimed steps, then the timed ones in chunks of kChunk; train_step(step) trains
// on batch `step` and returns its loss. Reports the median chunk's tokens per wall second and per
// CPU second (user + system, all threads) and the last step's loss.
template <class TrainStep>
void run(const Options& o, TrainStep&& train_step) {
  int step = 0;
  double loss = 0;
  for (; step < kWarmup; ++step) loss = train_step(step);
  std::vector<double> wall, cpu;
  for (int done = 0; done < o.steps; done += kChunk) {
    const double w0 = now_s(), c0 = cpu_s();
    for (int i = 0; i < kChunk; ++i, ++step) loss = train_step(step);
    const double tokens = static_cast<double>(kChunk * kBatch * kSteps);
    wall.push_back(tokens / (now_s() - w0));
    cpu.push_back(tokens / (cpu_s() - c0));
  }
  report("w3_tokens_per_s", median(wall));
  report("w3_tokens_per_cpu_s", median(cpu));
  report("w3_loss", loss);
}

}  // namespace bench::w3
