#include "optim/scalars.hpp"

#include <cmath>
#include <cstdio>
#include <set>

#include "myelin/error.hpp"

namespace myelin::optim::detail {

void check_setting(bool ok, const std::string& owner, const char* name, double value,
                   const char* expected) {
  if (!ok)
    throw Error(owner + ": " + name + " must be " + expected + ", got " + number_text(value));
}

std::string number_text(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.8g", value);
  return buf;
}

std::string bool_text(bool value) { return value ? "true" : "false"; }

void check_state(const std::map<std::string, Tensor>& state,
                 const std::vector<std::pair<std::string, Tensor>>& expected,
                 const std::string& owner) {
  std::set<std::string> known;
  for (const auto& [name, t] : expected) {
    known.insert(name);
    auto it = state.find(name);
    if (it == state.end())
      throw Error(owner + ".load_state: missing entry '" + name + "' of shape " +
                  to_string(t.shape()));
    if (!it->second.defined() || it->second.shape() != t.shape())
      throw ShapeError(owner + ".load_state: entry '" + name + "' has shape " +
                       (it->second.defined() ? to_string(it->second.shape()) : "undefined") +
                       ", expected " + to_string(t.shape()));
  }
  for (const auto& [name, t] : state)
    if (!known.count(name))
      throw Error(owner + ".load_state: unexpected entry '" + name + "' (not part of this " +
                  owner + "'s state; was it saved by another optimizer or schedule?)");
}

int64_t to_count(double value, const std::string& owner, const std::string& key) {
  if (!(value >= 0) || value != std::floor(value) || value > 9.0e15)
    throw Error(owner + ".load_state: entry '" + key + "' is " + number_text(value) +
                ", expected a whole number >= 0");
  return static_cast<int64_t>(value);
}

}  // namespace myelin::optim::detail
