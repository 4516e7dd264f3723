// Note extraction (note-on/off pairing), the skyline melody on a step grid, and back to MIDI.
#include "myelin/music/melody.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "myelin/error.hpp"

namespace myelin::music {

std::vector<Note> notes_of(const MidiFile& file) {
  std::vector<Note> notes;
  for (int track_index = 0; track_index < static_cast<int>(file.tracks.size()); ++track_index) {
    const MidiTrack& track = file.tracks[track_index];
    // Start tick and velocity of each sounding (channel, pitch); -1 when silent.
    std::array<std::array<std::pair<int64_t, int>, 128>, 16> on;
    for (auto& channel : on) channel.fill({-1, 0});
    auto end_note = [&](int ch, int pitch, int64_t tick) {
      auto& [start, velocity] = on[ch][pitch];
      if (start < 0) return;
      if (tick > start) notes.push_back({start, tick - start, pitch, velocity, ch, track_index});
      start = -1;
    };
    for (const MidiEvent& e : track.events) {
      if (e.kind() != 0x80 && e.kind() != 0x90) continue;
      const int ch = e.channel(), pitch = e.data1;
      if (ch == 9) continue;  // percussion
      end_note(ch, pitch, e.tick);
      if (e.kind() == 0x90 && e.data2 > 0) on[ch][pitch] = {e.tick, e.data2};
    }
    const int64_t last = track.events.empty() ? 0 : track.events.back().tick;
    for (int ch = 0; ch < 16; ++ch)
      for (int pitch = 0; pitch < 128; ++pitch) end_note(ch, pitch, last);
  }
  std::sort(notes.begin(), notes.end(), [](const Note& a, const Note& b) {
    return a.start != b.start ? a.start < b.start : a.pitch < b.pitch;
  });
  return notes;
}

std::vector<MelodyNote> melody_of(const MidiFile& file, int steps_per_quarter) {
  if (steps_per_quarter < 1) throw Error("melody_of: steps_per_quarter must be >= 1, got " + std::to_string(steps_per_quarter));
  const double ticks_per_step = static_cast<double>(file.ticks_per_quarter) / steps_per_quarter;
  auto to_steps = [&](int64_t ticks) { return static_cast<int64_t>(std::llround(ticks / ticks_per_step)); };
  const std::vector<Note> notes = notes_of(file);
  // Voices by (track, channel): note count and pitch sum.
  std::map<std::pair<int, int>, std::pair<int64_t, double>> voices;
  int64_t busiest = 0;
  for (const Note& n : notes) {
    auto& [count, pitches] = voices[{n.track, n.channel}];
    busiest = std::max(busiest, ++count);
    pitches += n.pitch;
  }
  std::pair<int, int> lead{-1, -1};
  double lead_pitch = -1;
  for (const auto& [voice, stats] : voices)
    if (4 * stats.first >= busiest && stats.second / static_cast<double>(stats.first) > lead_pitch)
      lead = voice, lead_pitch = stats.second / static_cast<double>(stats.first);
  // The highest note of the lead voice at each rounded start.
  std::map<int64_t, MelodyNote> top;
  for (const Note& n : notes) {
    if (std::pair{n.track, n.channel} != lead) continue;
    const MelodyNote m{to_steps(n.start), std::max<int64_t>(1, to_steps(n.duration)), n.pitch};
    auto [it, fresh] = top.emplace(m.start, m);
    if (!fresh && m.pitch > it->second.pitch) it->second = m;
  }
  std::vector<MelodyNote> melody;
  for (const auto& [start, note] : top) {
    if (!melody.empty()) {
      MelodyNote& before = melody.back();
      before.steps = std::min(before.steps, start - before.start);
    }
    melody.push_back(note);
  }
  const int64_t first = melody.empty() ? 0 : melody.front().start;
  for (MelodyNote& m : melody) m.start -= first;
  return melody;
}

MidiFile melody_to_midi(const std::vector<MelodyNote>& melody, int steps_per_quarter, int64_t us_per_quarter,
                        int program) {
  if (steps_per_quarter < 1 || steps_per_quarter > 960)
    throw Error("melody_to_midi: steps_per_quarter must be in [1, 960], got " + std::to_string(steps_per_quarter));
  if (program < 0 || program > 127) throw Error("melody_to_midi: program must be in [0, 127], got " + std::to_string(program));
  MidiFile file;
  file.format = 0;
  file.ticks_per_quarter = 960;
  const int64_t ticks_per_step = 960 / steps_per_quarter;
  MidiTrack track;
  track.events = {tempo_event(0, us_per_quarter), time_signature_event(0, 4, 4),
                  channel_event(0, 0xC0, static_cast<uint8_t>(program))};
  for (const MelodyNote& m : melody) {
    if (m.pitch < 0 || m.pitch > 127 || m.steps < 1 || m.start < 0)
      throw Error("melody_to_midi: note at step " + std::to_string(m.start) + " (pitch " + std::to_string(m.pitch) +
                  ", " + std::to_string(m.steps) + " steps) is outside MIDI's range");
    const auto pitch = static_cast<uint8_t>(m.pitch);
    track.events.push_back(channel_event(m.start * ticks_per_step, 0x90, pitch, 80));
    track.events.push_back(channel_event((m.start + m.steps) * ticks_per_step, 0x80, pitch, 0));
  }
  // Each note-off sorts before a note-on at the same tick, so a repeated pitch sounds again.
  std::stable_sort(track.events.begin() + 3, track.events.end(), [](const MidiEvent& a, const MidiEvent& b) {
    return a.tick != b.tick ? a.tick < b.tick : (a.kind() == 0x80 && b.kind() == 0x90);
  });
  track.events.push_back(meta_event(track.events.back().tick, kMetaEndOfTrack));
  file.tracks.push_back(std::move(track));
  return file;
}

}  // namespace myelin::music
