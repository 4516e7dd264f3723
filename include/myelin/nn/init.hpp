#pragma once
// Weight initialisers, as torch.nn.init: each overwrites a tensor's elements in place, outside
// autograd (the tensor stays a leaf, nothing is recorded), and returns it. Random ones draw from
// `gen`, or from default_generator() when it is null, so a seed gives the same weights.
#include <cstdint>

#include "myelin/tensor.hpp"

namespace myelin {
class Generator;
}

namespace myelin::nn::init {

/// The activation that follows a layer, which sets the gain of xavier/kaiming initialisation.
enum class Nonlinearity { Linear, Sigmoid, Tanh, ReLU, LeakyReLU, SELU };

/// Which fan scales the kaiming initialisers: fan_in keeps the forward pass's variance,
/// fan_out the backward pass's.
enum class FanMode { FanIn, FanOut };

/// The recommended gain for `nonlinearity`, as torch.nn.init.calculate_gain: 1 for Linear and
/// Sigmoid, 5/3 for Tanh, sqrt(2) for ReLU, sqrt(2 / (1 + slope^2)) for LeakyReLU with
/// `negative_slope`, 3/4 for SELU.
double calculate_gain(Nonlinearity nonlinearity, double negative_slope = 0.01);

/// Fans of a weight of shape (out, in, k1, k2, ...): fan_in = in * k1 * k2 * ...,
/// fan_out = out * k1 * k2 * ... (the receptive field multiplies both, as in PyTorch).
/// Requires: at least 2 dimensions (else Error).
struct Fans {
  int64_t fan_in;
  int64_t fan_out;
};
Fans calculate_fans(const Shape& shape);

/// Uniform in [low, high).
Tensor& uniform_(Tensor& t, double low = 0.0, double high = 1.0, Generator* gen = nullptr);
/// Normal with the given mean and standard deviation.
Tensor& normal_(Tensor& t, double mean = 0.0, double stddev = 1.0, Generator* gen = nullptr);
Tensor& constant_(Tensor& t, double value);
Tensor& zeros_(Tensor& t);
Tensor& ones_(Tensor& t);

/// Glorot: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)).
Tensor& xavier_uniform_(Tensor& t, double gain = 1.0, Generator* gen = nullptr);
/// Glorot: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)).
Tensor& xavier_normal_(Tensor& t, double gain = 1.0, Generator* gen = nullptr);

/// He: U(-b, b) with b = gain * sqrt(3 / fan), gain = calculate_gain(nonlinearity, a); `a` is
/// the negative slope of a following LeakyReLU (torch's defaults: a = 0, fan_in, LeakyReLU,
/// which gives the ReLU gain sqrt(2)).
Tensor& kaiming_uniform_(Tensor& t, double a = 0.0, FanMode mode = FanMode::FanIn,
                         Nonlinearity nonlinearity = Nonlinearity::LeakyReLU,
                         Generator* gen = nullptr);
/// He: N(0, std^2) with std = gain / sqrt(fan).
Tensor& kaiming_normal_(Tensor& t, double a = 0.0, FanMode mode = FanMode::FanIn,
                        Nonlinearity nonlinearity = Nonlinearity::LeakyReLU,
                        Generator* gen = nullptr);

}  // namespace myelin::nn::init
