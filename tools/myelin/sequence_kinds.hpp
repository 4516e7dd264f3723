#pragma once
// SequenceKind: what `myelin generate` does for one kind of token model, chosen by the data
// source the model was trained on (ModelInfo::source). A new kind (e.g. MIDI tokens written as a
// .mid file) is one more entry in sequence_kinds.cpp; generate.cpp does not change.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model_info.hpp"

namespace myelin::cli {

struct SequenceKind {
  /// The prompt's tokens from --prompt ("" when not given: the kind's default start).
  /// Throws Error naming what in the prompt the model cannot read.
  std::function<std::vector<int64_t>(const ModelInfo&, const std::string& prompt)> encode_prompt;
  /// Writes the prompt and the generated tokens to `out`, a file path ("" for standard output).
  std::function<void(const ModelInfo&, const std::vector<int64_t>& prompt, const std::vector<int64_t>& generated,
                     const std::string& out)>
      write;
};

/// The kind for models trained on `source` data; null when `generate` cannot sample from them.
const SequenceKind* find_sequence_kind(const std::string& source);
/// The sources find_sequence_kind knows, for messages ("text", ...).
std::vector<std::string> sequence_sources();

}  // namespace myelin::cli
