// W3, the LibTorch side: bench/w3_lstm_myelin.cpp's model and training as a LibTorch user would
// write them (torch::nn::LSTM, which runs ATen's at::lstm).
//   w3_lstm_torch [--threads N] [--steps N] [--data FILE]
#include <torch/torch.h>

#include <cstdio>
#include <exception>

#include "w3_lstm.hpp"

namespace w3 = bench::w3;

struct LanguageModelImpl : torch::nn::Module {
  torch::nn::Embedding embed{w3::kVocab, w3::kEmbed};
  torch::nn::LSTM lstm{torch::nn::LSTMOptions(w3::kEmbed, w3::kHidden).num_layers(w3::kLayers).batch_first(true)};
  torch::nn::Linear head{w3::kHidden, w3::kVocab};
  LanguageModelImpl() {
    register_module("embed", embed);
    register_module("lstm", lstm);
    register_module("head", head);
  }
  // x: (B, T) byte indices -> (B, T, vocab) logits
  torch::Tensor forward(const torch::Tensor& x) { return head(std::get<0>(lstm(embed(x)))); }
};
TORCH_MODULE(LanguageModel);

int main(int argc, char** argv) try {
  const w3::Options o = w3::parse(argc, argv);
  torch::set_num_threads(o.threads);
  torch::manual_seed(0);
  const std::vector<unsigned char> text = w3::read_text(o.data);
  LanguageModel net;
  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(w3::kLr));
  torch::Tensor inputs = torch::empty({w3::kBatch, w3::kSteps}), targets = torch::empty({w3::kBatch, w3::kSteps});
  w3::run(o, [&](int step) {
    w3::batch(text, step, inputs.data_ptr<float>(), targets.data_ptr<float>());
    opt.zero_grad();
    torch::Tensor logits = net->forward(inputs.to(torch::kLong));
    torch::Tensor loss = torch::nn::functional::cross_entropy(logits.reshape({-1, w3::kVocab}),
                                                              targets.to(torch::kLong).reshape({-1}));
    loss.backward();
    opt.step();
    return loss.item<double>();
  });
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "w3_lstm_torch: %s\n", e.what());
  return 1;
}
