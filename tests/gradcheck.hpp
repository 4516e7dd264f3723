#pragma once
// Finite-difference gradient checks, table-driven: an op adds one GradCase row.
//
// The check reduces the op's output to a scalar with fixed random weights, L = sum(w * f(x)),
// so every output element's gradient is exercised, then compares autograd's dL/dx with central
// differences (L(x + e) - L(x - e)) / 2e for each input element.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "myelin/myelin.hpp"

namespace myelin::testing {

enum class Inputs {
  Any,           // uniform in [-1, 1], kept 0.1 away from zero (kinks of relu, abs, ...)
  Positive,      // uniform in [0.5, 2] (log, sqrt, pow, div)
  Distinct,      // a permutation of spaced values (max: no ties within the step)
};

struct GradCase {
  std::string name;
  std::vector<Shape> shapes;
  std::function<Tensor(const std::vector<Tensor>&)> fn;
  Inputs inputs = Inputs::Any;
  float tolerance = 1e-2f;  // on |autograd - numeric| / max(1, |numeric|)
};

// Leaves with the given shapes. With `non_contiguous`, each rank >= 2 input is handed to the
// op as a transposed view of a leaf stored the other way round.
struct GradInputs {
  std::vector<Tensor> leaves;
  std::vector<Tensor> views;
};
GradInputs make_inputs(const GradCase& c, bool non_contiguous, uint64_t seed);

void check_gradients(const GradCase& c, bool non_contiguous);

// Prints a case by name in failure messages.
inline void PrintTo(const GradCase& c, std::ostream* os) { *os << c.name; }

// Names parametrised tests after their case.
inline std::string case_name(const ::testing::TestParamInfo<GradCase>& info) { return info.param.name; }

}  // namespace myelin::testing
