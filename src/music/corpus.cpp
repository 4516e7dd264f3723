// MIDI corpora: listing, splitting by file, token streams, n-gram baselines.
#include "myelin/music/corpus.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

#include "data/permutation.hpp"
#include "myelin/error.hpp"

namespace myelin::music {

std::vector<std::string> midi_files_in(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw IoError(dir + ": no such directory");
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".mid" || ext == ".midi") files.push_back(entry.path().string());
  }
  if (files.empty()) throw IoError(dir + ": holds no .mid or .midi files");
  std::sort(files.begin(), files.end());
  return files;
}

FileSplit split_files(const std::vector<std::string>& files, double fraction, uint64_t seed) {
  if (!(fraction >= 0 && fraction < 1))
    throw Error("split_files: the held-out fraction must be in [0, 1), got " + std::to_string(fraction));
  const auto n = static_cast<int64_t>(files.size());
  if (fraction > 0 && n < 2) throw Error("split_files: holding out files needs at least 2 files, got " + std::to_string(n));
  int64_t held = std::llround(fraction * static_cast<double>(n));
  if (fraction > 0) held = std::clamp<int64_t>(held, 1, n - 1);
  Generator gen(seed);
  const std::vector<int64_t> order = data::detail::random_permutation(n, gen);
  std::vector<bool> out(files.size(), false);
  for (int64_t i = 0; i < held; ++i) out[order[i]] = true;
  FileSplit split;
  for (size_t i = 0; i < files.size(); ++i) (out[i] ? split.held_out : split.train).push_back(files[i]);
  return split;
}

Pieces read_pieces(const std::vector<std::string>& files, const MelodyTokenizer& tokenizer) {
  Pieces p;
  for (const std::string& f : files) {
    std::vector<MelodyNote> melody = melody_of(read_midi(f), tokenizer.steps_per_quarter);
    if (melody.empty()) continue;
    p.tokens.push_back(tokenizer.encode(melody));
    p.melodies.push_back(std::move(melody));
    p.files.push_back(f);
  }
  return p;
}

Tensor token_stream(const std::vector<std::vector<int64_t>>& tokens) {
  int64_t n = 0;
  for (const auto& t : tokens) n += static_cast<int64_t>(t.size());
  Tensor out = Tensor::empty({n});
  float* o = out.data();
  for (const auto& t : tokens)
    for (int64_t token : t) *o++ = static_cast<float>(token);
  return out;
}

double ngram_loss(std::span<const int64_t> train, std::span<const int64_t> eval, int64_t vocab, int order,
                  double alpha) {
  if (order != 1 && order != 2) throw Error("ngram_loss: order must be 1 or 2, got " + std::to_string(order));
  if (!(alpha > 0)) throw Error("ngram_loss: alpha must be > 0, got " + std::to_string(alpha));
  if (eval.size() < 2) throw Error("ngram_loss: the evaluated tokens must be at least 2, got " + std::to_string(eval.size()));
  for (auto tokens : {train, eval})
    for (size_t i = 0; i < tokens.size(); ++i)
      if (tokens[i] < 0 || tokens[i] >= vocab)
        throw Error("ngram_loss: token " + std::to_string(tokens[i]) + " at position " + std::to_string(i) +
                    " is outside [0, " + std::to_string(vocab) + ")");
  // counts: (contexts, V), one context for the unigram, the previous token for the bigram.
  const int64_t contexts = order == 1 ? 1 : vocab;
  std::vector<double> counts(static_cast<size_t>(contexts * vocab), 0), totals(static_cast<size_t>(contexts), 0);
  auto context = [&](std::span<const int64_t> t, size_t i) { return order == 1 ? 0 : t[i - 1]; };
  for (size_t i = 1; i < train.size(); ++i) {
    counts[context(train, i) * vocab + train[i]] += 1;
    totals[context(train, i)] += 1;
  }
  double nll = 0;
  for (size_t i = 1; i < eval.size(); ++i) {
    const int64_t c = context(eval, i);
    nll -= std::log((counts[c * vocab + eval[i]] + alpha) / (totals[c] + alpha * static_cast<double>(vocab)));
  }
  return nll / static_cast<double>(eval.size() - 1);
}

}  // namespace myelin::music
