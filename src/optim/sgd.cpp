#include "myelin/optim/sgd.hpp"

#include "optim/scalars.hpp"
#include "optim/update_loop.hpp"

namespace myelin::optim {

using detail::check_setting;
using detail::number_text;

SGD::SGD(std::vector<Tensor> params, const SGDOptions& options)
    : Optimizer(std::move(params), options.lr, "SGD"), options_(options) {
  const SGDOptions& o = options_;
  check_setting(o.momentum >= 0, "SGD", "momentum", o.momentum, ">= 0");
  check_setting(o.weight_decay >= 0, "SGD", "weight_decay", o.weight_decay, ">= 0");
  check_setting(!o.nesterov || o.momentum > 0, "SGD", "momentum", o.momentum,
                "> 0 with nesterov");
  check_setting(!o.nesterov || o.dampening == 0, "SGD", "dampening", o.dampening,
                "0 with nesterov");
  if (o.momentum != 0) add_buffer("momentum_buffer", 0.f);
}

std::string SGD::describe() const {
  const SGDOptions& o = options_;
  return "lr=" + number_text(lr()) + ", momentum=" + number_text(o.momentum) +
         ", dampening=" + number_text(o.dampening) + ", nesterov=" +
         detail::bool_text(o.nesterov) + ", weight_decay=" + number_text(o.weight_decay);
}

void SGD::update(const Update& u) {
  // Constants are formed in double and rounded once, as PyTorch passes Python floats.
  const float neg_lr = static_cast<float>(-u.lr);
  const float wd = static_cast<float>(options_.weight_decay);
  const float mom = static_cast<float>(options_.momentum);
  const float keep = static_cast<float>(1.0 - options_.dampening);
  float* p = u.param;
  const float* g = u.grad;
  float* buf = u.buffers[0];
  detail::with_flags(
      [&](auto momentum, auto nesterov, auto first) {
        detail::for_each_index(u.n, [=](int64_t i) {
          float d = g[i] + wd * p[i];
          if constexpr (momentum) {
            const float b = first ? d : buf[i] * mom + keep * d;
            buf[i] = b;
            d = nesterov ? d + mom * b : b;
          }
          p[i] += neg_lr * d;
        });
      },
      options_.momentum != 0, options_.nesterov, u.step == 1);
}

}  // namespace myelin::optim
