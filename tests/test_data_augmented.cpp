// AugmentedDataset: augmentation that depends only on (seed, epoch, index), the same with and
// without the loader's background thread; targets untouched.
#include <gtest/gtest.h>

#include <algorithm>

#include "expect_error.hpp"
#include "myelin/myelin.hpp"

namespace myelin::data {
namespace {

// Six (1, 4, 5) images with distinct pixel values, labelled 0..5.
DatasetPtr images() {
  std::vector<float> pixels(6 * 20), labels(6);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<float>(i);
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<float>(i);
  return std::make_shared<TensorDataset>(Tensor::from_vector(pixels, {6, 1, 4, 5}), Tensor::from_vector(labels, {6}));
}

TEST(DataAugmented, SameEpochSameImagesAndBatchesMatchSingleExamples) {
  AugmentedDataset a(images(), {.horizontal_flip = true}, 7);
  const std::vector<int64_t> rows = {5, 0, 3};
  const Batch b1 = a.get_batch(rows), b2 = a.get_batch(rows);
  EXPECT_EQ(b1.inputs.to_vector(), b2.inputs.to_vector());
  EXPECT_EQ(b1.targets.to_vector(), (std::vector<float>{5, 0, 3}));
  for (size_t k = 0; k < rows.size(); ++k)
    EXPECT_EQ(a.get(rows[k]).input.contiguous().to_vector(), b1.inputs.slice(0, k, k + 1).contiguous().to_vector());
}

TEST(DataAugmented, FlipsMirrorRowsAndEpochsDrawAnew) {
  const DatasetPtr base = images();
  AugmentedDataset a(base, {.horizontal_flip = true}, 7);
  int flipped = 0, changed_between_epochs = 0;
  for (int64_t epoch = 0; epoch < 4; ++epoch) {
    a.set_epoch(epoch);
    for (int64_t i = 0; i < a.size(); ++i) {
      const std::vector<float> out = a.get(i).input.contiguous().to_vector();
      std::vector<float> mirrored = base->get(i).input.contiguous().to_vector();
      for (size_t r = 0; r < 4; ++r) std::reverse(mirrored.begin() + r * 5, mirrored.begin() + r * 5 + 5);
      const bool is_flipped = out == mirrored;
      EXPECT_TRUE(is_flipped || out == base->get(i).input.contiguous().to_vector()) << "example " << i;
      flipped += is_flipped;
      if (epoch > 0) {
        a.set_epoch(epoch - 1);
        changed_between_epochs += a.get(i).input.contiguous().to_vector() != out;
        a.set_epoch(epoch);
      }
    }
  }
  EXPECT_GT(flipped, 0);
  EXPECT_LT(flipped, 24);
  EXPECT_GT(changed_between_epochs, 0);
}

TEST(DataAugmented, SeededBySeedEpochAndIndex) {
  const DatasetPtr base = images();
  const ImageAugment all{.crop_padding = 1, .horizontal_flip = true, .max_rotation = 10, .erase_probability = 0.5f};
  AugmentedDataset a(base, all, 3), b(base, all, 3), other_seed(base, all, 4);
  const std::vector<float> epoch0 = a.get(2).input.contiguous().to_vector();
  EXPECT_EQ(epoch0, b.get(2).input.contiguous().to_vector());
  EXPECT_NE(epoch0, base->get(2).input.contiguous().to_vector());
  EXPECT_NE(epoch0, other_seed.get(2).input.contiguous().to_vector());
  a.set_epoch(1);
  EXPECT_NE(a.get(2).input.contiguous().to_vector(), epoch0);
  a.set_epoch(0);
  EXPECT_EQ(a.get(2).input.contiguous().to_vector(), epoch0);  // an epoch's augmentation can be replayed
}

TEST(DataAugmented, LoaderBatchesDoNotDependOnPrefetching) {
  auto augmented = std::make_shared<AugmentedDataset>(images(), ImageAugment{.crop_padding = 1, .horizontal_flip = true}, 2);
  augmented->set_epoch(5);
  auto epoch = [&](int64_t prefetch) {
    DataLoader loader(augmented, {.batch_size = 4, .shuffle = true, .seed = 1, .prefetch = prefetch});
    std::vector<float> all;
    for (const Batch& b : loader) {
      const std::vector<float> v = b.inputs.to_vector();
      all.insert(all.end(), v.begin(), v.end());
    }
    return all;
  };
  EXPECT_EQ(epoch(0), epoch(2));
}

TEST(DataAugmented, NeedsImagesAndAnAugmentation) {
  testing::expect_error([&] { AugmentedDataset(images(), {}, 0); }, "no augmentation");
  const auto flat = std::make_shared<TensorDataset>(Tensor::zeros({3, 20}), Tensor::zeros({3}));
  testing::expect_error<ShapeError>([&] { AugmentedDataset(flat, {.horizontal_flip = true}, 0); }, "(C, H, W)");
}

}  // namespace
}  // namespace myelin::data
