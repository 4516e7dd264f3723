#pragma once
// Activation layers: modules without parameters over the activation ops of myelin/ops.hpp.
// Each has the torch.nn name and defaults, and applies elementwise unless it takes an axis.
#include <cstdint>

#include "myelin/nn/module.hpp"

namespace myelin::nn {

/// PointwiseActivation: the base of the activations without settings; forward applies `fn`.
class PointwiseActivation : public Module {
 public:
  using Fn = Tensor (*)(const Tensor&);
  Tensor forward(const Tensor& x) override { return fn_(x); }
  std::string type_name() const override { return name_; }

 protected:
  PointwiseActivation(const char* name, Fn fn) : name_(name), fn_(fn) {}

 private:
  const char* name_;
  Fn fn_;
};

/// max(x, 0).
class ReLU : public PointwiseActivation {
 public:
  ReLU();
};

/// 1 / (1 + exp(-x)).
class Sigmoid : public PointwiseActivation {
 public:
  Sigmoid();
};

class Tanh : public PointwiseActivation {
 public:
  Tanh();
};

/// Exact GELU, x * Phi(x).
class GELU : public PointwiseActivation {
 public:
  GELU();
};

/// Passes its input through unchanged (a placeholder layer).
class Identity : public PointwiseActivation {
 public:
  Identity();
};

/// x for x >= 0, negative_slope * x below.
class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(double negative_slope = 0.01);
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "LeakyReLU"; }
  std::string extra_repr() const override;
  double negative_slope() const { return negative_slope_; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  double negative_slope_;
};

/// x for x > 0, alpha * (exp(x) - 1) below.
class ELU : public Module {
 public:
  explicit ELU(double alpha = 1.0);
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "ELU"; }
  std::string extra_repr() const override;
  double alpha() const { return alpha_; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  double alpha_;
};

/// log(1 + exp(beta * x)) / beta, and x itself where beta * x > threshold.
/// Requires: beta > 0 (else Error).
class Softplus : public Module {
 public:
  explicit Softplus(double beta = 1.0, double threshold = 20.0);
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Softplus"; }
  std::string extra_repr() const override;
  double beta() const { return beta_; }
  double threshold() const { return threshold_; }

 protected:
  void describe(ModuleSpec& spec) const override;

 private:
  double beta_;
  double threshold_;
};

/// AxisActivation: the base of the normalising activations; forward applies `fn` along `axis`
/// (negative counts from the end).
class AxisActivation : public Module {
 public:
  using Fn = Tensor (*)(const Tensor&, int64_t);
  Tensor forward(const Tensor& x) override { return fn_(x, axis_); }
  std::string type_name() const override { return name_; }
  std::string extra_repr() const override;
  int64_t axis() const { return axis_; }

 protected:
  AxisActivation(const char* name, Fn fn, int64_t axis) : name_(name), fn_(fn), axis_(axis) {}
  void describe(ModuleSpec& spec) const override;

 private:
  const char* name_;
  Fn fn_;
  int64_t axis_;
};

/// exp(x) normalised to sum 1 along `axis`.
class Softmax : public AxisActivation {
 public:
  explicit Softmax(int64_t axis = -1);
};

/// log(softmax(x)) along `axis`, computed stably.
class LogSoftmax : public AxisActivation {
 public:
  explicit LogSoftmax(int64_t axis = -1);
};

}  // namespace myelin::nn
