// Datasets: TensorDataset's row gather against the default stacking, Subset, and bad input.
#include <gtest/gtest.h>

#include <vector>

#include "myelin/data/dataset.hpp"
#include "myelin/error.hpp"

namespace myelin::testing {
namespace {

using data::Batch;
using data::Example;
using data::Subset;
using data::TensorDataset;

// inputs (n, 2, 3) with element values 100*i + k; targets (n) = i.
std::shared_ptr<TensorDataset> numbered(int64_t n) {
  Tensor x = Tensor::empty({n, 2, 3});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t k = 0; k < 6; ++k) x.data()[i * 6 + k] = static_cast<float>(100 * i + k);
  return std::make_shared<TensorDataset>(x, Tensor::arange(n));
}

TEST(TensorDataset, GetReturnsOneRow) {
  const auto ds = numbered(5);
  EXPECT_EQ(ds->size(), 5);
  const Example ex = ds->get(3);
  EXPECT_EQ(ex.input.shape(), (Shape{2, 3}));
  EXPECT_EQ(ex.input.at({1, 2}), 305.f);
  EXPECT_EQ(ex.target.shape(), Shape{});
  EXPECT_EQ(ex.target.item(), 3.f);
  EXPECT_THROW(ds->get(5), Error);
  EXPECT_THROW(ds->get(-1), Error);
}

TEST(TensorDataset, GatheredBatchEqualsStackedExamples) {
  const auto ds = numbered(6);
  const std::vector<int64_t> idx{4, 0, 4, 2};
  const Batch fast = ds->get_batch(idx);
  const Batch stacked = ds->data::Dataset::get_batch(idx);  // the default, via get()
  EXPECT_EQ(fast.inputs.shape(), (Shape{4, 2, 3}));
  EXPECT_EQ(fast.targets.shape(), (Shape{4}));
  EXPECT_EQ(fast.inputs.shape(), stacked.inputs.shape());
  EXPECT_EQ(fast.targets.shape(), stacked.targets.shape());
  EXPECT_EQ(fast.inputs.to_vector(), stacked.inputs.to_vector());
  EXPECT_EQ(fast.targets.to_vector(), (std::vector<float>{4, 0, 4, 2}));
  EXPECT_FALSE(fast.inputs.shares_storage(ds->inputs()));
  EXPECT_THROW(ds->get_batch(std::vector<int64_t>{0, 6}), Error);
  EXPECT_THROW(ds->get_batch(std::vector<int64_t>{}), Error);
}

TEST(TensorDataset, RejectsMismatchedTensors) {
  EXPECT_THROW(TensorDataset(Tensor::zeros({4, 2}), Tensor::zeros({3})), ShapeError);
  EXPECT_THROW(TensorDataset(Tensor::scalar(1.f), Tensor::zeros({1})), ShapeError);
}

TEST(TensorDataset, NonContiguousInputsAreCopiedInOrder) {
  // (3, 2) transposed from (2, 3): rows of the view are columns of the base.
  const Tensor base = Tensor::from_vector({0, 1, 2, 3, 4, 5}, {2, 3});
  TensorDataset ds(base.transpose(0, 1), Tensor::arange(3));
  EXPECT_EQ(ds.get_batch(std::vector<int64_t>{2, 0}).inputs.to_vector(), (std::vector<float>{2, 5, 0, 3}));
}

// A dataset that computes its examples and throws for one index.
class Generated : public data::Dataset {
 public:
  int64_t size() const override { return 10; }
  Example get(int64_t i) const override {
    if (i == 7) throw Error("Generated: example 7 is broken");
    return {Tensor::full({3}, static_cast<float>(i)), Tensor::scalar(static_cast<float>(-i))};
  }
};

TEST(Dataset, DefaultGetBatchStacksExamples) {
  Generated ds;
  const Batch b = ds.get_batch(std::vector<int64_t>{1, 3});
  EXPECT_EQ(b.inputs.shape(), (Shape{2, 3}));
  EXPECT_EQ(b.inputs.to_vector(), (std::vector<float>{1, 1, 1, 3, 3, 3}));
  EXPECT_EQ(b.targets.to_vector(), (std::vector<float>{-1, -3}));
  EXPECT_THROW(ds.get_batch(std::vector<int64_t>{6, 7}), Error);
}

TEST(Subset, MapsIndicesThroughTheBase) {
  const auto ds = numbered(6);
  const Subset sub(ds, {5, 1, 3});
  EXPECT_EQ(sub.size(), 3);
  EXPECT_EQ(sub.get(0).target.item(), 5.f);
  EXPECT_EQ(sub.get_batch(std::vector<int64_t>{2, 0}).targets.to_vector(), (std::vector<float>{3, 5}));
  EXPECT_THROW(sub.get(3), Error);
  EXPECT_THROW(Subset(ds, {0, 6}), Error);
}

}  // namespace
}  // namespace myelin::testing
