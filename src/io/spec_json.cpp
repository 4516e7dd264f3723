// ModuleSpec <-> JSON, for the "architecture" entry of model files and `myelin summary`.
#include <nlohmann/json.hpp>

#include "myelin/error.hpp"
#include "myelin/io/model_file.hpp"

namespace myelin::io {
namespace {

// Ordered, so the text reads type, attrs, children.
using json = nlohmann::ordered_json;

// Far deeper than any real network (each module level is 3 JSON levels). The bound keeps a
// hostile file from costing gigabytes of parse tree or the stack of the recursive reader.
constexpr int kMaxJsonDepth = 1000;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw Error("module spec JSON: " + (where.empty() ? std::string("the top level") : where) + " " + what);
}

json to_json(const nn::ModuleSpec& spec) {
  json children = json::array();
  for (const auto& [name, child] : spec.children) children.push_back(json::array({name, to_json(child)}));
  return json{{"type", spec.type}, {"attrs", spec.attrs}, {"children", children}};
}

nn::ModuleSpec from_json(const json& v, const std::string& where) {
  if (!v.is_object()) fail(where, "must be an object {\"type\", \"attrs\", \"children\"}");
  nn::ModuleSpec spec;
  const std::string prefix = where.empty() ? "" : where + ".";
  for (const auto& [key, value] : v.items()) {
    if (key == "type") {
      if (!value.is_string() || value.get<std::string>().empty()) fail(prefix + "type", "must be a non-empty string");
      spec.type = value.get<std::string>();
    } else if (key == "attrs") {
      if (!value.is_object()) fail(prefix + "attrs", "must be an object of strings");
      for (const auto& [name, setting] : value.items()) {
        if (!setting.is_string()) fail(prefix + "attrs." + name, "must be a string");
        spec.attrs[name] = setting.get<std::string>();
      }
    } else if (key == "children") {
      if (!value.is_array()) fail(prefix + "children", "must be an array of [name, spec] pairs");
      for (size_t i = 0; i < value.size(); ++i) {
        const std::string at = prefix + "children[" + std::to_string(i) + "]";
        const json& pair = value[i];
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()) fail(at, "must be a [name, spec] pair");
        spec.children.emplace_back(pair[0].get<std::string>(), from_json(pair[1], at + "[1]"));
      }
    } else {
      fail(prefix + key, "is not a spec field (expected type, attrs, children)");
    }
  }
  if (spec.type.empty()) fail(where, "has no \"type\"");
  return spec;
}

}  // namespace

std::string spec_to_json(const nn::ModuleSpec& spec, int indent) { return to_json(spec).dump(indent); }

nn::ModuleSpec spec_from_json(const std::string& text) {
  auto limit_depth = [](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) throw Error("module spec JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return true;
  };
  json v;
  try {
    v = json::parse(text, limit_depth);
  } catch (const json::parse_error& e) {
    throw Error(std::string("module spec JSON is malformed: ") + e.what());
  }
  return from_json(v, "");
}

}  // namespace myelin::io
