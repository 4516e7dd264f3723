#include "sequence_kinds.hpp"

#include <cstdio>
#include <map>

#include "myelin/error.hpp"
#include "myelin/io/atomic_write.hpp"

namespace myelin::cli {
namespace {

// Text: bytes through the model's vocabulary; the default prompt is the training text's first byte.
SequenceKind text_kind() {
  return {.encode_prompt =
              [](const ModelInfo& info, const std::string& prompt) {
                try {
                  return info.text->vocabulary.encode(prompt.empty() ? info.text->start : prompt);
                } catch (const Error& e) {
                  throw Error(std::string("--prompt: ") + e.what());
                }
              },
          .write =
              [](const ModelInfo& info, const std::vector<int64_t>& prompt, const std::vector<int64_t>& generated,
                 const std::string& out) {
                const std::string text = info.text->vocabulary.decode(prompt) + info.text->vocabulary.decode(generated);
                if (!out.empty()) return io::write_file_atomically(out, text);
                std::fwrite(text.data(), 1, text.size(), stdout);
                std::printf("\n");
              }};
}

const std::map<std::string, SequenceKind>& kinds() {
  static const std::map<std::string, SequenceKind> all = {{"text", text_kind()}};
  return all;
}

}  // namespace

const SequenceKind* find_sequence_kind(const std::string& source) {
  const auto it = kinds().find(source);
  return it == kinds().end() ? nullptr : &it->second;
}

std::vector<std::string> sequence_sources() {
  std::vector<std::string> out;
  for (const auto& [source, kind] : kinds()) out.push_back(source);
  return out;
}

}  // namespace myelin::cli
