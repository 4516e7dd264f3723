// concat, stack, split and chunk: values, views, torch.chunk's piece sizes, and errors.
#include <gtest/gtest.h>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"

namespace myelin {
namespace {

using myelin::testing::expect_error;

std::vector<int64_t> sizes_along(const std::vector<Tensor>& pieces, int64_t axis) {
  std::vector<int64_t> sizes;
  for (const Tensor& t : pieces) sizes.push_back(t.size(axis));
  return sizes;
}

TEST(Concat, JoinsAlongAnAxis) {
  const Tensor a = Tensor::from_vector({1, 2, 3, 4}, {2, 2});
  const Tensor b = Tensor::from_vector({5, 6}, {2, 1});
  const Tensor y = concat({a, b}, -1);
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{1, 2, 5, 3, 4, 6}));
  EXPECT_EQ(concat({a, a.transpose(0, 1)}, 0).to_vector(),
            (std::vector<float>{1, 2, 3, 4, 1, 3, 2, 4}));
}

TEST(Concat, OfOneTensorIsACopyThatPassesTheGradient) {
  Tensor x = Tensor::from_vector({1, 2, 3}, {3}).requires_grad_();
  const Tensor y = concat({x});
  EXPECT_EQ(y.to_vector(), x.to_vector());
  EXPECT_FALSE(y.shares_storage(x));
  y.backward(Tensor::from_vector({4, 5, 6}, {3}));
  EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{4, 5, 6}));
}

TEST(Concat, RejectsBadInputs) {
  const Tensor a = Tensor::zeros({2, 3}), b = Tensor::zeros({3, 3});
  expect_error<ShapeError>([&] { concat({a, b}, 1); }, {"concat", "(3, 3)", "(2, 3)", "axis 1"});
  expect_error<ShapeError>([&] { concat({a, Tensor::zeros({2, 3, 1})}, 0); }, {"concat", "(2, 3, 1)"});
  expect_error<ShapeError>([&] { concat({a}, 2); }, {"concat", "axis 2"});
  expect_error<ShapeError>([] { concat({Tensor::scalar(1.f)}); }, {"concat", "scalars"});
  expect_error<Error>([] { concat({}); }, {"concat", "at least one"});
}

TEST(Stack, AddsANewAxis) {
  const Tensor a = Tensor::from_vector({1, 2, 3}, {3});
  const Tensor b = Tensor::from_vector({4, 5, 6}, {3});
  EXPECT_EQ(stack({a, b}, 0).shape(), (Shape{2, 3}));
  const Tensor y = stack({a, b}, -1);
  EXPECT_EQ(y.shape(), (Shape{3, 2}));
  EXPECT_EQ(y.to_vector(), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  expect_error<ShapeError>([&] { stack({a, Tensor::zeros({4})}); }, {"stack", "(4,)", "(3,)"});
  expect_error<ShapeError>([&] { stack({a, b}, 2); }, {"stack", "axis 2"});
}

TEST(Split, ReturnsViewsOfTheGivenSizes) {
  const Tensor x = Tensor::arange(12).reshape({3, 4});
  const std::vector<Tensor> p = split(x, {1, 3}, 1);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].shape(), (Shape{3, 1}));
  EXPECT_EQ(p[1].shape(), (Shape{3, 3}));
  EXPECT_TRUE(p[1].shares_storage(x));
  EXPECT_EQ(p[0].to_vector(), (std::vector<float>{0, 4, 8}));
  EXPECT_EQ(p[1].to_vector(), (std::vector<float>{1, 2, 3, 5, 6, 7, 9, 10, 11}));
}

TEST(Split, SizesMustAddUpToTheAxis) {
  const Tensor x = Tensor::zeros({4, 6});
  expect_error<ShapeError>([&] { split(x, {2, 3}, 1); }, {"split", "[2, 3]", "add up to 5", "(4, 6)", "size 6"});
  expect_error<ShapeError>([&] { split(x, {5, 2}, 0); }, {"split", "add up to 7", "size 4"});
  expect_error<ShapeError>([&] { split(x, {7, -1}, 1); }, {"split", "negative"});
}

TEST(Chunk, FollowsTorchChunkSizes) {
  EXPECT_EQ(sizes_along(chunk(Tensor::zeros({6}), 4), 0), (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(sizes_along(chunk(Tensor::zeros({5}), 2), 0), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(sizes_along(chunk(Tensor::zeros({2, 7}), 3, -1), 1), (std::vector<int64_t>{3, 3, 1}));
  EXPECT_EQ(sizes_along(chunk(Tensor::zeros({0}), 3), 0), (std::vector<int64_t>{0, 0, 0}));
  expect_error<Error>([] { chunk(Tensor::zeros({4}), 0); }, {"chunk", "positive"});
}

}  // namespace
}  // namespace myelin
