// W3, the myelin side: bench/w3_lstm.hpp's byte-level LSTM language model, trained step by step.
// Prints "key value" lines (tokens per second, per CPU second, last loss); bench/w3_lstm_torch.cpp
// is its twin.   w3_lstm_myelin [--threads N] [--steps N] [--data FILE]
#include <cstdio>
#include <exception>

#include <myelin/myelin.hpp>

#include "w3_lstm.hpp"

using namespace myelin;
namespace w3 = bench::w3;

int main(int argc, char** argv) try {
  const w3::Options o = w3::parse(argc, argv);
  set_num_threads(o.threads);
  manual_seed(0);
  const std::vector<unsigned char> text = w3::read_text(o.data);
  nn::RecurrentOptions lstm_options;
  lstm_options.num_layers = w3::kLayers;
  lstm_options.batch_first = true;
  nn::Sequential net;
  net.add<nn::Embedding>(w3::kVocab, w3::kEmbed);
  net.add<nn::LSTM>(w3::kEmbed, w3::kHidden, lstm_options);
  net.add<nn::Linear>(w3::kHidden, w3::kVocab);
  optim::AdamOptions adam;
  adam.lr = w3::kLr;
  optim::Adam opt(net.parameters(), adam);
  Tensor inputs = Tensor::empty({w3::kBatch, w3::kSteps}), targets = Tensor::empty({w3::kBatch, w3::kSteps});
  w3::run(o, [&](int step) {
    w3::batch(text, step, inputs.data(), targets.data());
    opt.zero_grad();
    Tensor loss = sequence_cross_entropy(net(inputs), targets);
    loss.backward();
    opt.step();
    return static_cast<double>(loss.item());
  });
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "w3_lstm_myelin: %s\n", e.what());
  return 1;
}
