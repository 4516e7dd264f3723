#pragma once
// Seeded random numbers. One seed drives initialisation, shuffling and dropout, and the
// streams are defined here (not by the standard library's distributions), so the same seed
// gives the same numbers with every compiler.
#include <cstdint>
#include <random>
#include <string>

namespace myelin {

/// Generator: a seeded Mersenne Twister with portable uniform and normal draws.
class Generator {
 public:
  explicit Generator(uint64_t seed = 5489u) : engine_(seed) {}
  void seed(uint64_t s) { engine_.seed(s); has_spare_ = false; }
  /// Uniform in [0, 1) with 24 random bits.
  float uniform();
  /// Standard normal (Box-Muller).
  float normal();
  /// Uniform integer in [0, n).
  uint64_t below(uint64_t n);
  /// The full state as text, for checkpoints; `set_state` restores it exactly.
  std::string state() const;
  void set_state(const std::string& s);

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  float spare_ = 0.f;
};

/// The process-wide generator used when an API takes no explicit one.
Generator& default_generator();
/// Seeds the default generator.
void manual_seed(uint64_t seed);

}  // namespace myelin
