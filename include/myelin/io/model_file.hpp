#pragma once
// Model files: a module's weights and architecture in one safetensors file, loadable without
// the config or program that made the model.
#include <map>
#include <string>

#include "myelin/nn/module.hpp"

namespace myelin::io {

/// The model-file format version this myelin writes and reads.
inline constexpr const char* kModelFormatVersion = "1";

/// Writes `module` to `path` (see save_safetensors: F32, atomic).
///
/// Tensors: the module's state_dict (parameters and buffers) under PyTorch's names.
/// "__metadata__": "format" = "myelin", "format_version" = kModelFormatVersion, "architecture" =
/// spec_to_json(module.spec()), plus `extra_metadata` (input shape, preprocessing, label names,
/// ...).
/// Requires: `extra_metadata` does not set "format", "format_version" or "architecture".
/// Throws IoError starting with `path`.
void save_model(const std::string& path, const nn::Module& module,
                const std::map<std::string, std::string>& extra_metadata = {});

/// LoadedModel: a model read back from a file.
struct LoadedModel {
  nn::ModulePtr module;                         // rebuilt, weights loaded, in eval mode
  std::map<std::string, std::string> metadata;  // the file's whole "__metadata__"
};

/// Reads a file written by save_model: rebuilds the module with nn::build_module from the
/// stored architecture and loads the weights strictly, so its outputs are bit-identical to
/// those of the saved module. The module is put in eval mode (call train() to train on).
/// Throws IoError starting with `path` when the file is not a myelin model, has another
/// format version, lacks the architecture, names an unregistered module type, or its weights
/// do not fit the architecture (naming the tensor).
LoadedModel load_model(const std::string& path);

/// A ModuleSpec as JSON: {"type": ..., "attrs": {...}, "children": [["name", {...}], ...]}.
/// `indent` < 0 gives one line; otherwise pretty-printed with that many spaces per level.
std::string spec_to_json(const nn::ModuleSpec& spec, int indent = -1);

/// The inverse of spec_to_json. "attrs" and "children" may be omitted (empty); attribute values
/// must be strings. Throws Error naming the position of a malformed field, e.g.
/// "module spec JSON: children[1][1].attrs.units must be a string".
nn::ModuleSpec spec_from_json(const std::string& json);

}  // namespace myelin::io
