#pragma once
// Writing new melodies with a trained melody language model.
#include <vector>

#include "myelin/music/tokenizer.hpp"
#include "myelin/nn/generate.hpp"

namespace myelin::music {

/// Samples one piece from `model` (tokens (1, T) -> logits (1, T, vocab), trained on
/// `tokenizer`'s tokens): from the start token, up to options.max_new_tokens tokens, ending
/// early at the next start token; returned decoded. Same generator state, same melody.
/// Requires: the model's vocabulary matches the tokenizer's (else Error).
std::vector<MelodyNote> sample_melody(nn::Sequential& model, const MelodyTokenizer& tokenizer,
                                      const nn::GenerateOptions& options, Generator* gen = nullptr);

}  // namespace myelin::music
