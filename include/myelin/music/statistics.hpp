#pragma once
// Simple musical statistics of melodies: key, pitch range, notes in key, note lengths.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "myelin/music/melody.hpp"

namespace myelin::music {

/// Key: a tonic pitch class (0 = C .. 11 = B) and mode.
struct Key {
  int tonic = 0;
  bool minor = false;
  /// "C major", "F# minor", ...
  std::string name() const;
  /// Whether pitch `pitch` is in the key's scale (major, or natural minor).
  bool contains(int pitch) const;
};

/// The key of `melody` by the Krumhansl-Schmuckler method: the key whose Krumhansl-Kessler
/// profile correlates best with the melody's pitch-class histogram weighted by note length.
/// C major for an empty melody.
Key detect_key(const std::vector<MelodyNote>& melody);

/// MelodyStats: statistics over a set of pieces (each piece in its own detected key).
struct MelodyStats {
  int64_t pieces = 0, notes = 0;
  int lowest = 127, highest = 0;   // over all notes
  double mean_range = 0;           // per piece highest - lowest, in semitones, averaged
  double in_key = 0;               // share of notes in their piece's key
  std::map<int64_t, int64_t> lengths;  // note length in steps -> count
  /// Share of notes whose length is in [from, to] steps.
  double length_share(int64_t from, int64_t to) const;
};

/// Statistics of `pieces`; pieces without notes are left out.
MelodyStats melody_stats(const std::vector<std::vector<MelodyNote>>& pieces);

/// A Markdown table with a column per named MelodyStats: pieces, notes, pitch range, mean range
/// per piece, share of notes in key, and the note-length distribution in steps (on the default
/// grid: 1 = a sixteenth, 4 = a quarter).
std::string stats_table(const std::vector<std::pair<std::string, MelodyStats>>& columns);

}  // namespace myelin::music
