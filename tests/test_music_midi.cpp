// Standard MIDI File reader and writer: round trips, formats 0 and 1, running status, and
// truncated or hostile files rejected with the file and byte offset.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expect_error.hpp"
#include "myelin/error.hpp"
#include "myelin/music/midi.hpp"
#include "temp_dir.hpp"

namespace myelin::music {
namespace {

using testing::expect_error;
using Bytes = std::vector<uint8_t>;

Bytes header(int format, int tracks, int division = 96) {
  return {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, static_cast<uint8_t>(format), 0, static_cast<uint8_t>(tracks),
          static_cast<uint8_t>(division >> 8), static_cast<uint8_t>(division)};
}

// A chunk with the given id and body; `claimed` overrides the length field.
Bytes chunk(const std::string& id, const Bytes& body, int64_t claimed = -1) {
  const auto n = static_cast<uint32_t>(claimed < 0 ? body.size() : claimed);
  Bytes out(id.begin(), id.end());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(n >> shift));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

const Bytes kEnd = {0x00, 0xFF, 0x2F, 0x00};

MidiFile format0() {
  MidiFile f;
  f.format = 0;
  f.ticks_per_quarter = 96;
  return f;
}

MidiEvent note(int64_t tick, uint8_t status, uint8_t pitch, uint8_t velocity) {
  return channel_event(tick, status, pitch, velocity);
}
MidiEvent end_of_track(int64_t tick) { return meta_event(tick, kMetaEndOfTrack); }

MidiFile two_track_file() {
  MidiFile f;
  f.tracks.push_back({{tempo_event(0, 600000), time_signature_event(0, 3, 4), end_of_track(0)}});
  MidiTrack melody;
  melody.events = {channel_event(0, 0xC1, 40),
                   note(0, 0x91, 60, 100), note(480, 0x81, 60, 0),   note(480, 0x91, 64, 90),
                   note(720, 0x91, 64, 0),   note(720, 0xB1, 7, 100), note(200000, 0x91, 67, 80),
                   note(200960, 0x81, 67, 64), end_of_track(201000)};
  f.tracks.push_back(melody);
  return f;
}

TEST(MidiFile, RoundTripsFormat1WithTempoAndTimeSignature) {
  const MidiFile f = two_track_file();
  const MidiFile back = parse_midi(encode_midi(f));
  EXPECT_EQ(back, f);
  EXPECT_EQ(initial_tempo(back), 600000);
  EXPECT_EQ(back.tracks[0].events[1].payload, (Bytes{3, 2, 24, 8}));
}

TEST(MidiFile, RoundTripsFormat0ThroughAFile) {
  MidiFile f = format0();
  f.tracks.push_back({{note(0, 0x90, 60, 64), note(96, 0x80, 60, 0), end_of_track(96)}});
  testing::TempDir dir;
  write_midi(dir.file("a.mid"), f);
  EXPECT_EQ(read_midi(dir.file("a.mid")), f);
}

TEST(MidiFile, WriterAddsTheEndOfTrackAndUsesRunningStatus) {
  MidiFile f = format0();
  f.tracks.push_back({{note(0, 0x90, 60, 64), note(10, 0x90, 60, 0)}});
  const Bytes bytes = encode_midi(f);
  // Track body: 00 90 3C 40 | 0A 3C 00 (status omitted) | 00 FF 2F 00.
  const Bytes body = {0x00, 0x90, 60, 64, 10, 60, 0, 0x00, 0xFF, 0x2F, 0x00};
  EXPECT_EQ(bytes, concat({header(0, 1), chunk("MTrk", body)}));
  EXPECT_EQ(parse_midi(bytes).tracks[0].events.back(), end_of_track(10));
}

TEST(MidiFile, ReadsRunningStatusAndSkipsSysex) {
  // note on, two more notes under running status, a sysex (skipped), a program change (one
  // data byte) and a note-off.
  const Bytes body = {0x00, 0x92, 60, 100, 0x10, 62, 90, 0x10, 64, 80, 0x00, 0xF0, 0x03, 0x7E, 0x7F, 0xF7,
                      0x00, 0xC2, 5, 0x20, 0x82, 60, 0, 0x00, 0xFF, 0x2F, 0x00};
  const MidiFile f = parse_midi(concat({header(0, 1), chunk("MTrk", body)}));
  const auto& e = f.tracks[0].events;
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[1], note(0x10, 0x92, 62, 90));
  EXPECT_EQ(e[2], note(0x20, 0x92, 64, 80));
  EXPECT_EQ(e[3], channel_event(0x20, 0xC2, 5));
  EXPECT_EQ(e[4], note(0x40, 0x82, 60, 0));
}

TEST(MidiFile, SkipsUnknownChunks) {
  const Bytes track = concat({Bytes{0x00, 0x90, 60, 64}, kEnd});
  const MidiFile f = parse_midi(concat({header(1, 1), chunk("XFIH", {1, 2, 3, 4, 5}), chunk("MTrk", track)}));
  ASSERT_EQ(f.tracks.size(), 1u);
  EXPECT_EQ(f.tracks[0].events[0], note(0, 0x90, 60, 64));
}

TEST(MidiFile, RejectsTruncatedFiles) {
  const Bytes good = encode_midi(two_track_file());
  // Every proper prefix fails with an IoError naming the data, never a crash.
  for (size_t n = 0; n < good.size(); n += 7)
    expect_error<IoError>([&] { parse_midi(Bytes(good.begin(), good.begin() + n), "song.mid"); }, "song.mid: byte ");
  expect_error<IoError>([&] { parse_midi(Bytes(good.begin(), good.end() - 20), "song.mid"); },
                        {"song.mid: byte 49: chunk claims 39 bytes, but only 19 remain"});
  expect_error<IoError>([&] { parse_midi(concat({header(1, 3), chunk("MTrk", kEnd)}), "x.mid"); },
                        "declares 3 tracks, the file ends after 1");
}

TEST(MidiFile, RejectsHostileLengths) {
  // A track chunk claiming 4 GB: refused before any allocation.
  expect_error<IoError>([&] { parse_midi(concat({header(0, 1), chunk("MTrk", kEnd, 0xFFFFFFFFll)}), "big.mid"); },
                        {"big.mid: byte 22", "claims 4294967295 bytes, but only 4 remain"});
  // A meta event claiming more bytes than its track holds.
  const Bytes meta = {0x00, 0xFF, 0x01, 0x8F, 0xFF, 0xFF, 0x7F, 'h', 'i'};
  expect_error<IoError>([&] { parse_midi(concat({header(0, 1), chunk("MTrk", meta)}), "m.mid"); },
                        {"m.mid: byte 29", "meta event claims 33554431 bytes", "(track 0 at byte 14)"});
  // A header length beyond the file.
  Bytes h = header(0, 1);
  h[4] = 0x7F;
  expect_error<IoError>([&] { parse_midi(h, "h.mid"); }, "h.mid: byte 8: header chunk claims");
}

TEST(MidiFile, RejectsAVariableLengthQuantityOverFourBytes) {
  const Bytes body = {0x81, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 64};
  expect_error<IoError>([&] { parse_midi(concat({header(0, 1), chunk("MTrk", body)}), "v.mid"); },
                        {"v.mid: byte 22", "longer than 4 bytes"});
}

TEST(MidiFile, RejectsMalformedEvents) {
  auto parse_track = [](const Bytes& body) { parse_midi(concat({header(0, 1), chunk("MTrk", body)}), "e.mid"); };
  expect_error<IoError>([&] { parse_track({0x00, 60, 64}); }, "e.mid: byte 23: data byte 60 without a status");
  expect_error<IoError>([&] { parse_track({0x00, 0x90, 60, 200}); }, "e.mid: byte 23: a data byte");
  expect_error<IoError>([&] { parse_track({0x00, 0xF8}); }, "status byte 248 is not allowed");
  expect_error<IoError>([&] { parse_midi(Bytes{'R', 'I', 'F', 'F'}, "r.mid"); }, "r.mid: byte 0: not a Standard MIDI File");
  expect_error<IoError>([&] { parse_midi(concat({header(2, 1), chunk("MTrk", kEnd)}), "f.mid"); }, "format 2 is not supported");
  expect_error<IoError>([&] { parse_midi(concat({header(0, 2), chunk("MTrk", kEnd)}), "f.mid"); }, "format 0 must have one track");
  expect_error<IoError>([&] { parse_midi(concat({header(1, 1, 0xE728), chunk("MTrk", kEnd)}), "s.mid"); }, "SMPTE");
}

TEST(MidiFile, ReadRejectsMissingAndOversizedFiles) {
  testing::TempDir dir;
  expect_error<IoError>([&] { read_midi(dir.file("none.mid")); }, "none.mid: cannot read");
  const std::string big = dir.file("big.mid");
  std::filesystem::resize_file(dir.write("big.mid", ""), kMaxMidiFileBytes + 1);
  expect_error<IoError>([&] { read_midi(big); }, "larger than any MIDI file accepted");
}

TEST(MidiFile, WriterRejectsWhatItCannotEncode) {
  MidiFile f = format0();
  f.tracks.push_back({{note(10, 0x90, 60, 64), note(5, 0x80, 60, 0)}});
  expect_error([&] { encode_midi(f); }, "track 0, event at tick 5 is earlier");
  f.tracks[0].events = {note(0, 0x90, 200, 64)};
  expect_error([&] { encode_midi(f); }, "a data byte is >= 128");
  f.tracks.push_back({});
  expect_error([&] { encode_midi(f); }, "format 0 holds one track");
  expect_error([&] { time_signature_event(0, 3, 5); }, "power-of-two denominator");
  testing::TempDir dir;
  expect_error<IoError>([&] { write_midi(dir.file("bad.mid"), f); }, "bad.mid: encode_midi");
}

}  // namespace
}  // namespace myelin::music
