// Dropout layer over the dropout op; the mode comes from train()/eval().
#include "myelin/nn/dropout.hpp"

#include "myelin/error.hpp"
#include "myelin/ops.hpp"
#include "nn/format.hpp"

namespace myelin::nn {

Dropout::Dropout(double p, Generator* gen) : p_(p), gen_(gen) {
  if (!(p >= 0.0 && p < 1.0)) throw Error("Dropout: p must be in [0, 1), got " + format_number(p));
}

Tensor Dropout::forward(const Tensor& x) {
  return dropout(x, static_cast<float>(p_), is_training(), gen_);
}

std::string Dropout::extra_repr() const { return "p=" + format_number(p_); }

void Dropout::describe(ModuleSpec& spec) const { spec.set("p", p_); }

}  // namespace myelin::nn
