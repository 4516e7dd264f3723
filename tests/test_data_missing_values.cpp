// Column means that skip NaN, and NaN filled with them.
#include <cmath>
#include <limits>
#include <vector>

#include "expect_error.hpp"
#include "myelin/data/missing_values.hpp"

namespace myelin::testing {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(MissingValueFill, MeansSkipNaN) {
  const Tensor x = Tensor::from_vector({1, kNaN, 3, 4, kNaN, 8}, {3, 2});
  EXPECT_EQ(data::column_means_ignoring_nan(x).to_vector(), (std::vector<float>{2, 6}));
}

TEST(MissingValueFill, AColumnWithoutValuesIsNamed) {
  const Tensor x = Tensor::from_vector({1, kNaN, 3, kNaN}, {2, 2});
  expect_error([&] { data::column_means_ignoring_nan(x, {"age", "income"}); }, {"column 'income'", "no values"});
  expect_error([&] { data::column_means_ignoring_nan(x); }, "column 1 has no values");
}

TEST(MissingValueFill, FillReplacesOnlyNaN) {
  const Tensor x = Tensor::from_vector({1, kNaN, kNaN, 4}, {2, 2});
  const Tensor filled = data::fill_nan(x, Tensor::from_vector({10, 20}, {2}));
  EXPECT_EQ(filled.to_vector(), (std::vector<float>{1, 20, 10, 4}));
  EXPECT_TRUE(std::isnan(x.to_vector()[1]));  // the input is unchanged
  EXPECT_TRUE(data::has_nan(x));
  EXPECT_FALSE(data::has_nan(filled));
}

TEST(MissingValueFill, ShapesAreChecked) {
  const Tensor x = Tensor::from_vector({1, 2, 3, 4}, {2, 2});
  expect_error<ShapeError>([&] { data::fill_nan(x, Tensor::from_vector({1, 2, 3}, {3})); }, "expected means (2)");
  expect_error<ShapeError>([&] { data::column_means_ignoring_nan(Tensor::from_vector({1, 2}, {2})); }, "(N, F)");
}

}  // namespace
}  // namespace myelin::testing
