// Standard MIDI File writer, and the meta events it names (tempo, time signature).
#include <bit>
#include <string>

#include "myelin/error.hpp"
#include "myelin/io/atomic_write.hpp"
#include "myelin/music/midi.hpp"

namespace myelin::music {
namespace {

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

void put_vlq(std::vector<uint8_t>& out, uint32_t v) {
  if (v > 0x0FFFFFFF) throw Error("encode_midi: " + std::to_string(v) + " does not fit a 4-byte variable-length quantity");
  uint8_t groups[4];
  int n = 0;
  do groups[n++] = v & 0x7F, v >>= 7;
  while (v);
  while (n-- > 0) out.push_back(static_cast<uint8_t>(groups[n] | (n ? 0x80 : 0)));
}

std::vector<uint8_t> encode_track(const MidiTrack& track, size_t index) {
  std::vector<uint8_t> out;
  int64_t tick = 0;
  uint8_t running = 0;
  bool ended = false;
  for (const MidiEvent& e : track.events) {
    const std::string where = "encode_midi: track " + std::to_string(index) + ", event at tick " + std::to_string(e.tick);
    if (ended) throw Error(where + " comes after the end of track");
    if (e.tick < tick) throw Error(where + " is earlier than the event before it");
    if (e.tick - tick > 0x0FFFFFFF) throw Error(where + " is more than 0x0FFFFFFF ticks after the event before it");
    put_vlq(out, static_cast<uint32_t>(e.tick - tick));
    tick = e.tick;
    if (e.is_meta()) {
      out.insert(out.end(), {0xFF, e.meta_type});
      put_vlq(out, static_cast<uint32_t>(e.payload.size()));
      out.insert(out.end(), e.payload.begin(), e.payload.end());
      running = 0;  // meta events cancel running status
      ended = e.meta_type == kMetaEndOfTrack;
      continue;
    }
    if (e.status < 0x80 || e.status >= 0xF0) throw Error(where + ": status " + std::to_string(e.status) + " is not a channel message");
    if ((e.data1 | e.data2) & 0x80) throw Error(where + ": a data byte is >= 128");
    if (e.status != running) out.push_back(e.status);
    running = e.status;
    out.push_back(e.data1);
    const uint8_t kind = e.kind();
    if (kind != 0xC0 && kind != 0xD0) out.push_back(e.data2);
  }
  if (!ended) out.insert(out.end(), {0x00, 0xFF, kMetaEndOfTrack, 0x00});
  return out;
}

}  // namespace

std::vector<uint8_t> encode_midi(const MidiFile& file) {
  if (file.format != 0 && file.format != 1) throw Error("encode_midi: format must be 0 or 1, got " + std::to_string(file.format));
  if (file.format == 0 && file.tracks.size() != 1)
    throw Error("encode_midi: format 0 holds one track, got " + std::to_string(file.tracks.size()));
  if (file.tracks.size() > 0xFFFF) throw Error("encode_midi: more than 65535 tracks");
  if (file.ticks_per_quarter < 1 || file.ticks_per_quarter > 0x7FFF)
    throw Error("encode_midi: ticks_per_quarter must be in [1, 32767], got " + std::to_string(file.ticks_per_quarter));
  std::vector<uint8_t> out = {'M', 'T', 'h', 'd'};
  put_u32(out, 6);
  for (int v : {file.format, static_cast<int>(file.tracks.size()), file.ticks_per_quarter}) {
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
  }
  for (size_t i = 0; i < file.tracks.size(); ++i) {
    const std::vector<uint8_t> track = encode_track(file.tracks[i], i);
    out.insert(out.end(), {'M', 'T', 'r', 'k'});
    put_u32(out, static_cast<uint32_t>(track.size()));
    out.insert(out.end(), track.begin(), track.end());
  }
  return out;
}

void write_midi(const std::string& path, const MidiFile& file) {
  std::vector<uint8_t> bytes;
  try {
    bytes = encode_midi(file);
  } catch (const Error& e) {
    throw IoError(path + ": " + e.what());
  }
  io::write_file_atomically(path, std::string(bytes.begin(), bytes.end()));
}

MidiEvent channel_event(int64_t tick, uint8_t status, uint8_t data1, uint8_t data2) {
  MidiEvent e;
  e.tick = tick, e.status = status, e.data1 = data1, e.data2 = data2;
  return e;
}

MidiEvent meta_event(int64_t tick, uint8_t type, std::vector<uint8_t> payload) {
  MidiEvent e;
  e.tick = tick, e.status = 0xFF, e.meta_type = type, e.payload = std::move(payload);
  return e;
}

MidiEvent tempo_event(int64_t tick, int64_t us_per_quarter) {
  if (us_per_quarter < 1 || us_per_quarter > 0xFFFFFF)
    throw Error("tempo_event: microseconds per quarter must be in [1, 16777215], got " + std::to_string(us_per_quarter));
  return meta_event(tick, kMetaTempo, {static_cast<uint8_t>(us_per_quarter >> 16),
                                       static_cast<uint8_t>(us_per_quarter >> 8), static_cast<uint8_t>(us_per_quarter)});
}

MidiEvent time_signature_event(int64_t tick, int numerator, int denominator) {
  if (numerator < 1 || numerator > 255 || denominator < 1 || denominator > 128 || !std::has_single_bit(static_cast<unsigned>(denominator)))
    throw Error("time_signature_event: expected a numerator in [1, 255] and a power-of-two denominator up to 128, got " +
                std::to_string(numerator) + "/" + std::to_string(denominator));
  // 24 MIDI clocks to a metronome click, eight 32nd notes to a quarter.
  return meta_event(tick, kMetaTimeSignature,
                    {static_cast<uint8_t>(numerator), static_cast<uint8_t>(std::countr_zero(static_cast<unsigned>(denominator))), 24, 8});
}

int64_t initial_tempo(const MidiFile& file) {
  for (const MidiTrack& t : file.tracks)
    for (const MidiEvent& e : t.events) {
      if (e.tick > 0) break;
      if (e.is_meta() && e.meta_type == kMetaTempo && e.payload.size() == 3)
        return e.payload[0] << 16 | e.payload[1] << 8 | e.payload[2];
    }
  return 500000;
}

}  // namespace myelin::music
