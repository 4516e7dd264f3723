// Standard MIDI File reader: chunks, variable-length quantities, running status, meta and
// system-exclusive events, every length checked against the bytes present.
#include <filesystem>
#include <fstream>

#include "myelin/error.hpp"
#include "myelin/music/midi.hpp"

namespace myelin::music {
namespace {

// Reads bytes [pos, end) of one file; every failure names the file and the byte offset.
class ByteReader {
 public:
  ByteReader(std::span<const uint8_t> bytes, const std::string& name, size_t pos, size_t end)
      : bytes_(bytes), name_(name), pos_(pos), end_(end) {}

  [[noreturn]] void fail(const std::string& what, size_t at) const {
    throw IoError(name_ + ": byte " + std::to_string(at) + ": " + what);
  }
  [[noreturn]] void fail(const std::string& what) const { fail(what, pos_); }

  size_t pos() const { return pos_; }
  size_t left() const { return end_ - pos_; }
  bool done() const { return pos_ >= end_; }
  void back() { --pos_; }

  uint8_t u8(const char* what) {
    if (done()) fail(std::string("unexpected end of data in ") + what);
    return bytes_[pos_++];
  }
  uint32_t u32(const char* what) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | u8(what);
    return v;
  }
  uint16_t u16(const char* what) { return static_cast<uint16_t>(u8(what) << 8 | u8(what)); }

  // A variable-length quantity: 7 bits a byte, high bit set on all but the last; SMF allows at
  // most 4 bytes (values up to 0x0FFFFFFF).
  uint32_t vlq(const char* what) {
    const size_t start = pos_;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const uint8_t b = u8(what);
      v = v << 7 | (b & 0x7F);
      if (!(b & 0x80)) return v;
    }
    fail(std::string("variable-length quantity in ") + what + " is longer than 4 bytes", start);
  }

  // `n` bytes, after checking that they are there.
  std::span<const uint8_t> take(uint64_t n, const char* what) {
    if (n > left())
      fail(std::string(what) + " claims " + std::to_string(n) + " bytes, but only " + std::to_string(left()) +
           " remain");
    auto s = bytes_.subspan(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return s;
  }

 private:
  std::span<const uint8_t> bytes_;
  const std::string& name_;
  size_t pos_, end_;
};

// Data bytes of a channel message: one for program change (0xC0) and channel pressure (0xD0).
int data_bytes_of(uint8_t status) {
  const uint8_t kind = status & 0xF0;
  return kind == 0xC0 || kind == 0xD0 ? 1 : 2;
}

MidiTrack parse_track(ByteReader r) {
  MidiTrack track;
  int64_t tick = 0;
  uint8_t running = 0;  // the last channel status, reused when an event starts with a data byte
  while (!r.done()) {
    tick += r.vlq("delta time");
    const size_t at = r.pos();
    uint8_t status = r.u8("event");
    if (status < 0x80) {
      if (!running) r.fail("data byte " + std::to_string(status) + " without a status (no running status)", at);
      status = running;
      r.back();  // the byte read is the first data byte
    }
    MidiEvent e;
    e.tick = tick;
    e.status = status;
    if (status == 0xFF) {
      e.meta_type = r.u8("meta event type");
      const uint32_t n = r.vlq("meta event length");
      auto bytes = r.take(n, "meta event");
      e.payload.assign(bytes.begin(), bytes.end());
      track.events.push_back(std::move(e));
      if (track.events.back().meta_type == kMetaEndOfTrack) return track;  // bytes after it are padding
      continue;
    }
    if (status == 0xF0 || status == 0xF7) {  // system exclusive: skipped
      r.take(r.vlq("sysex length"), "system-exclusive event");
      running = 0;
      continue;
    }
    if (status >= 0xF0) r.fail("status byte " + std::to_string(status) + " is not allowed in a MIDI file", at);
    running = status;
    e.data1 = r.u8("channel message");
    if (data_bytes_of(status) == 2) e.data2 = r.u8("channel message");
    if ((e.data1 | e.data2) & 0x80) r.fail("a data byte of a channel message is >= 128", at);
    track.events.push_back(std::move(e));
  }
  return track;
}

}  // namespace

MidiFile parse_midi(std::span<const uint8_t> bytes, const std::string& name) {
  ByteReader r(bytes, name, 0, bytes.size());
  if (r.left() < 4 || std::string(bytes.begin(), bytes.begin() + 4) != "MThd")
    r.fail("not a Standard MIDI File (no 'MThd' header)", 0);
  r.take(4, "header id");
  const uint32_t header_len = r.u32("header length");
  if (header_len < 6) r.fail("header length " + std::to_string(header_len) + " is below 6");
  const size_t header_start = r.pos();
  r.take(header_len, "header chunk");
  ByteReader h(bytes, name, header_start, header_start + header_len);
  MidiFile file;
  file.format = h.u16("format");
  const uint16_t ntracks = h.u16("track count");
  const uint16_t division = h.u16("time division");
  if (file.format > 1) h.fail("format " + std::to_string(file.format) + " is not supported (only 0 and 1)", 8);
  if (file.format == 0 && ntracks != 1) h.fail("format 0 must have one track, the header says " + std::to_string(ntracks), 10);
  if (division & 0x8000) h.fail("SMPTE time division is not supported (only ticks per quarter note)", 12);
  if (division == 0) h.fail("time division is 0 ticks per quarter note", 12);
  file.ticks_per_quarter = division;
  while (file.tracks.size() < ntracks) {
    if (r.done())
      r.fail("the header declares " + std::to_string(ntracks) + " tracks, the file ends after " +
             std::to_string(file.tracks.size()));
    const size_t at = r.pos();
    const auto id = r.take(4, "chunk id");
    const uint32_t len = r.u32("chunk length");
    const size_t start = r.pos();
    r.take(len, "chunk");
    if (std::string(id.begin(), id.end()) != "MTrk") continue;  // unknown chunk types are skipped
    try {
      file.tracks.push_back(parse_track(ByteReader(bytes, name, start, start + len)));
    } catch (const IoError& e) {
      throw IoError(std::string(e.what()) + " (track " + std::to_string(file.tracks.size()) + " at byte " +
                    std::to_string(at) + ")");
    }
  }
  return file;
}

MidiFile read_midi(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw IoError(path + ": cannot read the file (" + ec.message() + ")");
  if (size > static_cast<uint64_t>(kMaxMidiFileBytes))
    throw IoError(path + ": " + std::to_string(size) + " bytes is larger than any MIDI file accepted (" +
                  std::to_string(kMaxMidiFileBytes) + ")");
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (!in || !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
    throw IoError(path + ": cannot read the file");
  return parse_midi(bytes, path);
}

}  // namespace myelin::music
