// Splits: part sizes from fractions or counts, and subsets cut from a random or the natural order.
#include "myelin/data/split.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "data/permutation.hpp"
#include "myelin/error.hpp"

namespace myelin::data {
namespace {

std::string describe(const std::vector<double>& parts) {
  std::ostringstream s;
  s << '{';
  for (size_t k = 0; k < parts.size(); ++k) s << (k ? ", " : "") << parts[k];
  s << '}';
  return s.str();
}

// Consecutive runs of `order` with the given sizes, as subsets of `dataset`.
std::vector<SubsetPtr> cut(const DatasetPtr& dataset, const std::vector<int64_t>& order,
                           const std::vector<int64_t>& sizes) {
  std::vector<SubsetPtr> out;
  auto start = order.begin();
  for (int64_t s : sizes) {
    out.push_back(std::make_shared<Subset>(dataset, std::vector<int64_t>(start, start + s)));
    start += s;
  }
  return out;
}

void check_dataset(const DatasetPtr& dataset, const char* who) {
  if (!dataset) throw Error(std::string(who) + ": the dataset is null");
}

}  // namespace

std::vector<int64_t> split_sizes(int64_t n, const std::vector<double>& parts) {
  if (parts.empty()) throw Error("split: no parts given");
  double total = 0.0;
  bool whole = true;
  for (double p : parts) {
    if (!(p >= 0.0) || !std::isfinite(p))
      throw Error("split: parts " + describe(parts) + " must be non-negative numbers");
    total += p;
    whole = whole && p == std::floor(p);
  }
  std::vector<int64_t> sizes;
  if (std::abs(total - 1.0) < 1e-6) {
    // Fractions: part k ends at round(n * (f_0 + ... + f_k)); the last ends at n exactly.
    double cumulative = 0.0;
    int64_t begin = 0;
    for (size_t k = 0; k < parts.size(); ++k) {
      cumulative += parts[k];
      const int64_t end = k + 1 == parts.size()
                              ? n
                              : std::clamp<int64_t>(std::llround(cumulative * static_cast<double>(n)), begin, n);
      sizes.push_back(end - begin);
      begin = end;
    }
  } else if (whole && total == static_cast<double>(n)) {
    for (double p : parts) sizes.push_back(static_cast<int64_t>(p));
  } else {
    throw Error("split: parts " + describe(parts) + " sum to " + std::to_string(total) +
                "; expected fractions summing to 1 or whole counts summing to the dataset size " +
                std::to_string(n));
  }
  return sizes;
}

std::vector<SubsetPtr> random_split(DatasetPtr dataset, const std::vector<double>& parts, uint64_t seed) {
  check_dataset(dataset, "random_split");
  Generator gen(seed);
  const std::vector<int64_t> order = detail::random_permutation(dataset->size(), gen);
  return cut(dataset, order, split_sizes(dataset->size(), parts));
}

std::vector<SubsetPtr> chronological_split(DatasetPtr dataset, const std::vector<double>& parts) {
  check_dataset(dataset, "chronological_split");
  std::vector<int64_t> order(static_cast<size_t>(dataset->size()));
  std::iota(order.begin(), order.end(), int64_t{0});
  return cut(dataset, order, split_sizes(dataset->size(), parts));
}

TrainValidationSplit train_validation_split(DatasetPtr dataset, double validation_fraction, uint64_t seed,
                                            bool shuffle) {
  if (!(validation_fraction >= 0.0 && validation_fraction < 1.0))
    throw Error("train_validation_split: validation_fraction must be in [0, 1), got " +
                std::to_string(validation_fraction));
  const std::vector<double> parts{1.0 - validation_fraction, validation_fraction};
  const std::vector<SubsetPtr> split =
      shuffle ? random_split(std::move(dataset), parts, seed) : chronological_split(std::move(dataset), parts);
  return {split[0], split[1]};
}

}  // namespace myelin::data
