#include "sequence_kinds.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "myelin/error.hpp"
#include "myelin/io/atomic_write.hpp"
#include "myelin/music/melody.hpp"
#include "myelin/music/midi.hpp"
#include "myelin/music/synth.hpp"
#include "myelin/music/tokenizer.hpp"

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

// MIDI melodies: a piece starts from the start token and ends at the next one; the melody is
// written as a .mid file (--out is required), and as a .wav next to it when FluidSynth is installed.
SequenceKind midi_kind() {
  return {.encode_prompt =
              [](const ModelInfo&, const std::string& prompt) {
                if (!prompt.empty()) throw Error("--prompt: melody models start from the start token and take no text prompt");
                return std::vector<int64_t>{music::MelodyTokenizer::start_token()};
              },
          .write =
              [](const ModelInfo& info, const std::vector<int64_t>&, const std::vector<int64_t>& generated,
                 const std::string& out) {
                if (out.empty() || !out.ends_with(".mid"))
                  throw Error("--out: melody models write a MIDI file; give a path ending in .mid");
                const music::MelodyTokenizer tokenizer = music::MelodyTokenizer::from_json(info.tokenizer);
                const auto end = std::find(generated.begin(), generated.end(), music::MelodyTokenizer::start_token());
                const std::vector<music::MelodyNote> melody =
                    tokenizer.decode(std::span<const int64_t>(generated.begin(), end));
                music::write_midi(out, music::melody_to_midi(melody, tokenizer.steps_per_quarter));
                std::printf("wrote %s (%zu notes and rests)\n", out.c_str(), melody.size());
                const std::string wav = out.substr(0, out.size() - 4) + ".wav";
                if (music::render_wav(out, wav))
                  std::printf("wrote %s\n", wav.c_str());
                else
                  std::printf("no .wav: install fluidsynth and timgm6mb-soundfont (scripts/setup --music)\n");
              }};
}

const std::map<std::string, SequenceKind>& kinds() {
  static const std::map<std::string, SequenceKind> all = {{"text", text_kind()}, {"midi", midi_kind()}};
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
