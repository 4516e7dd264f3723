// Activation layers: each forwards to its op; the settings go into the spec and extra_repr.
#include "myelin/nn/activation.hpp"

#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "nn/format.hpp"

namespace myelin::nn {

ReLU::ReLU() : PointwiseActivation("ReLU", myelin::relu) {}
Sigmoid::Sigmoid() : PointwiseActivation("Sigmoid", myelin::sigmoid) {}
Tanh::Tanh() : PointwiseActivation("Tanh", myelin::tanh) {}
GELU::GELU() : PointwiseActivation("GELU", myelin::gelu) {}
Identity::Identity() : PointwiseActivation("Identity", [](const Tensor& x) { return x; }) {}

LeakyReLU::LeakyReLU(double negative_slope) : negative_slope_(negative_slope) {}
Tensor LeakyReLU::forward(const Tensor& x) {
  return leaky_relu(x, static_cast<float>(negative_slope_));
}
std::string LeakyReLU::extra_repr() const {
  return "negative_slope=" + format_number(negative_slope_);
}
void LeakyReLU::describe(ModuleSpec& spec) const { spec.set("negative_slope", negative_slope_); }

ELU::ELU(double alpha) : alpha_(alpha) {}
Tensor ELU::forward(const Tensor& x) { return elu(x, static_cast<float>(alpha_)); }
std::string ELU::extra_repr() const { return "alpha=" + format_number(alpha_); }
void ELU::describe(ModuleSpec& spec) const { spec.set("alpha", alpha_); }

Softplus::Softplus(double beta, double threshold) : beta_(beta), threshold_(threshold) {
  if (!(beta > 0.0)) throw Error("Softplus: beta must be > 0, got " + format_number(beta));
}
Tensor Softplus::forward(const Tensor& x) {
  return softplus(x, static_cast<float>(beta_), static_cast<float>(threshold_));
}
std::string Softplus::extra_repr() const {
  return "beta=" + format_number(beta_) + ", threshold=" + format_number(threshold_);
}
void Softplus::describe(ModuleSpec& spec) const {
  spec.set("beta", beta_);
  spec.set("threshold", threshold_);
}

std::string AxisActivation::extra_repr() const { return "axis=" + std::to_string(axis_); }
void AxisActivation::describe(ModuleSpec& spec) const { spec.set("axis", axis_); }

Softmax::Softmax(int64_t axis) : AxisActivation("Softmax", myelin::softmax, axis) {}
LogSoftmax::LogSoftmax(int64_t axis) : AxisActivation("LogSoftmax", myelin::log_softmax, axis) {}

}  // namespace myelin::nn
