// source = "midi": a folder of MIDI files as melody tokens in next-token windows, held-out files
// (validation_split of them) for validation.
#include "config/sources/sources.hpp"
#include "myelin/data/sequence.hpp"
#include "myelin/music/corpus.hpp"

namespace myelin::config {
namespace {

struct MidiSettings : SourceSettings {
  int64_t seq_len = 64, stride = 64;  // tokens per example, start-to-start distance
};

class MidiSource final : public DataSource {
 public:
  std::string name() const override { return "midi"; }
  std::string summary() const override { return "a folder of MIDI files as melody tokens"; }

  void read_keys(TableReader& r, DataConfig& d) const override {
    auto s = std::make_shared<MidiSettings>();
    d.paths["dir"] = r.require_string("dir");
    s->seq_len = r.get_int("seq_len", 64);
    s->stride = r.get_int("stride", s->seq_len);
    if (s->seq_len < 1) r.fail("seq_len", "must be at least 1");
    if (s->stride < 1) r.fail("stride", "must be at least 1");
    d.settings = s;
  }

  PreparedData load(const RunConfig& config) const override {
    const DataConfig& d = config.data;
    const MidiSettings& s = settings_of<MidiSettings>(d);
    const std::string at = d.where_of("dir").str() + ": [data] dir: ";
    const music::MelodyTokenizer tokenizer;
    music::FileSplit split;
    music::Pieces train, validation;
    try {
      split = music::split_files(music::midi_files_in(d.path("dir")), d.validation_split, config.train.seed);
      train = music::read_pieces(split.train, tokenizer);
      validation = music::read_pieces(split.held_out, tokenizer);
    } catch (const Error& e) {
      throw IoError(at + e.what());
    }
    // A window needs seq_len + 1 tokens (its inputs and the next token).
    auto windows = [&](const music::Pieces& p, const char* part, int64_t stride) -> data::DatasetPtr {
      const Tensor tokens = music::token_stream(p.tokens);
      if (tokens.numel() < s.seq_len + 1)
        throw IoError(at + "the " + part + " files hold " + std::to_string(tokens.numel()) +
                      " melody tokens, fewer than seq_len + 1 = " + std::to_string(s.seq_len + 1));
      return std::make_shared<data::TokenSequenceDataset>(tokens, s.seq_len, stride);
    };
    PreparedData out;
    out.train = windows(train, "training", s.stride);
    if (!split.held_out.empty()) out.validation = windows(validation, "held-out", s.seq_len);
    out.input_shape = {s.seq_len};
    out.tokenizer = tokenizer.to_json();
    out.class_names = d.class_names;
    return out;
  }
};

}  // namespace

const DataSource& midi_source() {
  static const MidiSource source;
  return source;
}

}  // namespace myelin::config
