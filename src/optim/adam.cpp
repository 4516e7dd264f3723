#include "myelin/optim/adam.hpp"

#include <algorithm>
#include <cmath>

#include "optim/scalars.hpp"
#include "optim/update_loop.hpp"

namespace myelin::optim {

using detail::check_setting;
using detail::number_text;

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options)
    : Adam(std::move(params), options, false) {}

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options, bool decoupled)
    : Optimizer(std::move(params), options.lr, decoupled ? "AdamW" : "Adam"),
      options_(options),
      decoupled_(decoupled),
      weight_decay_(options.weight_decay.value_or(decoupled ? 1e-2 : 0.0)) {
  const std::string type = type_name();
  check_setting(options.beta1 >= 0 && options.beta1 < 1, type, "beta1", options.beta1, "in [0, 1)");
  check_setting(options.beta2 >= 0 && options.beta2 < 1, type, "beta2", options.beta2, "in [0, 1)");
  check_setting(options.eps >= 0, type, "eps", options.eps, ">= 0");
  check_setting(weight_decay_ >= 0, type, "weight_decay", weight_decay_, ">= 0");
  exp_avg_ = add_buffer("exp_avg", 0.f);
  exp_avg_sq_ = add_buffer("exp_avg_sq", 0.f);
  if (options.amsgrad) max_exp_avg_sq_ = add_buffer("max_exp_avg_sq", 0.f);
}

std::string Adam::describe() const {
  return "lr=" + number_text(lr()) + ", betas=(" + number_text(options_.beta1) + ", " +
         number_text(options_.beta2) + "), eps=" + number_text(options_.eps) +
         ", weight_decay=" + number_text(weight_decay_) +
         ", amsgrad=" + detail::bool_text(options_.amsgrad);
}

void Adam::update(const Update& u) {
  // Scalars in double, rounded once, as PyTorch computes them in Python.
  const double t = static_cast<double>(u.step);
  const double bias1 = 1 - std::pow(options_.beta1, t);
  const double bias2_sqrt = std::sqrt(1 - std::pow(options_.beta2, t));
  const float b1 = static_cast<float>(options_.beta1);
  const float b2 = static_cast<float>(options_.beta2);
  const float one_b1 = static_cast<float>(1 - options_.beta1);
  const float one_b2 = static_cast<float>(1 - options_.beta2);
  const float eps = static_cast<float>(options_.eps);
  const float bias2 = static_cast<float>(bias2_sqrt);
  const float neg_step = static_cast<float>(-u.lr / bias1);
  // Exactly one of the two decays is active (both are no-ops at weight_decay 0).
  const float l2 = decoupled_ ? 0.f : static_cast<float>(weight_decay_);
  const float shrink = static_cast<float>(decoupled_ ? 1 - u.lr * weight_decay_ : 1.0);
  float* p = u.param;
  const float* g = u.grad;
  float* m = u.buffers[exp_avg_];
  float* v = u.buffers[exp_avg_sq_];
  float* v_max = max_exp_avg_sq_ >= 0 ? u.buffers[max_exp_avg_sq_] : nullptr;
  detail::with_flags(
      [&](auto amsgrad) {
        detail::for_each_index(u.n, [=](int64_t i) {
          const float gi = g[i] + l2 * p[i];
          const float mi = m[i] * b1 + one_b1 * gi;
          float vi = v[i] * b2 + one_b2 * gi * gi;
          m[i] = mi;
          v[i] = vi;
          if constexpr (amsgrad) vi = v_max[i] = std::max(v_max[i], vi);
          const float denom = std::sqrt(vi) / bias2 + eps;
          p[i] = p[i] * shrink + neg_step * (mi / denom);
        });
      },
      options_.amsgrad);
}

}  // namespace myelin::optim
