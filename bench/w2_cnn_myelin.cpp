// W2, the myelin side: a small CNN on Fashion-MNIST (1x28x28), SGD with momentum, batch 64.
//   conv 1->32 3x3, ReLU, max-pool 2, conv 32->64 3x3, ReLU, max-pool 2, flatten,
//   dense 1600->128, ReLU, dense 128->10
// Prints "key value" lines (median epoch wall and CPU seconds); bench/w2_cnn_torch.cpp is its twin.
//   w2_cnn_myelin [--threads N] [--epochs N] [--data DIR]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <vector>

#include <myelin/myelin.hpp>

#include "bench_util.hpp"

using namespace myelin;

int main(int argc, char** argv) try {
  int threads = 2, epochs = 2;
  std::string dir = data::kFashionMnistDir;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--epochs")) epochs = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--data")) dir = argv[i + 1];
    else throw Error(std::string("unknown option ") + argv[i] + " (expected --threads, --epochs, --data)");
  }
  set_num_threads(threads);
  manual_seed(0);
  const data::FashionMnist fm = data::load_fashion_mnist(dir, {.flatten = false});
  nn::Sequential net{std::make_shared<nn::Conv2d>(1, 32, Size2{3, 3}), std::make_shared<nn::ReLU>(),
                     std::make_shared<nn::MaxPool2d>(Size2{2, 2}), std::make_shared<nn::Conv2d>(32, 64, Size2{3, 3}),
                     std::make_shared<nn::ReLU>(), std::make_shared<nn::MaxPool2d>(Size2{2, 2}),
                     std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(1600, 128),
                     std::make_shared<nn::ReLU>(), std::make_shared<nn::Linear>(128, 10)};
  optim::SGD opt(net.parameters(), {.lr = 0.01, .momentum = 0.9});
  data::DataLoader loader(fm.train, {.batch_size = 64, .shuffle = true, .seed = 1});
  std::vector<double> wall, cpu;
  for (int e = 0; e < epochs; ++e) {
    const double w0 = bench::now_s(), c0 = bench::cpu_s();
    for (const data::Batch& b : loader) {
      opt.zero_grad();
      Tensor loss = cross_entropy(net(b.inputs), b.targets);
      loss.backward();
      opt.step();
    }
    wall.push_back(bench::now_s() - w0);
    cpu.push_back(bench::cpu_s() - c0);
  }
  bench::report("w2_epoch_wall_s", bench::median(wall));
  bench::report("w2_epoch_cpu_s", bench::median(cpu));
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "w2_cnn_myelin: %s\n", e.what());
  return 1;
}
