#pragma once
// The "midi" data source of run configs.
#include "myelin/config/config.hpp"

namespace myelin::config {

/// The melodies of the .mid files under [data] dir as next-token windows of seq_len tokens:
/// validation_split of the files held out (seeded by train.seed), the tokenizer in the result.
PreparedData load_midi_data(const RunConfig& config);

}  // namespace myelin::config
