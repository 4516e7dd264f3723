// `myelin train` on a "midi" config, then `myelin generate` writing the sampled melody as a
// .mid file that reads back as a melody.
#include <gtest/gtest.h>

#include <filesystem>

#include "myelin/music/melody.hpp"
#include "myelin/music/midi.hpp"
#include "run_cli.hpp"
#include "temp_dir.hpp"

namespace myelin {
namespace {

// Four pieces of rising and falling C-major scales, 48 notes each.
void write_scales(const std::string& dir) {
  std::filesystem::create_directories(dir);
  const int scale[] = {60, 62, 64, 65, 67, 69, 71, 72};
  for (int piece = 0; piece < 4; ++piece) {
    std::vector<music::MelodyNote> notes;
    for (int i = 0; i < 48; ++i) {
      const int step = (i / 8) % 2 == 0 ? i % 8 : 7 - i % 8;
      notes.push_back({.start = 2 * i, .steps = 2, .pitch = scale[step] + (piece % 2) * 12});
    }
    music::write_midi(dir + "/piece" + std::to_string(piece) + ".mid", music::melody_to_midi(notes));
  }
}

std::string config(const std::string& dir) {
  return R"([data]
source = "midi"
dir = ")" + dir + R"("
validation_split = 0.25
seq_len = 16

[model]
[[model.layers]]
type = "Embedding"
num_embeddings = 106
embedding_dim = 16
[[model.layers]]
type = "LSTM"
hidden_size = 32
batch_first = true
[[model.layers]]
type = "Linear"
units = 106

[optimizer]
type = "adam"
lr = 0.01

[train]
epochs = 2
batch_size = 8
seed = 1
threads = 1
)";
}

TEST(CliMusic, GenerateWritesTheSampledMelodyAsMidi) {
  testing::TempDir dir;
  write_scales(dir.file("corpus"));
  const std::string cfg = dir.write("music.toml", config(dir.file("corpus")));
  const auto trained = testing::run_cli("train " + cfg + " --out " + dir.file("run"));
  ASSERT_EQ(trained.status, 0) << trained.output;

  const std::string model = dir.file("run/model.safetensors");
  const auto generated = testing::run_cli("generate " + model + " --length 60 --seed 2 --out " + dir.file("song.mid"));
  ASSERT_EQ(generated.status, 0) << generated.output;
  EXPECT_NE(generated.output.find("wrote " + dir.file("song.mid")), std::string::npos) << generated.output;
  const music::MidiFile song = music::read_midi(dir.file("song.mid"));
  EXPECT_FALSE(music::melody_of(song).empty());

  const auto no_file = testing::run_cli("generate " + model + " --length 10");
  EXPECT_NE(no_file.status, 0);
  EXPECT_NE(no_file.output.find("give a path ending in .mid"), std::string::npos) << no_file.output;
  const auto prompt = testing::run_cli("generate " + model + " --prompt abc --out " + dir.file("x.mid"));
  EXPECT_NE(prompt.status, 0);
  EXPECT_NE(prompt.output.find("take no text prompt"), std::string::npos) << prompt.output;
}

}  // namespace
}  // namespace myelin
