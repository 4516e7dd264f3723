// The registry of module types, from which models are rebuilt (model files, configs).
#include <algorithm>
#include <mutex>

#include "myelin/error.hpp"
#include "myelin/nn/module.hpp"
#include "nn/builtin_modules.hpp"

namespace myelin::nn {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, ModuleFactory> factories;
  Registry() { register_builtin_modules(factories); }
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void register_module_type(const std::string& type, ModuleFactory factory) {
  std::lock_guard<std::mutex> lock(registry().mutex);
  registry().factories[type] = std::move(factory);
}

std::vector<std::string> module_types() {
  std::lock_guard<std::mutex> lock(registry().mutex);
  std::vector<std::string> out;
  for (auto& [name, f] : registry().factories) out.push_back(name);
  return out;
}

ModulePtr build_module(const ModuleSpec& spec, Generator* init) {
  ModuleFactory factory;
  {
    std::lock_guard<std::mutex> lock(registry().mutex);
    auto it = registry().factories.find(spec.type);
    if (it == registry().factories.end()) {
      std::string known;
      for (auto& [name, f] : registry().factories) known += (known.empty() ? "" : ", ") + name;
      throw Error("unknown layer type '" + spec.type + "' (known: " + known + ")");
    }
    factory = it->second;
  }
  ModulePtr module = factory(spec, init);
  // A module describes all its settings, so a key it does not echo back is a typo.
  const ModuleSpec built = module->spec();
  for (const auto& [key, value] : spec.attrs) {
    if (built.attrs.count(key)) continue;
    std::string known;
    for (const auto& [k, v] : built.attrs) known += (known.empty() ? "" : ", ") + k;
    throw Error(spec.type + ": unknown setting '" + key + "'" +
                (known.empty() ? " (it takes none)" : " (known: " + known + ")"));
  }
  return module;
}

}  // namespace myelin::nn
