#pragma once
// Axis ranges and tick marks at "nice" values: 1, 2 or 5 times a power of ten.
#include <string>
#include <vector>

namespace myelin::viz {

struct Axis {
  double lo, hi;              // the axis' extent, lo < hi
  double step;                // distance between ticks
  std::vector<double> ticks;  // ascending, inside [lo, hi]
};

// An axis showing [lo, hi] (finite, lo <= hi) with about `target` ticks.
// With `extend`, the extent grows outwards to whole steps (value axes); without, it stays
// [lo, hi] and only ticks inside it are listed (the epoch axis). `integer` keeps steps >= 1.
// A flat range (lo == hi) is widened around its value.
Axis nice_axis(double lo, double hi, int target, bool extend, bool integer);

// The label of tick `value` on an axis with `step`: as many decimals as the step needs
// ("0.25", "1500"), or scientific notation ("2e-05", "1.5e9") for very small or large numbers.
std::string tick_label(double value, double step);

}  // namespace myelin::viz
