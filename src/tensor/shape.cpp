// Shape arithmetic shared by every op.
#include <algorithm>

#include "myelin/error.hpp"
#include "myelin/tensor.hpp"

namespace myelin {

int64_t numel(const Shape& shape) {
  int64_t n = 1;
  // Shapes can come from files (a model's architecture): an overflow must be an error, not UB.
  for (int64_t s : shape)
    if (__builtin_mul_overflow(n, s, &n)) throw ShapeError("shape " + to_string(shape) + " has more than 2^63 elements");
  return n;
}

std::string to_string(const Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  const size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      throw ShapeError(std::string(op) + ": shapes " + to_string(a) + " and " + to_string(b) +
                       " cannot be broadcast together (dimension " + std::to_string(i) + ")");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

}  // namespace myelin
