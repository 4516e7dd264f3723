#include "nn/format.hpp"

#include <charconv>

namespace myelin::nn {

std::string format_number(double v) {
  char buf[32];  // the longest shortest-round-trip double is 24 characters
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

}  // namespace myelin::nn
