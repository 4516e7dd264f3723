// source = "text": a file's bytes as next-token windows of seq_len tokens, split in order.
#include "config/sources/sources.hpp"
#include "myelin/data/sequence.hpp"
#include "myelin/data/split.hpp"

namespace myelin::config {
namespace {

struct TextSettings : SourceSettings {
  int64_t seq_len = 0, stride = 0;   // tokens per example, start-to-start distance (0: seq_len)
  std::string vocabulary = "chars";  // "chars" (the bytes the file uses) or "bytes" (all 256)
  std::vector<double> split;         // train/validation/test fractions or token counts
};

class TextSource final : public DataSource {
 public:
  std::string name() const override { return "text"; }
  std::string summary() const override { return "a text (any bytes) file as next-token windows"; }

  void read_keys(TableReader& r, DataConfig& d) const override {
    auto s = std::make_shared<TextSettings>();
    d.paths["file"] = r.require_string("file");
    if (!r.has("seq_len")) r.fail("seq_len", "is required: how many tokens each training example holds");
    s->seq_len = r.get_int("seq_len", 0);
    if (s->seq_len < 1) r.fail("seq_len", "must be at least 1");
    s->stride = r.get_int("stride", 0);
    if (s->stride < 0) r.fail("stride", "must not be negative (0: seq_len)");
    s->vocabulary = r.get_string("vocabulary", "chars");
    check_choice(r, "vocabulary", s->vocabulary, {"chars", "bytes"});
    s->split = read_ordered_split(r);
    if (s->split.empty()) s->split = {1, 0, 0};
    reject_shuffling_keys(r, d);
    if (d.standardize) r.fail("standardize", "does not apply to text tokens");
    d.settings = s;
  }

  PreparedData load(const RunConfig& config) const override {
    const DataConfig& d = config.data;
    const TextSettings& s = settings_of<TextSettings>(d);
    if (!config.loss.classifies())
      throw Error(config.loss.where.str() + ": [loss] type '" + config.loss.type +
                  "' cannot learn text; next-token prediction needs cross_entropy or nll");
    const std::string file = d.path("file");
    const Tensor bytes = at_key(d, "file", file, [&] { return data::read_bytes(file); });
    if (bytes.numel() < 2) throw IoError(d.where_of("file").str() + ": [data] file: " + file + " holds fewer than 2 bytes");
    PreparedData out;
    out.text = TextPreparation{
        .vocabulary = s.vocabulary == "bytes" ? data::Vocabulary::all_bytes() : data::Vocabulary::of_text(bytes),
        .seq_len = s.seq_len,
        .start = std::string(1, static_cast<char>(bytes.data()[0]))};
    const Tensor tokens = out.text->vocabulary.encode(bytes);
    const std::vector<int64_t> sizes = at_key(d, "split", "", [&] { return data::split_sizes(tokens.numel(), s.split); });
    const char* names[] = {"training", "validation", "test"};
    Parts parts;
    Part* part[] = {&parts.train, &parts.validation, &parts.test};
    int64_t begin = 0;
    for (int k = 0; k < 3; ++k) {
      const int64_t n = sizes[static_cast<size_t>(k)];
      if (n == 0 && k > 0) continue;
      if (n < s.seq_len + 1)
        throw Error(d.where_of("seq_len").str() + ": [data] seq_len " + std::to_string(s.seq_len) + ": the " + names[k] +
                    " part of " + file + " has " + std::to_string(n) + " tokens, fewer than seq_len + 1");
      *part[k] = rows(data::TokenSequenceDataset(tokens.slice(0, begin, begin + n), s.seq_len, s.stride));
      begin += n;
    }
    out.class_names = d.class_names;
    return prepare_parts(config, std::move(parts), std::move(out));
  }
};

}  // namespace

const DataSource& text_source() {
  static const TextSource source;
  return source;
}

}  // namespace myelin::config
