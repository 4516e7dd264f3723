#pragma once
// The optimizer configurations the optimizer tests run, named as in
// scripts/fixtures/make_optim_fixtures.py (which must list the same settings).
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "myelin/myelin.hpp"

namespace myelin::testing {

struct OptimCase {
  std::string name;
  std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)> make;
};

template <class O, class Options>
OptimCase optim_case(std::string name, Options options) {
  return {std::move(name), [options](std::vector<Tensor> params) {
            return std::make_unique<O>(std::move(params), options);
          }};
}

inline std::vector<OptimCase> optim_cases() {
  using namespace optim;
  return {
      optim_case<SGD>("sgd_plain", SGDOptions{.lr = 0.1}),
      optim_case<SGD>("sgd_momentum", SGDOptions{.lr = 0.1, .momentum = 0.9}),
      optim_case<SGD>("sgd_nesterov_wd", SGDOptions{.lr = 0.05, .momentum = 0.9, .nesterov = true,
                                                    .weight_decay = 0.01}),
      optim_case<SGD>("sgd_dampening", SGDOptions{.lr = 0.1, .momentum = 0.8, .dampening = 0.3}),
      optim_case<Adam>("adam", AdamOptions{.lr = 0.01}),
      optim_case<Adam>("adam_amsgrad_wd", AdamOptions{.lr = 0.01, .beta1 = 0.8, .beta2 = 0.95,
                                                      .weight_decay = 0.05, .amsgrad = true}),
      optim_case<AdamW>("adamw", AdamOptions{.lr = 0.01, .weight_decay = 0.1}),
      optim_case<RMSprop>("rmsprop", RMSpropOptions{.lr = 0.01}),
      optim_case<RMSprop>("rmsprop_centered_momentum",
                          RMSpropOptions{.lr = 0.01, .alpha = 0.9, .weight_decay = 0.02,
                                         .momentum = 0.5, .centered = true}),
      optim_case<Adagrad>("adagrad_decay_wd",
                          AdagradOptions{.lr = 0.1, .lr_decay = 0.05, .weight_decay = 0.01,
                                         .initial_accumulator_value = 0.1}),
  };
}

inline void PrintTo(const OptimCase& c, std::ostream* os) { *os << c.name; }

inline std::string optim_case_name(const ::testing::TestParamInfo<OptimCase>& info) {
  return info.param.name;
}

}  // namespace myelin::testing
