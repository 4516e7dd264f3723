// Accuracy of yes/no logits (bce_with_logits outputs), and which metrics measure which outputs.
#include <gtest/gtest.h>

#include <cmath>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"

namespace myelin::testing {
namespace {

using namespace myelin::metrics;

TEST(BinaryMetrics, OneOutputIsRightWhenTheLogitIsOnTheTargetsSide) {
  // Logits (5, 1): yes, no, yes at exactly 0 (no), NaN (never right), no.
  const Tensor logits = Tensor::from_vector({2.f, -1.f, 0.f, std::nanf(""), -0.5f}, {5, 1});
  const Tensor targets = Tensor::from_vector({1, 0, 1, 0, 1}, {5, 1});
  const Sum s = binary_correct(logits, targets);
  EXPECT_EQ(s.total, 2);
  EXPECT_EQ(s.count, 5);
  EXPECT_DOUBLE_EQ(accuracy(logits, targets), 0.4);
}

TEST(BinaryMetrics, MultiLabelAccuracyIsElementwise) {
  // (2, 3): row 0 right, right, wrong; row 1 right, wrong, right.
  const Tensor logits = Tensor::from_vector({3.f, -2.f, 1.f, -1.f, 0.5f, 4.f}, {2, 3});
  const Tensor targets = Tensor::from_vector({1, 0, 0, 0, 0, 1}, {2, 3});
  EXPECT_DOUBLE_EQ(accuracy(logits, targets), 4.0 / 6.0);
}

TEST(BinaryMetrics, TrackerCountsLabelsOverUnevenBatches) {
  MetricTracker tracker({"accuracy"});
  tracker.update(Tensor::from_vector({1.f, 1.f, -1.f}, {3, 1}), Tensor::from_vector({1, 0, 0}, {3, 1}));
  tracker.update(Tensor::from_vector({5.f}, {1, 1}), Tensor::from_vector({1}, {1, 1}));
  EXPECT_DOUBLE_EQ(tracker.value("accuracy"), 0.75);
  // Class scores against class indices still take the arg max.
  MetricTracker classes({"accuracy"});
  classes.update(Tensor::from_vector({0.1f, 0.9f, 0.8f, 0.2f}, {2, 2}), Tensor::from_vector({1, 1}, {2}));
  EXPECT_DOUBLE_EQ(classes.value("accuracy"), 0.5);
}

TEST(BinaryMetrics, ShapesThatAreNeitherKindAreRejected) {
  expect_error<ShapeError>([] { binary_correct(Tensor::zeros({4, 1}), Tensor::zeros({4, 2})); },
                           {"binary_correct", "same shape"});
  expect_error<ShapeError>([] { accuracy(Tensor::zeros({4, 1, 2}), Tensor::zeros({4, 2})); }, "accuracy");
  // One dimension is not (N, K): no yes/no reading, as before.
  expect_error<ShapeError>([] { accuracy(Tensor::zeros({4}), Tensor::zeros({4})); }, "accuracy: scores must be (N, C)");
}

TEST(BinaryMetrics, EachMetricMeasuresItsOutputs) {
  EXPECT_TRUE(MetricTracker::measures("accuracy", Outputs::ClassScores));
  EXPECT_TRUE(MetricTracker::measures("accuracy", Outputs::BinaryLogits));
  EXPECT_FALSE(MetricTracker::measures("accuracy", Outputs::Values));
  EXPECT_TRUE(MetricTracker::measures("top3_accuracy", Outputs::ClassScores));
  EXPECT_FALSE(MetricTracker::measures("top3_accuracy", Outputs::BinaryLogits));
  for (const char* error : {"mae", "rmse"}) {
    EXPECT_TRUE(MetricTracker::measures(error, Outputs::Values));
    EXPECT_FALSE(MetricTracker::measures(error, Outputs::ClassScores));
    EXPECT_FALSE(MetricTracker::measures(error, Outputs::BinaryLogits));
  }
  expect_error([] { MetricTracker::measures("acuracy", Outputs::ClassScores); }, "unknown metric 'acuracy'");
}

}  // namespace
}  // namespace myelin::testing
