// Splits: sizes from fractions or counts, random and chronological subsets.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "myelin/data/split.hpp"
#include "myelin/error.hpp"

namespace myelin::testing {
namespace {

using data::split_sizes;

std::shared_ptr<data::TensorDataset> numbered(int64_t n) {
  return std::make_shared<data::TensorDataset>(Tensor::arange(n).reshape({n, 1}), Tensor::arange(n));
}

TEST(Split, SizesFromFractionsOrCounts) {
  EXPECT_EQ(split_sizes(10, {0.8, 0.2}), (std::vector<int64_t>{8, 2}));
  EXPECT_EQ(split_sizes(10, {1.0 / 3, 1.0 / 3, 1.0 / 3}), (std::vector<int64_t>{3, 4, 3}));
  EXPECT_EQ(split_sizes(7, {0.5, 0.5}), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(split_sizes(10, {3, 7}), (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(split_sizes(10, {1.0, 0.0}), (std::vector<int64_t>{10, 0}));
  EXPECT_THROW(split_sizes(10, {3, 6}), Error);
  EXPECT_THROW(split_sizes(10, {0.5, 0.6}), Error);
  EXPECT_THROW(split_sizes(10, {-0.5, 1.5}), Error);
  EXPECT_THROW(split_sizes(10, {}), Error);
}

TEST(Split, RandomSplitIsADisjointSeededPartition) {
  const auto ds = numbered(20);
  const auto parts = data::random_split(ds, {0.6, 0.25, 0.15}, 9);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0]->size(), 12);
  EXPECT_EQ(parts[1]->size(), 5);
  EXPECT_EQ(parts[2]->size(), 3);
  std::vector<int64_t> all;
  for (const auto& p : parts) all.insert(all.end(), p->indices().begin(), p->indices().end());
  std::vector<int64_t> sorted = all;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> expected(20);
  std::iota(expected.begin(), expected.end(), int64_t{0});
  EXPECT_EQ(sorted, expected);
  EXPECT_NE(all, expected);  // shuffled

  EXPECT_EQ(data::random_split(ds, {12, 5, 3}, 9)[1]->indices(), parts[1]->indices());  // same seed
  EXPECT_NE(data::random_split(ds, {12, 5, 3}, 10)[0]->indices(), parts[0]->indices());
}

TEST(Split, ChronologicalSplitKeepsOrder) {
  const auto parts = data::chronological_split(numbered(10), {0.7, 0.3});
  EXPECT_EQ(parts[0]->indices(), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(parts[1]->indices(), (std::vector<int64_t>{7, 8, 9}));
}

TEST(Split, TrainValidation) {
  const auto ds = numbered(10);
  const auto last = data::train_validation_split(ds, 0.2, 0, /*shuffle=*/false);
  EXPECT_EQ(last.train->size(), 8);
  EXPECT_EQ(last.validation->indices(), (std::vector<int64_t>{8, 9}));
  const auto random = data::train_validation_split(ds, 0.2, 4);
  EXPECT_EQ(random.validation->size(), 2);
  EXPECT_EQ(random.validation->get_batch(std::vector<int64_t>{0, 1}).targets.numel(), 2);
  EXPECT_THROW(data::train_validation_split(ds, 1.0, 0), Error);
}

}  // namespace
}  // namespace myelin::testing
