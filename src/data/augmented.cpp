// AugmentedDataset: the base data set's batch, then each image augmented with its own generator.
#include "myelin/data/augmented.hpp"

#include <cstring>

#include "data/seed_mix.hpp"
#include "myelin/error.hpp"
#include "myelin/random.hpp"

namespace myelin::data {

AugmentedDataset::AugmentedDataset(DatasetPtr base, ImageAugment augment, uint64_t seed)
    : base_(std::move(base)), augment_(augment), seed_(seed) {
  if (!base_) throw Error("AugmentedDataset: the base data set is null");
  if (!augment_.active()) throw Error("AugmentedDataset: no augmentation is switched on");
  if (base_->size() > 0 && base_->get(0).input.dim() != 3)
    throw ShapeError("AugmentedDataset: augmentation needs images (C, H, W), but the examples have shape " +
                     to_string(base_->get(0).input.shape()));
}

Example AugmentedDataset::get(int64_t i) const {
  Example e = base_->get(i);
  Generator gen(example_seed(seed_, epoch(), i));
  return {augment_image(e.input, augment_, gen), e.target};
}

Batch AugmentedDataset::get_batch(std::span<const int64_t> indices) const {
  Batch b = base_->get_batch(indices);  // fresh tensors: safe to overwrite row by row
  // inputs: (B, C, H, W)
  const int64_t per_image = b.inputs.numel() / b.inputs.size(0);
  float* rows = b.inputs.data();
  for (size_t k = 0; k < indices.size(); ++k) {
    Generator gen(example_seed(seed_, epoch(), indices[k]));
    float* row = rows + static_cast<int64_t>(k) * per_image;
    const Tensor image = Tensor::from_vector(std::vector<float>(row, row + per_image), Shape(b.inputs.shape().begin() + 1, b.inputs.shape().end()));
    const Tensor out = augment_image(image, augment_, gen).contiguous();
    std::memcpy(row, out.data(), static_cast<size_t>(per_image) * sizeof(float));
  }
  return b;
}

}  // namespace myelin::data
