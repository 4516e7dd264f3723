// Metrics against hand-computed values; MetricTracker exactness over uneven batches.
#include <gtest/gtest.h>

#include <cmath>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"

namespace myelin::testing {
namespace {

using myelin::testing::expect_error;

using namespace myelin::metrics;

// Four rows, three classes. Row 2 ties classes 0 and 1 (the lower index ranks first).
// Target ranks: 0, 1, 1, 2.
Tensor scores() {
  return Tensor::from_vector({0.1f, 0.7f, 0.2f,  //
                              2.0f, 1.0f, 3.0f,  //
                              0.5f, 0.5f, 0.0f,  //
                              -1.f, -3.f, -2.f},
                             {4, 3});
}
Tensor targets() { return Tensor::from_vector({1, 0, 1, 1}, {4}); }

TEST(Metrics, AccuracyAndTopK) {
  EXPECT_DOUBLE_EQ(accuracy(scores(), targets()), 0.25);
  EXPECT_DOUBLE_EQ(top_k_accuracy(scores(), targets(), 1), 0.25);
  EXPECT_DOUBLE_EQ(top_k_accuracy(scores(), targets(), 2), 0.75);
  EXPECT_DOUBLE_EQ(top_k_accuracy(scores(), targets(), 3), 1.0);
  const Sum s = top_k_correct(scores(), targets(), 2);
  EXPECT_EQ(s.total, 3);
  EXPECT_EQ(s.count, 4);
}

TEST(Metrics, AccuracyAgreesWithArgmax) {
  Generator gen(3);
  const Tensor s = Tensor::normal({50, 7}, 0.f, 1.f, &gen);
  Tensor t = Tensor::uniform({50}, 0.f, 7.f, &gen);
  for (int64_t i = 0; i < 50; ++i) t.data()[i] = std::floor(t.data()[i]);
  const std::vector<float> predicted = argmax(s, 1).to_vector(), truth = t.to_vector();
  int correct = 0;
  for (size_t i = 0; i < truth.size(); ++i) correct += predicted[i] == truth[i];
  EXPECT_DOUBLE_EQ(accuracy(s, t), correct / 50.0);
}

TEST(Metrics, TakesViewsAndTensorsThatRequireGrad) {
  const Tensor leaf = scores().transpose(0, 1).contiguous().requires_grad_();  // (3, 4)
  const Tensor view = leaf.transpose(0, 1);                                     // (4, 3), strided
  EXPECT_FALSE(view.is_contiguous());
  EXPECT_DOUBLE_EQ(top_k_accuracy(view, targets(), 2), 0.75);
}

TEST(Metrics, RowsWithNaNNeverCount) {
  const Tensor s = Tensor::from_vector({NAN, 0.f,   //
                                        1.f, NAN,   //
                                        1.f, 0.f},  //
                                       {3, 2});
  EXPECT_DOUBLE_EQ(top_k_accuracy(s, Tensor::from_vector({0, 0, 0}, {3}), 2), 1.0 / 3);
}

TEST(Metrics, ConfusionMatrixAndPerClassAccuracy) {
  const Tensor predicted = Tensor::from_vector({0, 2, 1, 1, 0}, {5});
  const Tensor truth = Tensor::from_vector({0, 1, 1, 2, 0}, {5});
  const Tensor m = confusion_matrix(predicted, truth, 4);
  EXPECT_EQ(m.shape(), (Shape{4, 4}));
  EXPECT_EQ(m.to_vector(), (std::vector<float>{2, 0, 0, 0,  //
                                               0, 1, 1, 0,  //
                                               0, 1, 0, 0,  //
                                               0, 0, 0, 0}));
  const std::vector<float> per_class = per_class_accuracy(m).to_vector();
  ASSERT_EQ(per_class.size(), 4u);
  EXPECT_EQ(per_class[0], 1.f);
  EXPECT_EQ(per_class[1], 0.5f);
  EXPECT_EQ(per_class[2], 0.f);
  EXPECT_TRUE(std::isnan(per_class[3])) << "a class without samples";
}

TEST(Metrics, RegressionErrors) {
  const Tensor p = Tensor::from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  const Tensor t = Tensor::from_vector({1, 0, 3, 1, 5, 10}, {2, 3});  // differences 0 2 0 3 0 -4
  EXPECT_DOUBLE_EQ(mae(p, t), 9.0 / 6);
  EXPECT_DOUBLE_EQ(rmse(p, t), std::sqrt(29.0 / 6));
  EXPECT_DOUBLE_EQ(mae(Tensor::scalar(2.f), Tensor::scalar(-1.f)), 3.0);
  EXPECT_DOUBLE_EQ(rmse(p.reshape({3, 1, 2}), t.reshape({3, 1, 2})), std::sqrt(29.0 / 6));
  EXPECT_TRUE(std::isnan(mae(Tensor::zeros({0}), Tensor::zeros({0}))));
}

TEST(Metrics, ShapeAndValueErrorsNameTheMetric) {
  expect_error<ShapeError>([] { accuracy(scores(), Tensor::zeros({3})); },
                           "accuracy: scores must be (N, C) and targets (N), got scores (4, 3) and targets (3,)");
  expect_error<ShapeError>([] { accuracy(Tensor::zeros({4}), Tensor::zeros({4})); }, "accuracy: scores must be (N, C)");
  expect_error([] { accuracy(scores(), Tensor::from_vector({0, 3, 0, 0}, {4})); },
               "accuracy: target 3 at index 1 is not a class index in [0, 3)");
  expect_error([] { accuracy(scores(), Tensor::from_vector({0, 0, 0.5f, 0}, {4})); }, "target 0.5 at index 2");
  expect_error([] { accuracy(scores(), Tensor::from_vector({0, 0, 0, -1}, {4})); }, "target -1 at index 3");
  expect_error([] { top_k_accuracy(scores(), targets(), 4); }, "top_k_accuracy: k must be in [1, 3]");
  expect_error([] { top_k_accuracy(scores(), targets(), 0); }, "k must be in [1, 3]");
  expect_error<ShapeError>([] { mae(Tensor::zeros({2, 3}), Tensor::zeros({3, 2})); },
                           "mae: predictions and targets must have the same shape, got (2, 3) and (3, 2)");
  expect_error<ShapeError>([] { rmse(Tensor::zeros({2, 3}), Tensor::zeros({3})); }, "rmse:");
  expect_error([] { confusion_matrix(Tensor::from_vector({4}, {1}), Tensor::from_vector({0}, {1}), 4); },
               "confusion_matrix: predicted class 4 at index 0 is not a class index in [0, 4)");
  expect_error<ShapeError>([] { confusion_matrix(Tensor::zeros({2}), Tensor::zeros({3}), 2); },
                           "predicted and targets must both be (N)");
  expect_error([] { confusion_matrix(Tensor::zeros({2}), Tensor::zeros({2}), 0); }, "num_classes must be at least 1");
  expect_error<ShapeError>([] { per_class_accuracy(Tensor::zeros({2, 3})); }, "must be (C, C), got (2, 3)");
}

TEST(MetricTracker, IsExactOverUnevenBatches) {
  MetricTracker tracker({"accuracy", "top2_accuracy"});
  const Tensor s = scores(), t = targets();
  tracker.update(s.slice(0, 0, 3), t.slice(0, 0, 3));  // 1 of 3 correct, 3 of 3 in the top 2
  tracker.update(s.slice(0, 3, 4), t.slice(0, 3, 4));  // 0 of 1, 0 of 1
  tracker.add_mean("loss", 2.0, 3);
  tracker.add_mean("loss", 6.0, 1);
  const auto values = tracker.values();
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0].first, "accuracy");
  EXPECT_DOUBLE_EQ(values[0].second, 0.25);  // a mean of batch means would give 1/6
  EXPECT_EQ(values[1].first, "top2_accuracy");
  EXPECT_DOUBLE_EQ(values[1].second, 0.75);
  EXPECT_EQ(values[2].first, "loss");
  EXPECT_DOUBLE_EQ(values[2].second, 3.0);  // (2 * 3 + 6 * 1) / 4
  EXPECT_DOUBLE_EQ(tracker.value("loss"), 3.0);

