#include "myelin/random.hpp"

#include <cmath>
#include <cstring>
#include <sstream>

namespace myelin {

float Generator::uniform() {
  // The top 24 bits give every float in [0, 1) with spacing 2^-24, independent of the library.
  return static_cast<float>(engine_() >> 40) * (1.0f / 16777216.0f);
}

float Generator::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1 = (static_cast<double>(engine_() >> 11) + 1.0) * (1.0 / 9007199254740993.0);
  double u2 = static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0);
  double r = std::sqrt(-2.0 * std::log(u1));
  double theta = 2.0 * M_PI * u2;
  spare_ = static_cast<float>(r * std::sin(theta));
  has_spare_ = true;
  return static_cast<float>(r * std::cos(theta));
}

uint64_t Generator::below(uint64_t n) {
  // Rejection sampling keeps the draw unbiased and portable.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t v;
  do v = engine_();
  while (v >= limit);
  return v % n;
}

std::string Generator::state() const {
  std::ostringstream out;
  uint32_t spare_bits;
  std::memcpy(&spare_bits, &spare_, sizeof spare_bits);  // exact, unlike decimal text
  out << engine_ << ' ' << has_spare_ << ' ' << spare_bits;
  return out.str();
}

void Generator::set_state(const std::string& s) {
  std::istringstream in(s);
  uint32_t spare_bits = 0;
  in >> engine_ >> has_spare_ >> spare_bits;
  std::memcpy(&spare_, &spare_bits, sizeof spare_);
}

Generator& default_generator() {
  static Generator gen;
  return gen;
}

void manual_seed(uint64_t seed) { default_generator().seed(seed); }

}  // namespace myelin
