#pragma once
// `--max-memory SIZE`: the most memory a config's model may need to train (train, summary,
// draw, export); the model is refused at the first layer that passes it.
#include <CLI/CLI.hpp>

#include <cstdint>

namespace myelin::cli {

/// Adds `--max-memory SIZE` ("2G", "512M", "64GB": a whole number, binary units, K = 1024) to
/// `cmd`, read into `bytes` in bytes; `bytes` stays 0 when the option is not given (build_model
/// then takes the machine's physical memory).
void add_max_memory_option(CLI::App* cmd, uint64_t& bytes);

}  // namespace myelin::cli
