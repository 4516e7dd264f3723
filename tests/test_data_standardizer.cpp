// Standardizer: statistics from the training data only, constant features, saved state.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "myelin/data/standardizer.hpp"
#include "myelin/error.hpp"

namespace myelin::testing {
namespace {

using data::Standardizer;

// Train (4, 3): column 0 has mean 2.5 and population std sqrt(1.25); column 1 is constant;
// column 2 has mean 0 and std 2.
Tensor train_data() { return Tensor::from_vector({1, 7, -2, 2, 7, 2, 3, 7, -2, 4, 7, 2}, {4, 3}); }

TEST(Standardizer, FitsOnTrainingDataAndAppliesItsStatistics) {
  Standardizer s;
  s.fit(train_data());
  EXPECT_EQ(s.mean().to_vector(), (std::vector<float>{2.5f, 7.f, 0.f}));
  EXPECT_FLOAT_EQ(s.std().at({0}), std::sqrt(1.25f));
  EXPECT_EQ(s.std().at({1}), 1.f);  // constant feature: std replaced by 1
  EXPECT_EQ(s.std().at({2}), 2.f);

  // Test data is scaled with the training statistics, not its own.
  const Tensor test = Tensor::from_vector({5, 7, 4, 6, 8, 6}, {2, 3});
  const Tensor z = s.transform(test);
  EXPECT_EQ(z.shape(), (Shape{2, 3}));
  EXPECT_FLOAT_EQ(z.at({0, 0}), 2.5f / std::sqrt(1.25f));
  EXPECT_FLOAT_EQ(z.at({1, 0}), 3.5f / std::sqrt(1.25f));
  EXPECT_EQ(z.at({0, 1}), 0.f);
  EXPECT_EQ(z.at({1, 1}), 1.f);
  EXPECT_EQ(z.at({1, 2}), 3.f);
  EXPECT_EQ(s.mean().to_vector(), (std::vector<float>{2.5f, 7.f, 0.f}));  // unchanged by transform
}

TEST(Standardizer, TrainingDataBecomesZeroMeanUnitStd) {
  Standardizer s;
  const Tensor z = s.fit_transform(train_data());
  for (int64_t j : {0, 2}) {
    double sum = 0, sq = 0;
    for (int64_t i = 0; i < 4; ++i) sum += z.at({i, j});
    for (int64_t i = 0; i < 4; ++i) sq += z.at({i, j}) * z.at({i, j});
    EXPECT_NEAR(sum / 4, 0.0, 1e-6);
    EXPECT_NEAR(sq / 4, 1.0, 1e-6);
  }
  for (int64_t i = 0; i < 4; ++i) EXPECT_EQ(z.at({i, 1}), 0.f);
}

TEST(Standardizer, StateRoundTrip) {
  Standardizer fitted;
  fitted.fit(train_data());
  std::map<std::string, Tensor> state;
  for (const auto& [name, t] : fitted.state_dict()) state[name] = t;
  ASSERT_EQ(state.size(), 2u);
  Standardizer restored;
  restored.load_state_dict(state);
  const Tensor test = Tensor::from_vector({5, 7, 4}, {1, 3});
  EXPECT_EQ(restored.transform(test).to_vector(), fitted.transform(test).to_vector());
  EXPECT_THROW(restored.load_state_dict({{"mean", state["mean"]}}), Error);
}

TEST(Standardizer, Errors) {
  Standardizer s;
  EXPECT_THROW(s.transform(train_data()), Error);
  EXPECT_THROW(s.state_dict(), Error);
  EXPECT_THROW(s.fit(Tensor::zeros({0, 3})), ShapeError);
  s.fit(train_data());
  EXPECT_THROW(s.transform(Tensor::zeros({2, 4})), ShapeError);
}

}  // namespace
}  // namespace myelin::testing
