// Weight initialisers. Each draws a fresh tensor with Tensor::uniform/normal and copies it in,
// so a view (e.g. one gate's block of a fused weight) is filled in place like a whole tensor.
#include "myelin/nn/init.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "myelin/error.hpp"
#include "myelin/random.hpp"

namespace myelin::nn::init {
namespace {

void require_defined(const Tensor& t, const char* fn) {
  if (!t.defined()) throw Error(std::string("init::") + fn + ": the tensor is undefined");
}

int64_t fan(const Tensor& t, FanMode mode) {
  const Fans f = calculate_fans(t.shape());
  return mode == FanMode::FanIn ? f.fan_in : f.fan_out;
}

// The fan as a divisor: an empty weight (a zero-sized dimension) has nothing to fill.
double positive(int64_t fan) { return static_cast<double>(std::max<int64_t>(fan, 1)); }

}  // namespace

double calculate_gain(Nonlinearity nonlinearity, double negative_slope) {
  switch (nonlinearity) {
    case Nonlinearity::Linear:
    case Nonlinearity::Sigmoid: return 1.0;
    case Nonlinearity::Tanh: return 5.0 / 3.0;
    case Nonlinearity::ReLU: return std::sqrt(2.0);
    case Nonlinearity::LeakyReLU: return std::sqrt(2.0 / (1.0 + negative_slope * negative_slope));
    case Nonlinearity::SELU: return 3.0 / 4.0;
  }
  throw Error("init::calculate_gain: unknown nonlinearity");
}

Fans calculate_fans(const Shape& shape) {
  if (shape.size() < 2)
    throw Error("init: fan_in and fan_out need a weight of at least 2 dimensions (out, in, ...), got shape " +
                to_string(shape));
  int64_t receptive_field = 1;
  for (size_t i = 2; i < shape.size(); ++i) receptive_field *= shape[i];
  return {shape[1] * receptive_field, shape[0] * receptive_field};
}

Tensor& uniform_(Tensor& t, double low, double high, Generator* gen) {
  require_defined(t, "uniform_");
  if (!(low <= high))
    throw Error("init::uniform_: low must not exceed high, got [" + std::to_string(low) + ", " +
                std::to_string(high) + ")");
  return t.copy_(Tensor::uniform(t.shape(), static_cast<float>(low), static_cast<float>(high), gen));
}

Tensor& normal_(Tensor& t, double mean, double stddev, Generator* gen) {
  require_defined(t, "normal_");
  if (!(stddev >= 0.0))
    throw Error("init::normal_: the standard deviation must be >= 0, got " + std::to_string(stddev));
  return t.copy_(Tensor::normal(t.shape(), static_cast<float>(mean), static_cast<float>(stddev), gen));
}

Tensor& constant_(Tensor& t, double value) {
  require_defined(t, "constant_");
  return t.fill_(static_cast<float>(value));
}

Tensor& zeros_(Tensor& t) { return constant_(t, 0.0); }
Tensor& ones_(Tensor& t) { return constant_(t, 1.0); }

Tensor& xavier_uniform_(Tensor& t, double gain, Generator* gen) {
  require_defined(t, "xavier_uniform_");
  const Fans f = calculate_fans(t.shape());
  const double bound = gain * std::sqrt(6.0 / positive(f.fan_in + f.fan_out));
  return uniform_(t, -bound, bound, gen);
}

Tensor& xavier_normal_(Tensor& t, double gain, Generator* gen) {
  require_defined(t, "xavier_normal_");
  const Fans f = calculate_fans(t.shape());
  return normal_(t, 0.0, gain * std::sqrt(2.0 / positive(f.fan_in + f.fan_out)), gen);
}

Tensor& kaiming_uniform_(Tensor& t, double a, FanMode mode, Nonlinearity nonlinearity,
                         Generator* gen) {
  require_defined(t, "kaiming_uniform_");
  const double stddev = calculate_gain(nonlinearity, a) / std::sqrt(positive(fan(t, mode)));
  const double bound = std::sqrt(3.0) * stddev;  // U(-b, b) has standard deviation b / sqrt(3)
  return uniform_(t, -bound, bound, gen);
}

Tensor& kaiming_normal_(Tensor& t, double a, FanMode mode, Nonlinearity nonlinearity,
                        Generator* gen) {
  require_defined(t, "kaiming_normal_");
  return normal_(t, 0.0, calculate_gain(nonlinearity, a) / std::sqrt(positive(fan(t, mode))), gen);
}

}  // namespace myelin::nn::init
