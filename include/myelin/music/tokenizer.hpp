#pragma once
// MelodyTokenizer: melodies as token sequences of (pitch or rest, duration) pairs.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "myelin/music/melody.hpp"

namespace myelin::music {

/// MelodyTokenizer: a melody on a grid of steps_per_quarter steps to a quarter note becomes
///   [start] then, for each note, [pitch][duration], and for each silence, [rest][duration]
/// Token ids, in order:
///   0                          start of a piece (separates pieces in a stream)
///   1 .. P                     pitches lowest .. highest (P = highest - lowest + 1)
///   P + 1                      rest
///   P + 2 .. P + 1 + max_steps durations of 1 .. max_steps steps
/// Notes outside [lowest, highest] are moved by octaves into it; notes and rests longer than
/// max_steps steps are cut to max_steps.
/// decode() reads any token sequence: a duration that follows no pitch or rest is ignored, and
/// a pitch or rest without a duration lasts one step.
struct MelodyTokenizer {
  int steps_per_quarter = 4;  // sixteenth notes
  int lowest = 21, highest = 108;  // the piano's range
  int max_steps = 16;              // a whole note

  int64_t vocab_size() const { return pitch_count() + max_steps + 2; }
  int64_t pitch_count() const { return highest - lowest + 1; }
  static constexpr int64_t start_token() { return 0; }
  int64_t pitch_token(int pitch) const;
  int64_t rest_token() const { return pitch_count() + 1; }
  int64_t duration_token(int64_t steps) const;

  /// Throws Error unless 1 <= steps_per_quarter <= 960, 0 <= lowest <= highest <= 127 and
  /// highest - lowest >= 11 (an octave, to fold notes into), max_steps >= 1.
  void check() const;
  std::vector<int64_t> encode(const std::vector<MelodyNote>& melody) const;
  /// Requires: tokens in [0, vocab_size()) (else Error naming the position).
  std::vector<MelodyNote> decode(std::span<const int64_t> tokens) const;

  /// As JSON ({"type": "melody", "steps_per_quarter": 4, ...}), to store in a model file.
  std::string to_json() const;
  /// Inverse of to_json; throws Error naming a missing or bad field.
  static MelodyTokenizer from_json(const std::string& json);
};

}  // namespace myelin::music
