#include "viz/ticks.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "viz/svg.hpp"

namespace myelin::viz {
namespace {

// The 1-2-5 value nearest to `x` (> 0) on a log scale (the cut between 1 and 2 is sqrt(2)), or
// x itself where that would overflow.
double nice_step(double x) {
  const double magnitude = std::pow(10.0, std::floor(std::log10(x)));
  const double n = x / magnitude;
  const double step = (n < std::sqrt(2.0)    ? 1
                       : n < std::sqrt(10.0) ? 2
                       : n < std::sqrt(50.0) ? 5
                                             : 10) *
                      magnitude;
  return std::isfinite(step) && step > 0 ? step : x;
}

// floor(log10(x)) for x > 0, robust to log10(1000) coming out as 2.9999...
int decade(double x) {
  int e = static_cast<int>(std::floor(std::log10(x)));
  if (std::pow(10.0, e + 1) <= x) ++e;
  return e;
}

// "1.50000e+06" with `digits` mantissa decimals -> "1.5e6".
std::string scientific(double v, int digits) {
  char buf[64];
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific, digits);
  std::string s(buf, end);
  const size_t e = s.find('e');
  std::string mantissa = s.substr(0, e), exponent = s.substr(e + 1);
  if (mantissa.find('.') != std::string::npos) {
    while (mantissa.back() == '0') mantissa.pop_back();
    if (mantissa.back() == '.') mantissa.pop_back();
  }
  const bool negative = exponent[0] == '-';
  exponent.erase(0, exponent.find_first_not_of("+-0"));
  return mantissa + "e" + (negative ? "-" : "") + (exponent.empty() ? "0" : exponent);
}

}  // namespace

Axis nice_axis(double lo, double hi, int target, bool extend, bool integer) {
  if (lo == hi) {
    double pad = std::abs(lo) * 0.1;
    if (!std::isnormal(pad)) pad = 1;
    lo -= pad;
    hi += pad;
  }
  target = std::max(target, 1);
  // Halved first so that a range from -DBL_MAX to DBL_MAX does not overflow.
  double step = nice_step((hi * 0.5 - lo * 0.5) / (target * 0.5));
  if (integer) step = std::max(step, 1.0);
  double k_lo = extend ? std::floor(lo / step) : std::ceil(lo / step);
  double k_hi = extend ? std::ceil(hi / step) : std::floor(hi / step);
  if (extend && std::isfinite(k_lo * step) && std::isfinite(k_hi * step)) {
    lo = k_lo * step;
    hi = k_hi * step;
  } else {
    k_lo = std::ceil(lo / step);
    k_hi = std::floor(hi / step);
  }
  Axis axis{lo, hi, step, {}};
  for (double k = k_lo; k <= k_hi && axis.ticks.size() < 100; ++k) {
    const double v = k * step;
    axis.ticks.push_back(v == 0 ? 0.0 : v);  // no "-0"
  }
  return axis;
}

std::string tick_label(double value, double step) {
  if (value == 0) return "0";
  const int step_decade = decade(step);
  const int value_decade = decade(std::abs(value));
  if (value_decade >= 6 || step_decade <= -5)
    return scientific(value, std::max(0, value_decade - step_decade));
  return fixed(value, std::max(0, -step_decade));
}

}  // namespace myelin::viz
