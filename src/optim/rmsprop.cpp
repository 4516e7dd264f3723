#include "myelin/optim/rmsprop.hpp"

#include <cmath>

#include "optim/scalars.hpp"
#include "optim/update_loop.hpp"

namespace myelin::optim {

using detail::check_setting;
using detail::number_text;

RMSprop::RMSprop(std::vector<Tensor> params, const RMSpropOptions& options)
    : Optimizer(std::move(params), options.lr, "RMSprop"), options_(options) {
  check_setting(options.alpha >= 0, "RMSprop", "alpha", options.alpha, ">= 0");
  check_setting(options.eps >= 0, "RMSprop", "eps", options.eps, ">= 0");
  check_setting(options.weight_decay >= 0, "RMSprop", "weight_decay", options.weight_decay, ">= 0");
  check_setting(options.momentum >= 0, "RMSprop", "momentum", options.momentum, ">= 0");
  square_avg_ = add_buffer("square_avg", 0.f);
  if (options.momentum > 0) momentum_buffer_ = add_buffer("momentum_buffer", 0.f);
  if (options.centered) grad_avg_ = add_buffer("grad_avg", 0.f);
}

std::string RMSprop::describe() const {
  return "lr=" + number_text(lr()) + ", alpha=" + number_text(options_.alpha) +
         ", eps=" + number_text(options_.eps) + ", weight_decay=" +
         number_text(options_.weight_decay) + ", momentum=" + number_text(options_.momentum) +
         ", centered=" + detail::bool_text(options_.centered);
}

void RMSprop::update(const Update& u) {
  const float neg_lr = static_cast<float>(-u.lr);
  const float wd = static_cast<float>(options_.weight_decay);
  const float alpha = static_cast<float>(options_.alpha);
  const float one_alpha = static_cast<float>(1 - options_.alpha);
  const float eps = static_cast<float>(options_.eps);
  const float mom = static_cast<float>(options_.momentum);
  float* p = u.param;
  const float* g = u.grad;
  float* s = u.buffers[square_avg_];
  float* buf = momentum_buffer_ >= 0 ? u.buffers[momentum_buffer_] : nullptr;
  float* a = grad_avg_ >= 0 ? u.buffers[grad_avg_] : nullptr;
  detail::with_flags(
      [&](auto centered, auto momentum) {
        detail::for_each_index(u.n, [=](int64_t i) {
          const float gi = g[i] + wd * p[i];
          const float si = s[i] * alpha + one_alpha * gi * gi;
          s[i] = si;
          float d;
          if constexpr (centered) {
            const float ai = a[i] * alpha + one_alpha * gi;
            a[i] = ai;
            d = std::sqrt(si - ai * ai) + eps;
          } else {
            d = std::sqrt(si) + eps;
          }
          if constexpr (momentum) {
            const float b = buf[i] * mom + gi / d;
            buf[i] = b;
            p[i] += neg_lr * b;
          } else {
            p[i] += neg_lr * (gi / d);
          }
        });
      },
      options_.centered, options_.momentum > 0);
}

}  // namespace myelin::optim
