// Standard MIDI Files.
#include "fuzz_file.hpp"
#include "myelin/music/midi.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return myelin::fuzz::parse_file(data, size, ".mid", [](const std::string& path) { myelin::music::read_midi(path); });
}
