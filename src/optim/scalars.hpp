#pragma once
// The scalar side of optimizers and schedules: checks and text of their settings, and the
// validation of a saved state against the entries it must have.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::optim::detail {

// Throws Error("<owner>: <name> must be <expected>, got <value>") unless `ok`.
void check_setting(bool ok, const std::string& owner, const char* name, double value,
                   const char* expected);

// Text of a setting for logs, to 8 significant digits: "0.001", "1e-08", "0.9".
std::string number_text(double value);
std::string bool_text(bool value);

// Throws Error naming the first entry of `expected` that `state` lacks or holds with another
// shape, or the first entry of `state` that `expected` does not name. Only names and shapes of
// `expected` are read.
void check_state(const std::map<std::string, Tensor>& state,
                 const std::vector<std::pair<std::string, Tensor>>& expected,
                 const std::string& owner);

// A count read back from a state entry: throws Error naming `owner` and `key` unless `value` is
// a whole number >= 0.
int64_t to_count(double value, const std::string& owner, const std::string& key);

}  // namespace myelin::optim::detail
