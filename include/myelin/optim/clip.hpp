#pragma once
// Gradient clipping.
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::optim {

/// Scales the gradients of `parameters` in place so that their joint L2 norm is at most
/// `max_norm`, as torch.nn.utils.clip_grad_norm_: with norm the L2 norm over all defined
/// gradients (summed in double, in an order that does not depend on the thread count),
/// every gradient is multiplied by max_norm / (norm + 1e-6) when that is below 1.
/// Parameters without a gradient are skipped.
///
/// Requires: max_norm finite and >= 0 (else Error).
/// Ensures: returns the norm before clipping (0 when no gradient is defined). A non-finite
/// norm is returned as found; the gradients are then scaled by 0 (inf) or left alone (NaN).
double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm);

}  // namespace myelin::optim
