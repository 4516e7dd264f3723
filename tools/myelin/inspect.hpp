#pragma once
// The network a config or model file describes, for the commands that look at one without
// training it (summary, draw).
#include <cstdint>
#include <string>
#include <vector>

#include "myelin/nn/module.hpp"

namespace myelin::cli {

struct InspectedModel {
  nn::ModulePtr model;
  Shape input_shape;                     // per sample
  std::vector<std::string> class_names;  // empty when unknown
};

/// True when `path` names a run config (.toml) rather than a model file.
bool is_config(const std::string& path);

/// `path` is a config (.toml: its model is built with fresh weights, refused when it needs more
/// than `max_memory_bytes` to train, 0: the machine's memory) or a model file written by
/// `myelin train`.
InspectedModel inspect(const std::string& path, uint64_t max_memory_bytes = 0);

}  // namespace myelin::cli
