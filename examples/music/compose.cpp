// Writes new music with a melody model trained by `myelin train examples/music/lstm.toml` (or
// transformer.toml): samples pieces, writes them as .mid (and .wav when fluidsynth and the
// TimGM6mb soundfont are installed: scripts/setup --music), and prints their musical statistics
// next to the corpus's.
//
// Run: build/examples/compose runs/lstm/model.safetensors --out song.mid
//        [--pieces 20] [--length 400] [--temperature 1.0] [--top-k 0] [--seed 1] [--corpus DIR]
//        [--window N]
// song.mid (and song.wav) hold the first piece; the statistics cover all of them. --window N
// recomputes each step over the last N tokens instead of carrying state: needed by models with
// learned positions (transformer.toml: --window 64) to write more than N tokens.
#include <myelin/myelin.hpp>
#include <myelin/music/compose.hpp>
#include <myelin/music/corpus.hpp>
#include <myelin/music/statistics.hpp>
#include <myelin/music/synth.hpp>

#include <cstdio>
#include <cstring>
#include <string>

using namespace myelin;

int main(int argc, char** argv) try {
  if (argc < 2 || argv[1][0] == '-')
    throw Error("usage: compose MODEL --out FILE.mid [--pieces N] [--length N] [--temperature T] [--top-k K] "
                "[--seed S] [--corpus DIR] [--window N]");
  std::string out = "song.mid", corpus_dir;
  int64_t pieces = 20;
  uint64_t seed = 1;
  nn::GenerateOptions options;
  options.max_new_tokens = 400;
  for (int i = 2; i < argc; i += 2) {
    if (i + 1 >= argc) throw Error(std::string(argv[i]) + " needs a value");
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--out") out = value;
    else if (key == "--pieces") pieces = std::stoll(value);
    else if (key == "--length") options.max_new_tokens = std::stoll(value);
    else if (key == "--temperature") options.sampling.temperature = std::stof(value);
    else if (key == "--top-k") options.sampling.top_k = std::stoll(value);
    else if (key == "--seed") seed = std::stoull(value);
    else if (key == "--corpus") corpus_dir = value;
    else if (key == "--window") options.use_cache = false, options.window = std::stoll(value);
    else throw Error("unknown option " + key);
  }
  if (pieces < 1) throw Error("--pieces must be at least 1");

  io::LoadedModel loaded = io::load_model(argv[1]);
  auto model = std::dynamic_pointer_cast<nn::Sequential>(loaded.module);
  const auto tokenizer_json = loaded.metadata.find("tokenizer");
  if (!model || tokenizer_json == loaded.metadata.end())
    throw Error(std::string(argv[1]) + ": not a melody model (train one with examples/music/lstm.toml)");
  const music::MelodyTokenizer tokenizer = music::MelodyTokenizer::from_json(tokenizer_json->second);

  Generator gen(seed);
  std::vector<std::vector<music::MelodyNote>> melodies;
  for (int64_t i = 0; i < pieces; ++i) melodies.push_back(music::sample_melody(*model, tokenizer, options, &gen));
  music::write_midi(out, music::melody_to_midi(melodies[0], tokenizer.steps_per_quarter));
  std::printf("wrote %s (%zu notes)\n", out.c_str(), melodies[0].size());
  const std::string wav = out.substr(0, out.rfind('.')) + ".wav";
  if (music::render_wav(out, wav)) std::printf("wrote %s\n", wav.c_str());
  else std::printf("no WAV: fluidsynth or %s is missing (scripts/setup --music)\n", music::kDefaultSoundfont);

  std::vector<std::pair<std::string, music::MelodyStats>> columns;
  if (!corpus_dir.empty())
    columns.emplace_back("corpus", music::melody_stats(music::read_pieces(music::midi_files_in(corpus_dir), tokenizer).melodies));
  columns.emplace_back("generated", music::melody_stats(melodies));
  std::printf("\n%s", music::stats_table(columns).c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
