// Melodies of MIDI files, their tokens, keys and statistics, file splits and n-gram baselines.
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "expect_error.hpp"
#include "myelin/music/corpus.hpp"
#include "myelin/music/statistics.hpp"
#include "temp_dir.hpp"

namespace myelin::music {
namespace {

using testing::expect_error;

MidiEvent ev(int64_t tick, uint8_t status, uint8_t pitch, uint8_t velocity) {
  return channel_event(tick, status, pitch, velocity);
}

// Two tracks at 96 ticks a quarter: a melody (with a chord under its first note) over a bass
// line, plus a drum hit.
MidiFile song() {
  MidiFile f;
  f.ticks_per_quarter = 96;
  f.tracks.push_back({{ev(0, 0x90, 72, 90), ev(0, 0x90, 67, 90), ev(95, 0x80, 72, 0), ev(95, 0x80, 67, 0),
                       ev(96, 0x90, 74, 90), ev(120, 0x90, 74, 0),      // velocity 0 ends it
                       ev(144, 0x90, 76, 90), ev(400, 0x80, 76, 0)}});
  f.tracks.push_back({{ev(0, 0x91, 48, 80), ev(192, 0x99, 36, 100), ev(192, 0x91, 43, 80), ev(288, 0x81, 43, 0),
                       ev(384, 0x81, 48, 0)}});
  return f;
}

TEST(Melody, NotesPairOnWithOffAndLeaveOutDrums) {
  const std::vector<Note> notes = notes_of(song());
  std::vector<std::tuple<int64_t, int64_t, int, int>> got;  // start, duration, pitch, track
  for (const Note& n : notes) got.emplace_back(n.start, n.duration, n.pitch, n.track);
  const std::vector<std::tuple<int64_t, int64_t, int, int>> want = {
      {0, 384, 48, 1}, {0, 95, 67, 0}, {0, 95, 72, 0}, {96, 24, 74, 0}, {144, 256, 76, 0}, {192, 96, 43, 1}};
  EXPECT_EQ(got, want);
}

TEST(Melody, TopLineOfTheHighestVoiceOnTheGrid) {
  // Steps of a sixteenth (24 ticks): the first track is the higher voice; C5 over G4 at 0
  // (95 ticks: 4 steps), D5 at step 4 (1 step), E5 at step 6 (256 ticks: 11 steps).
  const std::vector<MelodyNote> want = {{0, 4, 72}, {4, 1, 74}, {6, 11, 76}};
  EXPECT_EQ(melody_of(song(), 4), want);
  // With the second voice as busy and higher, it is the melody; notes cut at the next start.
  MidiFile f = song();
  f.tracks[1].events = {ev(0, 0x91, 80, 80), ev(48, 0x91, 84, 80), ev(50, 0x81, 80, 0), ev(60, 0x81, 84, 0),
                        ev(96, 0x91, 79, 80), ev(200, 0x81, 79, 0), ev(240, 0x91, 81, 80), ev(250, 0x81, 81, 0)};
  EXPECT_EQ(melody_of(f, 4), (std::vector<MelodyNote>{{0, 2, 80}, {2, 1, 84}, {4, 4, 79}, {10, 1, 81}}));
  expect_error([&] { melody_of(f, 0); }, "steps_per_quarter must be >= 1");
}

TEST(Tokenizer, EncodesPairsAndDecodesBack) {
  const MelodyTokenizer t;
  const std::vector<MelodyNote> m = {{0, 4, 72}, {4, 1, 74}, {6, 2, 76}, {8, 4, 43}};
  const std::vector<int64_t> tokens = t.encode(m);
  const std::vector<int64_t> want = {0, t.pitch_token(72), t.duration_token(4), t.pitch_token(74), t.duration_token(1),
                                     t.rest_token(), t.duration_token(1), t.pitch_token(76), t.duration_token(2),
                                     t.pitch_token(43), t.duration_token(4)};
  EXPECT_EQ(tokens, want);
  EXPECT_EQ(t.decode(tokens), m);
  EXPECT_EQ(t.vocab_size(), 106);
  EXPECT_EQ(t.pitch_token(21), 1);
  EXPECT_EQ(t.pitch_token(9), 1);     // folded up an octave
  EXPECT_EQ(t.pitch_token(120), 88);  // 120 - 12 = 108, the highest
  EXPECT_EQ(t.duration_token(40), t.vocab_size() - 1);  // cut to max_steps
}

TEST(Tokenizer, DecodesAnySequence) {
  const MelodyTokenizer t;
  // A duration with nothing before it is ignored; a pitch without a duration lasts one step.
  const std::vector<int64_t> tokens = {t.duration_token(3), t.pitch_token(60), t.pitch_token(62), t.duration_token(2),
                                       0, t.rest_token()};
  EXPECT_EQ(t.decode(tokens), (std::vector<MelodyNote>{{0, 1, 60}, {1, 2, 62}}));
  expect_error([&] { t.decode(std::vector<int64_t>{5, 106}); }, "token 106 at position 1 is outside [0, 106)");
}

TEST(Tokenizer, JsonRoundTripAndChecks) {
  MelodyTokenizer t;
  t.max_steps = 8;
  t.lowest = 36;
  const MelodyTokenizer back = MelodyTokenizer::from_json(t.to_json());
  EXPECT_EQ(back.max_steps, 8);
  EXPECT_EQ(back.lowest, 36);
  EXPECT_EQ(back.vocab_size(), t.vocab_size());
  expect_error([&] { MelodyTokenizer::from_json("{\"type\": \"melody\"}"); }, "field 'steps_per_quarter' is missing");
  expect_error([&] { MelodyTokenizer::from_json("[1]"); }, "\"type\": \"melody\"");
  t.highest = 40;
  expect_error([&] { t.encode({}); }, "lowest + 11 <= highest");
}

TEST(Melody, ToMidiPlaysTheMelodyBack) {
  const std::vector<MelodyNote> m = {{0, 2, 60}, {2, 2, 60}, {6, 4, 67}};
  const MidiFile f = parse_midi(encode_midi(melody_to_midi(m, 4, 400000, 73)));
  EXPECT_EQ(f.format, 0);
  EXPECT_EQ(initial_tempo(f), 400000);
  EXPECT_EQ(melody_of(f, 4), m);
}

TEST(Statistics, DetectsKeys) {
  // A C major scale, and an A harmonic minor line leaning on A, C and E.
  std::vector<MelodyNote> c_major, a_minor;
  int64_t s = 0;
  for (int p : {60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60}) c_major.push_back({s++, p == 60 ? 4 : 1, p});
  for (int p : {69, 72, 76, 69, 71, 72, 74, 76, 68, 69, 64, 69}) a_minor.push_back({s++, p == 69 ? 4 : 1, p});
  EXPECT_EQ(detect_key(c_major).name(), "C major");
  EXPECT_EQ(detect_key(a_minor).name(), "A minor");
  EXPECT_TRUE((Key{9, true}).contains(67));
  EXPECT_FALSE((Key{9, true}).contains(68));
  EXPECT_FALSE((Key{0, false}).contains(61));
}

TEST(Statistics, RangeKeyShareAndLengths) {
  const std::vector<std::vector<MelodyNote>> pieces = {
      {{0, 4, 60}, {4, 4, 64}, {8, 4, 67}, {12, 1, 61}, {13, 3, 60}},  // C major, C# out of key
      {},
      {{0, 1, 50}, {1, 1, 62}}};
  const MelodyStats s = melody_stats(pieces);
  EXPECT_EQ(s.pieces, 2);
  EXPECT_EQ(s.notes, 7);
  EXPECT_EQ(s.lowest, 50);
  EXPECT_EQ(s.highest, 67);
  EXPECT_DOUBLE_EQ(s.mean_range, (7 + 12) / 2.0);
  EXPECT_DOUBLE_EQ(s.in_key, 6 / 7.0);
  EXPECT_DOUBLE_EQ(s.length_share(4, 4), 3 / 7.0);
  EXPECT_DOUBLE_EQ(s.length_share(1, 3), 4 / 7.0);
}

TEST(Corpus, SplitsByFileSeededAndReadsPieces) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.file("sub"));
  for (const char* name : {"a.mid", "b.MID", "sub/c.midi", "d.mid", "e.mid"}) write_midi(dir.file(name), song());
  dir.write("notes.txt", "not music");
  const std::vector<std::string> files = midi_files_in(dir.path());
  ASSERT_EQ(files.size(), 5u);
  EXPECT_EQ(files[0], dir.file("a.mid"));
  const FileSplit s = split_files(files, 0.4, 7);
  EXPECT_EQ(s.held_out.size(), 2u);
  EXPECT_EQ(s.train.size(), 3u);
  EXPECT_EQ(split_files(files, 0.4, 7).held_out, s.held_out);
  EXPECT_EQ(split_files(files, 0.01, 7).held_out.size(), 1u);  // at least one
  EXPECT_EQ(split_files(files, 0, 7).train, files);
  const Pieces p = read_pieces(s.train, MelodyTokenizer{});
  ASSERT_EQ(p.tokens.size(), 3u);
  const Tensor stream = token_stream(p.tokens);
  EXPECT_EQ(stream.numel(), 3 * static_cast<int64_t>(p.tokens[0].size()));
  EXPECT_EQ(stream.data()[p.tokens[0].size()], 0.f);  // each piece starts with the start token
  expect_error<IoError>([&] { midi_files_in(dir.file("sub/c.midi")); }, "no such directory");
  expect_error([&] { split_files({"a"}, 0.5, 1); }, "at least 2 files");
}

TEST(Corpus, NgramLossesByHand) {
  const std::vector<int64_t> train = {0, 1, 1, 2}, eval = {0, 1, 2};
  // Unigram counts of train[1..]: 1 twice, 2 once; vocab 3, alpha 1: p(1) = 3/6, p(2) = 2/6.
  EXPECT_NEAR(ngram_loss(train, eval, 3, 1, 1.0), -(std::log(3 / 6.0) + std::log(2 / 6.0)) / 2, 1e-12);
  // Bigram: after 0: {1: 1}; after 1: {1: 1, 2: 1}. p(1|0) = 2/4, p(2|1) = 2/5.
  EXPECT_NEAR(ngram_loss(train, eval, 3, 2, 1.0), -(std::log(2 / 4.0) + std::log(2 / 5.0)) / 2, 1e-12);
  expect_error([&] { ngram_loss(train, std::vector<int64_t>{0, 3}, 3, 1); }, "token 3 at position 1");
  expect_error([&] { ngram_loss(train, eval, 3, 3); }, "order must be 1 or 2");
}

}  // namespace
}  // namespace myelin::music
