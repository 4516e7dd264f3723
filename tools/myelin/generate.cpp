// `myelin generate MODEL`: samples a sequence from a trained token model (text, ...), one token
// at a time with the model's carried state.
#include <cstdio>

#include "commands.hpp"
#include "model_info.hpp"
#include "myelin/error.hpp"
#include "myelin/io/model_file.hpp"
#include "myelin/nn/generate.hpp"
#include "myelin/random.hpp"
#include "sequence_kinds.hpp"

namespace myelin::cli {
namespace {

// The most tokens one run generates: a million characters of text, or hours of melody. The
// sample is written when it is complete, so an unbounded --length would run on silently.
constexpr int64_t kMaxGenerateLength = 1'000'000;

struct GenerateArgs {
  std::string model, prompt, out;
  int64_t length = 200, top_k = 0;
  float temperature = 1.f, top_p = 1.f;
  uint64_t seed = 0;
  bool no_cache = false;
};

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

void run_generate(const GenerateArgs& args) {
  if (args.length < 0 || args.length > kMaxGenerateLength)
    throw Error("--length must be between 0 and " + std::to_string(kMaxGenerateLength) + " tokens, got " +
                std::to_string(args.length) + " (the sample is written when it is complete)");
  const io::LoadedModel loaded = io::load_model(args.model);
  const ModelInfo info = from_metadata(loaded.metadata, args.model);
  const SequenceKind* kind = find_sequence_kind(info.source);
  if (!kind)
    throw Error(args.model + ": this model was trained on " + info.source +
                " data; generate samples from models trained on token sequences (data source " +
                joined(sequence_sources()) + ")");
  auto* model = dynamic_cast<nn::Sequential*>(loaded.module.get());
  if (!model) throw Error(args.model + ": generate needs a Sequential model (tokens -> logits per step)");
  const std::vector<int64_t> prompt = kind->encode_prompt(info, args.prompt);
  nn::GenerateOptions options{.max_new_tokens = args.length,
                              .sampling = {.temperature = args.temperature, .top_k = args.top_k, .top_p = args.top_p},
                              .use_cache = !args.no_cache,
                              .window = args.no_cache && info.text ? info.text->seq_len : 0};
  Generator gen(args.seed);
  const std::vector<int64_t> tokens = nn::generate(*model, prompt, options, &gen);
  kind->write(info, prompt, tokens, args.out);
}

}  // namespace

void add_generate_command(CLI::App& app) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = app.add_subcommand("generate", "Sample a sequence from a trained token model");
  cmd->footer(
      "MODEL is a model trained on token sequences (a config with [data] source = \"text\").\n"
      "Each step samples the next token from the model's scores (temperature 0: always the most\n"
      "likely one), carrying the recurrent state or attention cache from step to step. The same\n"
      "seed gives the same sequence. Text models print the prompt and its continuation; melody\n"
      "models (source = \"midi\") write --out FILE.mid, and FILE.wav when FluidSynth is installed.\n\n"
      "Examples:\n"
      "  myelin generate runs/char_lstm/model.safetensors --length 300 --temperature 0.8 --top-k 40\n"
      "  myelin generate runs/char_lstm/model.safetensors --prompt \"Once upon\" --temperature 0\n"
      "  myelin generate runs/char_lstm/model.safetensors --top-p 0.9 --seed 7 --out sample.txt\n"
      "  myelin generate runs/music-lstm/model.safetensors --length 300 --temperature 0.8 --out song.mid");
  cmd->add_option("MODEL", args->model, "A model file written by `myelin train`")->required()->check(CLI::ExistingFile);
  cmd->add_option("--length", args->length, "How many tokens to generate (default 200, at most 1000000)");
  cmd->add_option("--temperature", args->temperature, "Divides the scores; 0 picks the most likely token (default 1)");
  cmd->add_option("--top-k", args->top_k, "Sample among the K most likely tokens only (default 0: all)");
  cmd->add_option("--top-p", args->top_p, "Sample among the fewest likeliest tokens whose probability reaches P (default 1)");
  cmd->add_option("--seed", args->seed, "Seed of the sampling (default 0)");
  cmd->add_option("--prompt", args->prompt, "Text to continue (default: the training text's first character)");
  cmd->add_option("--out", args->out, "Write to this file instead of standard output");
  cmd->add_flag("--no-cache", args->no_cache, "Recompute every step over the last seq_len tokens instead of carrying state");
  cmd->callback([args] { run_generate(*args); });
}

}  // namespace myelin::cli
