// Losses reject what they cannot mean: empty batches, bad class indices, mismatched shapes and
// parameters out of range, each with a message naming the op and the culprit.
#include <gtest/gtest.h>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"

namespace myelin {
namespace {

using myelin::testing::expect_error;

TEST(LossChecks, EmptyBatchIsAnError) {
  const Tensor empty_scores = Tensor::zeros({0, 10}), no_targets = Tensor::zeros({0});
  for (Reduction r : {Reduction::None, Reduction::Mean, Reduction::Sum}) {
    CrossEntropyOptions o;
    o.reduction = r;
    expect_error<Error>([&] { cross_entropy(empty_scores, no_targets, o); },
                        {"cross_entropy", "empty batch", "(0, 10)"});
    expect_error<Error>([&] { nll_loss(empty_scores, no_targets, Tensor(), r); }, {"nll_loss", "empty batch"});
    const Tensor e = Tensor::zeros({0, 3});
    expect_error<Error>([&] { mse_loss(e, e, r); }, {"mse_loss", "empty", "(0, 3)"});
    expect_error<Error>([&] { l1_loss(e, e, r); }, {"l1_loss", "empty"});
    expect_error<Error>([&] { huber_loss(e, e, 1.f, r); }, {"huber_loss", "empty"});
    expect_error<Error>([&] { binary_cross_entropy_with_logits(e, e, Tensor(), r); },
                        {"binary_cross_entropy_with_logits", "empty"});
  }
}

TEST(LossChecks, ClassIndicesMustBeInRange) {
  const Tensor logits = Tensor::zeros({3, 5});
  expect_error<Error>([&] { cross_entropy(logits, Tensor::from_vector({0, 5, 1}, {3})); },
                      {"cross_entropy", "target 5", "position 1", "C = 5"});
  expect_error<Error>([&] { nll_loss(logits, Tensor::from_vector({0, 1, -1}, {3})); },
                      {"nll_loss", "target -1", "position 2", "C = 5"});
  expect_error<Error>([&] { cross_entropy(logits, Tensor::from_vector({0, 1.5f, 1}, {3})); },
                      {"cross_entropy", "target 1.5", "not a class index"});
}

TEST(LossChecks, ClassificationShapes) {
  const Tensor logits = Tensor::zeros({3, 5});
  expect_error<ShapeError>([&] { cross_entropy(logits, Tensor::zeros({4})); },
                           {"cross_entropy", "(4,)", "(3, 5)", "expected (3,)"});
  expect_error<ShapeError>([&] { cross_entropy(Tensor::zeros({5}), Tensor::zeros({1})); },
                           {"cross_entropy", "(N, C)", "(5,)"});
  CrossEntropyOptions o;
  o.class_weights = Tensor::ones({4});
  expect_error<ShapeError>([&] { cross_entropy(logits, Tensor::zeros({3}), o); },
                           {"cross_entropy", "class_weights", "(4,)", "expected (5,)"});
  expect_error<ShapeError>([&] { nll_loss(logits, Tensor::zeros({3}), Tensor::ones({6})); },
                           {"nll_loss", "class_weights", "(6,)"});
}

TEST(LossChecks, ParametersOutOfRange) {
  const Tensor logits = Tensor::zeros({2, 3}), target = Tensor::zeros({2});
  CrossEntropyOptions o;
  o.label_smoothing = 1.5f;
  expect_error<Error>([&] { cross_entropy(logits, target, o); }, {"cross_entropy", "label_smoothing"});
  // All targets in a class of weight 0: the weighted mean would divide by zero.
  CrossEntropyOptions zero;
  zero.class_weights = Tensor::from_vector({0, 1, 1}, {3});
  expect_error<Error>([&] { cross_entropy(logits, target, zero); }, {"cross_entropy", "sum to 0"});
  expect_error<Error>([&] { huber_loss(logits, logits, 0.f); }, {"huber_loss", "delta"});
}

TEST(LossChecks, ElementwiseLossesNeedEqualShapes) {
  const Tensor column = Tensor::zeros({4, 1}), row = Tensor::zeros({4});
  expect_error<ShapeError>([&] { mse_loss(column, row); }, {"mse_loss", "(4, 1)", "(4,)"});
  expect_error<ShapeError>([&] { l1_loss(column, row); }, {"l1_loss", "(4, 1)", "(4,)"});
  expect_error<ShapeError>([&] { binary_cross_entropy_with_logits(Tensor::zeros({2, 3}), Tensor::zeros({2, 3}), Tensor::ones({2})); },
                           {"binary_cross_entropy_with_logits", "pos_weight"});
}

TEST(LossChecks, OutputShapes) {
  const Tensor logits = Tensor::zeros({3, 5}), target = Tensor::from_vector({0, 1, 2}, {3});
  CrossEntropyOptions o;
  EXPECT_EQ(cross_entropy(logits, target, o).shape(), Shape{});
  o.reduction = Reduction::None;
  EXPECT_EQ(cross_entropy(logits, target, o).shape(), Shape{3});
  EXPECT_EQ(mse_loss(logits, logits, Reduction::None).shape(), (Shape{3, 5}));
  EXPECT_EQ(mse_loss(logits, logits, Reduction::Sum).shape(), Shape{});
}

}  // namespace
}  // namespace myelin
