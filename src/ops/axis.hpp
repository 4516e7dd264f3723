#pragma once
// Axis helpers shared by ops that work along one dimension.
#include <string>

#include "myelin/error.hpp"
#include "myelin/tensor.hpp"

namespace myelin::ops {

// `axis` made non-negative; throws ShapeError naming `op` when out of range.
inline int64_t wrap_axis(int64_t axis, int64_t rank, const char* op) {
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    throw ShapeError(std::string(op) + ": axis " + std::to_string(axis) +
                     " is out of range for a tensor of rank " + std::to_string(rank));
  return a;
}

// A contiguous tensor viewed as (outer, d, inner) around one axis.
struct AxisSplit {
  int64_t outer = 1, d = 1, inner = 1;
};
inline AxisSplit split_at(const Shape& shape, int64_t axis) {
  AxisSplit s;
  for (int64_t i = 0; i < static_cast<int64_t>(shape.size()); ++i) {
    if (i < axis) s.outer *= shape[i];
    else if (i == axis) s.d = shape[i];
    else s.inner *= shape[i];
  }
  return s;
}

}  // namespace myelin::ops
