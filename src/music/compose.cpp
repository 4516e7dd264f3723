// Sampling melodies from a melody language model.
#include "myelin/music/compose.hpp"

#include <algorithm>

#include "myelin/autograd.hpp"
#include "myelin/error.hpp"

namespace myelin::music {

std::vector<MelodyNote> sample_melody(nn::Sequential& model, const MelodyTokenizer& tokenizer,
                                      const nn::GenerateOptions& options, Generator* gen) {
  {
    NoGradGuard no_grad;
    const int64_t vocab = model.forward(Tensor::zeros({1, 1})).shape().back();
    if (vocab != tokenizer.vocab_size())
      throw Error("sample_melody: the model predicts " + std::to_string(vocab) + " tokens, the tokenizer has " +
                  std::to_string(tokenizer.vocab_size()));
  }
  std::vector<int64_t> tokens = nn::generate(model, {MelodyTokenizer::start_token()}, options, gen);
  tokens.erase(std::find(tokens.begin(), tokens.end(), MelodyTokenizer::start_token()), tokens.end());
  return tokenizer.decode(tokens);
}

}  // namespace myelin::music
