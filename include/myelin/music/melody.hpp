#pragma once
// Notes and melodies of MIDI files: pairing note-on with note-off, and the top line on a grid.
#include <cstdint>
#include <vector>

#include "myelin/music/midi.hpp"

namespace myelin::music {

/// Note: a sounding note of a MIDI file, times in ticks.
struct Note {
  int64_t start = 0, duration = 0;
  int pitch = 60, velocity = 64, channel = 0;
  int track = 0;  // index in the file
};

/// Every pitched note of `file` (channel 10, MIDI's percussion, is left out), ordered by start
/// then pitch. A note-on with velocity 0 is a note-off; a note-on of a pitch already sounding
/// on that channel ends the earlier one first; notes still sounding at the end of their track
/// end with its last event.
std::vector<Note> notes_of(const MidiFile& file);

/// MelodyNote: a note of a monophonic line on a grid of steps (e.g. sixteenth notes).
struct MelodyNote {
  int64_t start = 0, steps = 1;
  int pitch = 60;
  bool operator==(const MelodyNote&) const = default;
};

/// The melody of `file`: the voice (the notes of one channel of one track) with the highest mean
/// pitch among those with at least a quarter as many notes as the busiest voice, as its top line
/// (the "skyline"): note starts are rounded to the nearest step of a grid with
/// `steps_per_quarter` steps to a quarter note; at each start the highest pitch is kept; each
/// kept note lasts its own rounded length (at least one step) but stops at the next kept start.
/// The first note starts at step 0.
/// Requires: steps_per_quarter >= 1 (else Error).
std::vector<MelodyNote> melody_of(const MidiFile& file, int steps_per_quarter = 4);

/// A format-0 file that plays `melody` on channel 1 with General MIDI program `program` (0:
/// acoustic grand piano) at `us_per_quarter` microseconds per quarter note, 4/4.
MidiFile melody_to_midi(const std::vector<MelodyNote>& melody, int steps_per_quarter = 4,
                        int64_t us_per_quarter = 500000, int program = 0);

}  // namespace myelin::music
