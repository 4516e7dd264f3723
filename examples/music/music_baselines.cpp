// The yardsticks of a melody model: for the data of a "midi" run config, the held-out loss per
// token of a unigram and a bigram model counted on the training files, and the corpus's
// musical statistics (pitch range, notes in key, note lengths).
//
// Run: build/examples/music_baselines examples/music/lstm.toml
// The split is the one `myelin train` makes for that config (same files held out).
#include <myelin/myelin.hpp>
#include <myelin/music/corpus.hpp>
#include <myelin/music/statistics.hpp>

#include <cstdio>

using namespace myelin;

namespace {

std::vector<int64_t> tokens_of(const data::DatasetPtr& d) {
  std::vector<int64_t> out;
  for (float v : dynamic_cast<const data::TokenSequenceDataset&>(*d).tokens().to_vector())
    out.push_back(static_cast<int64_t>(v));
  return out;
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc != 2) throw Error("usage: music_baselines CONFIG   (a run config with [data] source = \"midi\")");
  const config::RunConfig c = config::load_config(argv[1]);
  if (c.data.source != "midi") throw Error(std::string(argv[1]) + ": [data] source must be \"midi\"");
  const config::PreparedData data = config::load_data(c);
  if (!data.validation) throw Error(std::string(argv[1]) + ": set [data] validation_split to hold out files");
  const music::MelodyTokenizer tokenizer = music::MelodyTokenizer::from_json(data.tokenizer);
  const std::vector<int64_t> train = tokens_of(data.train), held_out = tokens_of(data.validation);
  std::printf("%s: %zu training tokens, %zu held-out tokens, vocabulary %lld\n", argv[1], train.size(),
              held_out.size(), static_cast<long long>(tokenizer.vocab_size()));
  for (int order : {1, 2})
    std::printf("%s baseline: held-out loss %.4f nats/token\n", order == 1 ? "unigram" : "bigram",
                music::ngram_loss(train, held_out, tokenizer.vocab_size(), order));

  const music::Pieces corpus = music::read_pieces(music::midi_files_in(c.data.path("dir")), tokenizer);
  std::printf("\n%s", music::stats_table({{"corpus", music::melody_stats(corpus.melodies)}}).c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