  tracker.reset();
  EXPECT_TRUE(std::isnan(tracker.value("accuracy")));
  tracker.update(s, t);
  EXPECT_DOUBLE_EQ(tracker.value("accuracy"), 0.25);
  EXPECT_TRUE(std::isnan(tracker.value("loss")));
}

TEST(MetricTracker, RegressionOverBatchesEqualsWholeData) {
  const Tensor p = Tensor::from_vector({1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 3});
  const Tensor t = Tensor::from_vector({0, 2, 5, 4, 4, 6, 9, 8, 1}, {3, 3});
  MetricTracker tracker({"mae", "rmse"});
  tracker.update(p.slice(0, 0, 2), t.slice(0, 0, 2));
  tracker.update(p.slice(0, 2, 3), t.slice(0, 2, 3));
  EXPECT_DOUBLE_EQ(tracker.value("mae"), mae(p, t));
  EXPECT_DOUBLE_EQ(tracker.value("rmse"), rmse(p, t));
  EXPECT_DOUBLE_EQ(tracker.value("mae"), 14.0 / 9);
  EXPECT_DOUBLE_EQ(tracker.value("rmse"), std::sqrt(74.0 / 9));
}

TEST(MetricTracker, ErrorsAndAtomicUpdates) {
  expect_error([] { MetricTracker({"acc"}); }, "unknown metric 'acc' (known: accuracy, top<k>_accuracy");
  expect_error([] { MetricTracker({"top0_accuracy"}); }, "unknown metric 'top0_accuracy'");
  expect_error([] { MetricTracker({"topx_accuracy"}); }, "unknown metric");
  expect_error([] { MetricTracker({"mae", "mae"}); }, "metric 'mae' is named twice");

  MetricTracker tracker({"accuracy", "mae"});
  expect_error([&] { tracker.add_mean("accuracy", 1.0, 1); }, "'accuracy' is a metric that update() computes");
  expect_error([&] { tracker.add_mean("loss", 1.0, -1); }, "count of 'loss' must be >= 0");
  expect_error([&] { tracker.value("loss"); }, "'loss' is not tracked (tracked: accuracy, mae)");
  // mae rejects (4, 3) against (4); the accuracy of that batch must not be counted either.
  expect_error<ShapeError>([&] { tracker.update(scores(), targets()); }, "mae: predictions and targets");
  EXPECT_TRUE(std::isnan(tracker.value("accuracy")));

  MetricTracker top5({"top5_accuracy"});
  expect_error([&] { top5.update(scores(), targets()); }, "top5_accuracy: k must be in [1, 3]");
}

}  // namespace
}  // namespace myelin::testing
