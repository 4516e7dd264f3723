// Elementwise kernels: the unary table (forward and derivative side by side), broadcasting
// binary ops, copies and fills.
#include <cmath>

#include "backend/backend.hpp"
#include "backend/cpu/strided.hpp"
#include "myelin/error.hpp"

namespace myelin::backend {
namespace {

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

inline float softplus_value(float x, float beta, float threshold) {
  const float z = beta * x;
  return z > threshold ? x : std::log1p(std::exp(z)) / beta;
}

// One row per op: f(x) and f'(x) given x and y = f(x).
template <class F, class D>
void map(const float* x, float* y, int64_t n, F f, D) {
  cpu::parallel_for(n, [=](int64_t i) { y[i] = f(x[i]); });
}
// A rule reads x or y, never both; one loop per case keeps the loads unconditional, so the loop
// vectorises.
template <class F, class D>
void map_backward(const float* x, const float* y, const float* gy, float* gx, int64_t n, F, D d) {
  if (x) cpu::parallel_for(n, [=](int64_t i) { gx[i] = gy[i] * d(x[i], 0.f); });
  else cpu::parallel_for(n, [=](int64_t i) { gx[i] = gy[i] * d(0.f, y[i]); });
}

template <class Visitor>
void dispatch(Unary op, float a, float b, Visitor&& visit) {
  switch (op) {
    case Unary::Neg: return visit([](float x) { return -x; }, [](float, float) { return -1.f; });
    case Unary::Exp: return visit([](float x) { return std::exp(x); }, [](float, float y) { return y; });
    case Unary::Log: return visit([](float x) { return std::log(x); }, [](float x, float) { return 1.f / x; });
    case Unary::Sqrt: return visit([](float x) { return std::sqrt(x); }, [](float, float y) { return 0.5f / y; });
    case Unary::Abs:
      return visit([](float x) { return std::fabs(x); },
                   [](float x, float) { return x > 0.f ? 1.f : (x < 0.f ? -1.f : 0.f); });
    case Unary::Pow:
      return visit([a](float x) { return std::pow(x, a); },
                   [a](float x, float) { return a == 0.f ? 0.f : a * std::pow(x, a - 1.f); });
    case Unary::Clamp:
      return visit([a, b](float x) { return x < a ? a : (x > b ? b : x); },
                   [a, b](float x, float) { return (x >= a && x <= b) ? 1.f : 0.f; });
    case Unary::AddScalar: return visit([a](float x) { return x + a; }, [](float, float) { return 1.f; });
    case Unary::MulScalar: return visit([a](float x) { return x * a; }, [a](float, float) { return a; });
    case Unary::Sigmoid:
      return visit([](float x) { return 1.f / (1.f + std::exp(-x)); },
                   [](float, float y) { return y * (1.f - y); });
    case Unary::Tanh: return visit([](float x) { return std::tanh(x); }, [](float, float y) { return 1.f - y * y; });
    case Unary::Relu:
      // NaN propagates (x < 0 is false for NaN), as in PyTorch: a diverged run must not look healthy.
      return visit([](float x) { return x < 0.f ? 0.f : x; }, [](float, float y) { return y > 0.f ? 1.f : 0.f; });
    case Unary::LeakyRelu:
      return visit([a](float x) { return x > 0.f ? x : a * x; }, [a](float x, float) { return x > 0.f ? 1.f : a; });
    case Unary::Elu:
      return visit([a](float x) { return x > 0.f ? x : a * (std::exp(x) - 1.f); },
                   [a](float x, float) { return x > 0.f ? 1.f : a * std::exp(x); });
    case Unary::Gelu:
      return visit([](float x) { return 0.5f * x * (1.f + std::erf(x * kInvSqrt2)); },
                   [](float x, float) {
                     return 0.5f * (1.f + std::erf(x * kInvSqrt2)) + x * kInvSqrt2Pi * std::exp(-0.5f * x * x);
                   });
    case Unary::Softplus:
      return visit([a, b](float x) { return softplus_value(x, a, b); },
                   [a, b](float x, float) {
                     const float z = a * x;
                     return z > b ? 1.f : 1.f / (1.f + std::exp(-z));
                   });
  }
  throw Error("backend::unary: unknown op");
}

}  // namespace

bool unary_backward_uses_output(Unary op) {
  switch (op) {
    case Unary::Exp: case Unary::Sqrt: case Unary::Sigmoid: case Unary::Tanh: case Unary::Relu:
      return true;
    default:
      return false;
  }
}

void unary(Unary op, const float* x, float* y, int64_t n, float a, float b) {
  dispatch(op, a, b, [&](auto f, auto d) { map(x, y, n, f, d); });
}

void unary_backward(Unary op, const float* x, const float* y, const float* gy, float* gx,
                    int64_t n, float a, float b) {
  dispatch(op, a, b, [&](auto f, auto d) { map_backward(x, y, gy, gx, n, f, d); });
}

namespace {
template <class F>
void binary_loop(const Tensor& a, const Tensor& b, Tensor& out, F f) {
  const float* pa = a.data();
  const float* pb = b.data();
  float* po = out.data();
  const int64_t n = out.numel();
  if (a.is_contiguous() && b.is_contiguous() && a.shape() == out.shape() &&
      b.shape() == out.shape()) {
    cpu::parallel_for(n, [=](int64_t i) { po[i] = f(pa[i], pb[i]); });
    return;
  }
  std::array<Shape, 3> strides{cpu::broadcast_strides(a, out.shape()),
                               cpu::broadcast_strides(b, out.shape()), out.strides()};
  cpu::for_each_run<3>(out.shape(), strides, [&](auto off, int64_t m, auto inc) {
    const float* x = pa + off[0];
    const float* y = pb + off[1];
    float* z = po + off[2];
    for (int64_t i = 0; i < m; ++i) z[i * inc[2]] = f(x[i * inc[0]], y[i * inc[1]]);
  });
}
}  // namespace

void binary(Binary op, const Tensor& a, const Tensor& b, Tensor& out) {
  switch (op) {
    case Binary::Add: return binary_loop(a, b, out, [](float x, float y) { return x + y; });
    case Binary::Sub: return binary_loop(a, b, out, [](float x, float y) { return x - y; });
    case Binary::Mul: return binary_loop(a, b, out, [](float x, float y) { return x * y; });
    case Binary::Div: return binary_loop(a, b, out, [](float x, float y) { return x / y; });
  }
}

void copy(const Tensor& src, Tensor& dst) {
  const float* ps = src.data();
  float* pd = dst.data();
  if (src.is_contiguous() && dst.is_contiguous() && src.shape() == dst.shape()) {
    cpu::parallel_for(dst.numel(), [=](int64_t i) { pd[i] = ps[i]; });
    return;
  }
  std::array<Shape, 2> strides{cpu::broadcast_strides(src, dst.shape()), dst.strides()};
  cpu::for_each_run<2>(dst.shape(), strides, [&](auto off, int64_t m, auto inc) {
    for (int64_t i = 0; i < m; ++i) pd[off[1] + i * inc[1]] = ps[off[0] + i * inc[0]];
  });
}

void fill(Tensor& dst, float value) {
  float* pd = dst.data();
  std::array<Shape, 1> strides{dst.strides()};
  cpu::for_each_run<1>(dst.shape(), strides, [&](auto off, int64_t m, auto inc) {
    for (int64_t i = 0; i < m; ++i) pd[off[0] + i * inc[0]] = value;
  });
}

void axpy(int64_t n, float alpha, const float* x, float* y) {
  cpu::parallel_for(n, [=](int64_t i) { y[i] += alpha * x[i]; });
}

}  // namespace myelin::backend
