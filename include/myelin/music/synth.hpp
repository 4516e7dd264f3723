#pragma once
// Audio from MIDI through FluidSynth, when it is installed (scripts/setup --music).
#include <string>

namespace myelin::music {

/// The General MIDI soundfont of Debian's timgm6mb-soundfont package.
inline constexpr const char* kDefaultSoundfont = "/usr/share/sounds/sf2/TimGM6mb.sf2";

/// Renders the MIDI file `midi` to the WAV file `wav` by running
///   fluidsynth -ni -F wav soundfont midi
/// Returns false, writing nothing, when `soundfont` or a fluidsynth program on the PATH is
/// missing. Throws IoError naming `wav` when fluidsynth runs but fails.
bool render_wav(const std::string& midi, const std::string& wav, const std::string& soundfont = kDefaultSoundfont);

}  // namespace myelin::music
