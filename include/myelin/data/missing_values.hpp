#pragma once
// Filling gaps in a feature table: per-column means that skip NaN, and NaN replaced by them.
#include <string>
#include <vector>

#include "myelin/tensor.hpp"

namespace myelin::data {

/// The mean of each column of x (N, F) over its non-NaN cells: a tensor (F), e.g. measured on
/// the training rows of a table read with CsvMissing::keep_nan. Throws ShapeError unless x is
/// (N, F), and Error when a column has no value at all (naming it by names[j] when names has F
/// entries, else by its index j).
Tensor column_means_ignoring_nan(const Tensor& x, const std::vector<std::string>& names = {});

/// x (N, F) with every NaN in column j replaced by means[j]: a new tensor; x is not changed.
/// Throws ShapeError unless x is (N, F) and means is (F).
Tensor fill_nan(const Tensor& x, const Tensor& means);

/// Whether any element of x is NaN.
bool has_nan(const Tensor& x);

}  // namespace myelin::data
