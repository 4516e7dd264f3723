// Determinism: the same seeds and the same thread count give bit-identical weights, with 1 and
// with 2 threads, for a network whose kernels use threads (convolution's per-thread partial
// weight gradients, GEMM, reductions, dropout).
#include <gtest/gtest.h>

#include <bit>
#include <vector>

#include "myelin/myelin.hpp"

namespace myelin::testing {
namespace {

// The bits of every weight after 2 epochs of a small CNN on random images.
std::vector<uint32_t> train_bits(int threads) {
  const int before = num_threads();
  set_num_threads(threads);
  manual_seed(21);
  Generator gen(4);
  auto data = std::make_shared<data::TensorDataset>(Tensor::normal({48, 2, 8, 8}, 0.f, 1.f, &gen),
                                                    Tensor::normal({48, 3}, 0.f, 1.f, &gen));
  auto model = std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{
      std::make_shared<nn::Conv2d>(2, 4, Size2{3, 3}, Conv2dOptions{}, true, &gen),
      std::make_shared<nn::ReLU>(), std::make_shared<nn::Dropout>(0.2f), std::make_shared<nn::Flatten>(),
      std::make_shared<nn::Linear>(4 * 6 * 6, 3, true, &gen)});
  auto opt = std::make_shared<optim::Adam>(model->parameters(), optim::AdamOptions{.lr = 0.01});
  train::Trainer trainer(model, opt, [](const Tensor& out, const Tensor& y) { return mse_loss(out, y); });
  data::DataLoader loader(data, {.batch_size = 16, .shuffle = true, .seed = 8});
  trainer.fit(loader, 2);
  set_num_threads(before);
  std::vector<uint32_t> bits;
  for (const Tensor& p : model->parameters())
    for (float v : p.to_vector()) bits.push_back(std::bit_cast<uint32_t>(v));
  return bits;
}

TEST(Determinism, SameSeedAndThreadsGiveBitIdenticalWeights) {
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    const std::vector<uint32_t> first = train_bits(threads);
    EXPECT_EQ(first, train_bits(threads));
  }
}

}  // namespace
}  // namespace myelin::testing
