// Model files: state dict + architecture in one safetensors file.
#include "myelin/io/model_file.hpp"

#include "myelin/error.hpp"
#include "myelin/io/safetensors.hpp"
#include "myelin/random.hpp"
#include "tensor/allocation_limit.hpp"

namespace myelin::io {
namespace {

constexpr const char* kFormatKey = "format";
constexpr const char* kFormatName = "myelin";
constexpr const char* kVersionKey = "format_version";
constexpr const char* kArchitectureKey = "architecture";
// What building a module may allocate beyond its weights (scratch tensors of initialisers).
constexpr size_t kBuildSlackBytes = size_t{64} << 20;

const std::string* find(const std::map<std::string, std::string>& metadata, const char* key) {
  auto it = metadata.find(key);
  return it == metadata.end() ? nullptr : &it->second;
}

}  // namespace

void save_model(const std::string& path, const nn::Module& module,
                const std::map<std::string, std::string>& extra_metadata) {
  const std::map<std::string, std::string> own = {{kFormatKey, kFormatName},
                                                  {kVersionKey, kModelFormatVersion},
                                                  {kArchitectureKey, spec_to_json(module.spec())}};
  std::map<std::string, std::string> metadata = extra_metadata;
  for (const auto& [key, value] : own)
    if (!metadata.emplace(key, value).second)
      throw IoError(path + ": extra metadata may not set '" + key + "' (save_model writes it)");
  const NamedTensors state = module.state_dict();
  save_safetensors(path, state, metadata);  // with the checksums
}

LoadedModel load_model(const std::string& path) {
  TensorFile file = load_safetensors(path);  // checksums verified
  const std::string* format = find(file.metadata, kFormatKey);
  if (!format || *format != kFormatName)
    throw IoError(path + ": not a myelin model file (metadata 'format' is " +
                  (format ? "'" + *format + "'" : std::string("missing")) +
                  ", expected 'myelin'); a plain safetensors file loads with load_safetensors");
  const std::string* version = find(file.metadata, kVersionKey);
  if (!version || *version != kModelFormatVersion)
    throw IoError(path + ": model format_version " + (version ? "'" + *version + "'" : std::string("missing")) +
                  " is not supported; this myelin reads version " + kModelFormatVersion);
  const std::string* architecture = find(file.metadata, kArchitectureKey);
  if (!architecture) throw IoError(path + ": metadata has no 'architecture', so the model cannot be rebuilt");

  // The architecture comes from the file: a hostile one could ask for terabytes of weights.
  // A real one needs about what the file holds (plus small temporaries), so allow that.
  size_t weight_bytes = 0;
  for (const auto& [name, t] : file.tensors) weight_bytes += static_cast<size_t>(t.numel()) * sizeof(float);
  nn::ModulePtr module;
  try {
    AllocationLimit limit(2 * weight_bytes + kBuildSlackBytes,
                          "the architecture needs far more memory than the file's " +
                              std::to_string(weight_bytes) + " bytes of weights (corrupt or hostile file)");
    // The weights are overwritten next, so their initial values come from a private generator
    // and the default generator's stream is left as it was.
    Generator scratch(0);
    module = nn::build_module(spec_from_json(*architecture), &scratch);
  } catch (const Error& e) {
    throw IoError(path + ": cannot rebuild the model from its 'architecture': " + e.what());
  }
  try {
    module->load_state_dict(std::map<std::string, Tensor>(file.tensors.begin(), file.tensors.end()), true);
  } catch (const Error& e) {
    throw IoError(path + ": the weights do not fit the architecture: " + e.what());
  }
  module->eval();
  return {module, std::move(file.metadata)};
}

}  // namespace myelin::io
