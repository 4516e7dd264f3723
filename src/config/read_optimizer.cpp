// [optimizer]: each optimizer type lists its keys with the member of its options struct that each
// one sets; the struct's own initialisers are the defaults, so they are written once, in optim/.
#include "config/read_optimizer.hpp"

#include <functional>
#include <optional>
#include <variant>
#include <vector>

namespace myelin::config {
namespace {

using optim::AdagradOptions;
using optim::AdamOptions;
using optim::RMSpropOptions;
using optim::SGDOptions;

void read_setting(TableReader& r, const std::string& key, double& value) {
  value = r.get_double(key, value);
  if (value < 0) r.fail(key, "must not be negative");
}

void read_setting(TableReader& r, const std::string& key, bool& value) { value = r.get_bool(key, value); }

// Stays unset (the optimizer chooses, e.g. Adam's and AdamW's weight_decay) unless written.
void read_setting(TableReader& r, const std::string& key, std::optional<double>& value) {
  double written = 0;
  read_setting(r, key, written);  // marks the key as known even when absent
  if (r.has(key)) value = written;
}

// One key of an optimizer type: the member of its options struct that it sets.
template <class Options>
struct Setting {
  const char* key;
  std::variant<double Options::*, bool Options::*, std::optional<double> Options::*> member;
};

// The options of `settings`: the struct's defaults, overwritten by the keys written in `r`.
template <class Options>
OptimizerOptions read_settings(TableReader& r, const std::vector<Setting<Options>>& settings) {
  Options options;
  for (const Setting<Options>& s : settings)
    std::visit([&](auto member) { read_setting(r, s.key, options.*member); }, s.member);
  return options;
}

// An optimizer type of [optimizer]: its name and the reader of its settings.
struct OptimizerType {
  std::string name;
  std::function<OptimizerOptions(TableReader&)> read;
};

const std::vector<OptimizerType>& optimizer_types() {
  static const std::vector<Setting<AdamOptions>> adam = {
      {"lr", &AdamOptions::lr},   {"beta1", &AdamOptions::beta1},
      {"beta2", &AdamOptions::beta2}, {"eps", &AdamOptions::eps},
      {"weight_decay", &AdamOptions::weight_decay}, {"amsgrad", &AdamOptions::amsgrad}};
  static const std::vector<Setting<SGDOptions>> sgd = {
      {"lr", &SGDOptions::lr}, {"momentum", &SGDOptions::momentum}, {"dampening", &SGDOptions::dampening},
      {"nesterov", &SGDOptions::nesterov}, {"weight_decay", &SGDOptions::weight_decay}};
  static const std::vector<Setting<RMSpropOptions>> rmsprop = {
      {"lr", &RMSpropOptions::lr}, {"alpha", &RMSpropOptions::alpha}, {"eps", &RMSpropOptions::eps},
      {"weight_decay", &RMSpropOptions::weight_decay}, {"momentum", &RMSpropOptions::momentum},
      {"centered", &RMSpropOptions::centered}};
  static const std::vector<Setting<AdagradOptions>> adagrad = {
      {"lr", &AdagradOptions::lr}, {"lr_decay", &AdagradOptions::lr_decay},
      {"weight_decay", &AdagradOptions::weight_decay},
      {"initial_accumulator_value", &AdagradOptions::initial_accumulator_value}, {"eps", &AdagradOptions::eps}};
  static const std::vector<OptimizerType> types = {
      {"adagrad", [](TableReader& r) { return read_settings(r, adagrad); }},
      {"adam", [](TableReader& r) { return read_settings(r, adam); }},
      {"adamw", [](TableReader& r) { return read_settings(r, adam); }},
      {"rmsprop", [](TableReader& r) { return read_settings(r, rmsprop); }},
      {"sgd", [](TableReader& r) { return read_settings(r, sgd); }}};
  return types;
}

}  // namespace

OptimizerConfig read_optimizer(TableReader r) {
  OptimizerConfig o;
  o.where = r.where();
  o.type = r.get_string("type", o.type);
  std::vector<std::string> names;
  for (const OptimizerType& t : optimizer_types()) names.push_back(t.name);
  check_choice(r, "type", o.type, names);
  for (const OptimizerType& t : optimizer_types())
    if (t.name == o.type) o.options = t.read(r);
  r.finish();
  return o;
}

}  // namespace myelin::config
