#pragma once
// Standard MIDI Files (SMF): reading and writing formats 0 and 1.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace myelin::music {

/// Meta event types this library reads or writes by name.
inline constexpr uint8_t kMetaEndOfTrack = 0x2F;
inline constexpr uint8_t kMetaTempo = 0x51;          // 3 bytes: microseconds per quarter note
inline constexpr uint8_t kMetaTimeSignature = 0x58;  // 4 bytes: numerator, log2 denominator, clocks, 32nds

/// MidiEvent: one event of a track at an absolute time in ticks.
/// A channel message has status 0x80..0xEF (the channel in the low nibble) and one or two data
/// bytes in data1/data2 (program change and channel pressure use data1 only). A meta event has
/// status 0xFF, its type in meta_type and its bytes in payload. System-exclusive events are
/// skipped by the reader and never stored.
struct MidiEvent {
  int64_t tick = 0;
  uint8_t status = 0;
  uint8_t data1 = 0, data2 = 0;
  uint8_t meta_type = 0;
  std::vector<uint8_t> payload;
  bool is_meta() const { return status == 0xFF; }
  /// The message kind without the channel (0x80 note off, 0x90 note on, ...); 0xFF for meta.
  uint8_t kind() const { return is_meta() ? 0xFF : static_cast<uint8_t>(status & 0xF0); }
  uint8_t channel() const { return static_cast<uint8_t>(status & 0x0F); }
  bool operator==(const MidiEvent&) const = default;
};

/// MidiTrack: events in time order (ticks never decrease). The reader keeps the track's end of
/// track event; the writer adds one when it is missing.
struct MidiTrack {
  std::vector<MidiEvent> events;
  bool operator==(const MidiTrack&) const = default;
};

/// MidiFile: format 0 (one track) or 1 (simultaneous tracks, the first usually holding tempo
/// and time signature); times in ticks, ticks_per_quarter to a quarter note.
struct MidiFile {
  int format = 1;
  int ticks_per_quarter = 480;
  std::vector<MidiTrack> tracks;
  bool operator==(const MidiFile&) const = default;
};

/// The largest file read_midi accepts, checked before reading it.
inline constexpr int64_t kMaxMidiFileBytes = 64 << 20;

/// Parses the bytes of a Standard MIDI File. Accepts formats 0 and 1, running status, meta
/// events and system-exclusive events (skipped), and skips chunks of unknown type.
/// Throws IoError "<name>: byte <offset>: <what>" for a truncated file, a chunk or event
/// length beyond the end of its chunk, a variable-length quantity longer than 4 bytes, a data
/// byte without a status, format 2 or SMPTE time division, or fewer tracks than the header
/// declares. Lengths are checked against the bytes present before anything is allocated.
MidiFile parse_midi(std::span<const uint8_t> bytes, const std::string& name = "MIDI data");

/// Reads and parses the file at `path` (at most kMaxMidiFileBytes). Throws IoError naming it.
MidiFile read_midi(const std::string& path);

/// The bytes of `file` as a Standard MIDI File: channel messages with running status, meta
/// events, an end of track per track. parse_midi(encode_midi(f)) == f for files whose tracks
/// end with their end of track event.
/// Requires: format 0 with one track or format 1, 1 <= ticks_per_quarter <= 0x7FFF, events in
/// time order, data bytes < 0x80 (else Error).
std::vector<uint8_t> encode_midi(const MidiFile& file);

/// Writes encode_midi(file) to `path` atomically. Throws IoError naming it.
void write_midi(const std::string& path, const MidiFile& file);

/// A channel message: status 0x80..0xEF (the channel in the low nibble) and its data bytes.
MidiEvent channel_event(int64_t tick, uint8_t status, uint8_t data1, uint8_t data2 = 0);
/// A meta event of `type` with `payload`.
MidiEvent meta_event(int64_t tick, uint8_t type, std::vector<uint8_t> payload = {});
/// A tempo meta event: `us_per_quarter` microseconds per quarter note (1 .. 0xFFFFFF).
MidiEvent tempo_event(int64_t tick, int64_t us_per_quarter);
/// A time signature meta event, e.g. 3/4 is (tick, 3, 4); denominator a power of two.
MidiEvent time_signature_event(int64_t tick, int numerator, int denominator);

/// The tempo in effect at the start of `file` (its first tempo event at tick 0), in
/// microseconds per quarter note; 500000 (120 beats per minute) when there is none.
int64_t initial_tempo(const MidiFile& file);

}  // namespace myelin::music
