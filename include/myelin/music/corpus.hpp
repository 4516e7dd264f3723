#pragma once
// A corpus of MIDI files as token streams for language models, split by files, and the n-gram
// baselines such models are measured against.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "myelin/music/tokenizer.hpp"
#include "myelin/tensor.hpp"

namespace myelin::music {

/// The .mid and .midi files under `dir` (searched recursively, any letter case), sorted by path.
/// Throws IoError when `dir` is not a directory or holds none.
std::vector<std::string> midi_files_in(const std::string& dir);

/// FileSplit: the files of a corpus, as training files and held-out files.
struct FileSplit {
  std::vector<std::string> train, held_out;
};

/// Holds out round(fraction * N) files, at least one when 0 < fraction and N >= 2, chosen by a
/// shuffle seeded with `seed`; both parts keep the input order.
/// Requires: 0 <= fraction < 1 (else Error); a part left empty is allowed only when fraction is 0.
FileSplit split_files(const std::vector<std::string>& files, double fraction, uint64_t seed);

/// Pieces: the melodies of files, and their tokens (each starting with the start token).
struct Pieces {
  std::vector<std::string> files;  // those with at least one note, in input order
  std::vector<std::vector<MelodyNote>> melodies;
  std::vector<std::vector<int64_t>> tokens;
};

/// Reads each file (read_midi; errors name the file), extracts its melody on the tokenizer's
/// grid and encodes it. Files without notes are left out.
Pieces read_pieces(const std::vector<std::string>& files, const MelodyTokenizer& tokenizer);

/// The pieces' tokens one after another, as floats (N) for data::TokenSequenceDataset.
Tensor token_stream(const std::vector<std::vector<int64_t>>& tokens);

/// Mean negative log-likelihood in nats per token of `eval`'s tokens after its first, under an
/// n-gram model of order 1 (unigram) or 2 (bigram) counted on `train` with add-`alpha`
/// smoothing over `vocab` tokens (a bigram predicts from the previous token of `eval`).
/// Requires: order 1 or 2, alpha > 0, tokens in [0, vocab), eval of at least 2 tokens (else Error).
double ngram_loss(std::span<const int64_t> train, std::span<const int64_t> eval, int64_t vocab, int order,
                  double alpha = 0.1);

}  // namespace myelin::music
