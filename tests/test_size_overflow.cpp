// Sizes computed from settings near 2^63 (issue 16): each is a clear Error or the obvious
// answer, never a wrapped-around number (signed overflow, which UBSan reports).
#include <gtest/gtest.h>

#include <cstdint>

#include "expect_error.hpp"
#include "myelin/data/loader.hpp"
#include "myelin/error.hpp"
#include "myelin/nn/linear.hpp"
#include "myelin/nn/pool.hpp"
#include "myelin/ops.hpp"
#include "myelin/ops_conv.hpp"
#include "myelin/optim/sgd.hpp"
#include "myelin/train/trainer.hpp"

namespace myelin {
namespace {

using testing::expect_error;

constexpr int64_t kHuge = INT64_MAX;

TEST(SizeOverflow, ADilationNearTwoToThe63IsAnErrorNotANegativeKernel) {
  const Tensor x = Tensor::zeros({1, 1, 8, 8}), w = Tensor::zeros({1, 1, 2, 2});
  // was: "smaller than the dilated kernel (-9223372036854775808, 2)"
  expect_error([&] { conv2d(x, w, Tensor(), {.dilation = {kHuge, 1}}); },
               {"conv2d: the dilated kernel's height overflows 64-bit integers", "9223372036854775807"});
  expect_error([&] { conv2d(x, w, Tensor(), {.padding = {kHuge / 2 + 1, 0}}); }, "the padded input's height overflows");
  expect_error([&] { conv_transpose2d(x, w, Tensor(), {.stride = {kHuge, 1}}); }, "conv_transpose2d: the output size overflows");
}

TEST(SizeOverflow, APoolPaddingNearTwoToThe63IsRefused) {
  // was: 2 * padding wrapped to -2 and passed the check
  expect_error([&] { nn::MaxPool2d({3, 3}, {1, 1}, {kHuge, 0}); }, "between 0 and half the kernel");
  expect_error([&] { max_pool2d(Tensor::zeros({1, 1, 4, 4}), {.kernel = {3, 3}, .padding = {kHuge, 0}}); },
               "between 0 and half the kernel");
}

TEST(SizeOverflow, AnUpsampleWhoseOutputPassesTwoToThe63IsAnError) {
  nn::Upsample up({int64_t{1} << 31, 1}, {0, 0});
  // An empty batch holds nothing, so its rows can be many: 2^33 rows scaled by 2^31.
  expect_error([&] { up(Tensor::zeros({0, 1, int64_t{1} << 33, 1})); }, "Upsample: an input of");
}

TEST(SizeOverflow, AStorageOfMoreBytesThanMemoryCanAddressIsAnError) {
  // was: 2^62 floats * 4 bytes wrapped to 0, and a 0-byte buffer came back
  expect_error([&] { Tensor::empty({int64_t{1} << 62}); }, "more bytes than memory can address");
}

TEST(SizeOverflow, ABatchSizeAboveTheDataIsOneBatchOfAllOfIt) {
  // was: ceil(n / b) as (n + b - 1) / b overflowed to 0 batches, an epoch of 0 samples
  auto data = std::make_shared<data::TensorDataset>(Tensor::arange(10).reshape({10, 1}), Tensor::arange(10));
  data::DataLoader loader(data, {.batch_size = kHuge, .prefetch = 0});
  EXPECT_EQ(loader.num_batches(), 1);
  int64_t batches = 0;
  for (const data::Batch& b : loader) {
    EXPECT_EQ(b.inputs.size(0), 10);
    ++batches;
  }
  EXPECT_EQ(batches, 1);
}

TEST(SizeOverflow, PredictWithABatchSizeAboveTheDataRunsOneBatch) {
  auto model = std::make_shared<nn::Linear>(1, 2);
  train::Trainer trainer(model, std::make_shared<optim::SGD>(model->parameters(), optim::SGDOptions{}),
                         [](const Tensor& y, const Tensor&) { return sum(y); });
  EXPECT_EQ(trainer.predict(Tensor::zeros({5, 1}), kHuge).shape(), (Shape{5, 2}));
}

}  // namespace
}  // namespace myelin
