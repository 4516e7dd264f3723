#pragma once
// Text for settings: numbers in module specs, extra_repr() lines and summaries.
#include <string>

namespace myelin::nn {

// The shortest decimal that reads back as exactly `v` ("0.01", "1e-05", "20").
std::string format_number(double v);

}  // namespace myelin::nn
