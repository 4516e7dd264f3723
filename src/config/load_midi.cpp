// The "midi" data source: a folder of MIDI files as melody tokens, held-out files for validation.
#include "config/load_midi.hpp"

#include "myelin/data/sequence.hpp"
#include "myelin/error.hpp"
#include "myelin/music/corpus.hpp"

namespace myelin::config {

PreparedData load_midi_data(const RunConfig& config) {
  const DataConfig& d = config.data;
  const std::string at = d.key_where.at("dir").str() + ": [data] dir: ";
  const music::MelodyTokenizer tokenizer;
  music::FileSplit split;
  music::Pieces train, validation;
  try {
    split = music::split_files(music::midi_files_in(d.dir), d.validation_split, config.train.seed);
    train = music::read_pieces(split.train, tokenizer);
    validation = music::read_pieces(split.held_out, tokenizer);
  } catch (const Error& e) {
    throw IoError(at + e.what());
  }
  // A window needs seq_len + 1 tokens (its inputs and the next token).
  auto windows = [&](const music::Pieces& p, const char* part, int64_t stride) -> data::DatasetPtr {
    const Tensor tokens = music::token_stream(p.tokens);
    if (tokens.numel() < d.seq_len + 1)
      throw IoError(at + "the " + part + " files hold " + std::to_string(tokens.numel()) +
                    " melody tokens, fewer than seq_len + 1 = " + std::to_string(d.seq_len + 1));
    return std::make_shared<data::TokenSequenceDataset>(tokens, d.seq_len, stride);
  };
  PreparedData out;
  out.train = windows(train, "training", d.stride);
  if (!split.held_out.empty()) out.validation = windows(validation, "held-out", d.seq_len);
  out.input_shape = {d.seq_len};
  out.tokenizer = tokenizer.to_json();
  return out;
}

}  // namespace myelin::config
