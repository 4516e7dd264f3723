#pragma once
// Splitting a dataset into disjoint parts (train / validation / test).
#include <cstdint>
#include <vector>

#include "myelin/data/dataset.hpp"

namespace myelin::data {

/// The sizes of the parts of `n` examples. `parts` are either fractions that sum to 1 (each part
/// gets floor(f * n), and the examples left over go one each to the first parts), or counts
/// (whole numbers) that sum to n.
/// Requires: parts non-empty and non-negative, summing to 1 or to n (else Error).
std::vector<int64_t> split_sizes(int64_t n, const std::vector<double>& parts);

/// Disjoint random subsets of `dataset` with split_sizes(size, parts), drawn from one seeded
/// permutation: the same seed gives the same split.
std::vector<SubsetPtr> random_split(DatasetPtr dataset, const std::vector<double>& parts, uint64_t seed);

/// Consecutive subsets in index order (no shuffling), e.g. for time series, where the later
/// examples must not be trained on.
std::vector<SubsetPtr> chronological_split(DatasetPtr dataset, const std::vector<double>& parts);

/// TrainValidationSplit: the two parts of train_validation_split.
struct TrainValidationSplit {
  SubsetPtr train;
  SubsetPtr validation;
};

/// Holds out `validation_fraction` (in [0, 1)) of `dataset` for validation: a random subset from
/// `seed` when `shuffle`, else the last examples (chronological).
TrainValidationSplit train_validation_split(DatasetPtr dataset, double validation_fraction, uint64_t seed,
                                            bool shuffle = true);

}  // namespace myelin::data
