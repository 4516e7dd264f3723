#include "myelin/optim/adagrad.hpp"

#include <cmath>

#include "optim/scalars.hpp"
#include "optim/update_loop.hpp"

namespace myelin::optim {

using detail::check_setting;
using detail::number_text;

Adagrad::Adagrad(std::vector<Tensor> params, const AdagradOptions& options)
    : Optimizer(std::move(params), options.lr, "Adagrad"), options_(options) {
  const AdagradOptions& o = options_;
  check_setting(o.lr_decay >= 0, "Adagrad", "lr_decay", o.lr_decay, ">= 0");
  check_setting(o.weight_decay >= 0, "Adagrad", "weight_decay", o.weight_decay, ">= 0");
  check_setting(o.initial_accumulator_value >= 0, "Adagrad", "initial_accumulator_value",
                o.initial_accumulator_value, ">= 0");
  check_setting(o.eps >= 0, "Adagrad", "eps", o.eps, ">= 0");
  add_buffer("sum", static_cast<float>(o.initial_accumulator_value));
}

std::string Adagrad::describe() const {
  return "lr=" + number_text(lr()) + ", lr_decay=" + number_text(options_.lr_decay) +
         ", weight_decay=" + number_text(options_.weight_decay) +
         ", initial_accumulator_value=" + number_text(options_.initial_accumulator_value) +
         ", eps=" + number_text(options_.eps);
}

void Adagrad::update(const Update& u) {
  const double clr = u.lr / (1 + static_cast<double>(u.step - 1) * options_.lr_decay);
  const float neg_clr = static_cast<float>(-clr);
  const float wd = static_cast<float>(options_.weight_decay);
  const float eps = static_cast<float>(options_.eps);
  float* p = u.param;
  const float* g = u.grad;
  float* sum = u.buffers[0];
  detail::for_each_index(u.n, [=](int64_t i) {
    const float gi = g[i] + wd * p[i];
    const float si = sum[i] + gi * gi;
    sum[i] = si;
    p[i] += neg_clr * (gi / (std::sqrt(si) + eps));
  });
}

}  // namespace myelin::optim
