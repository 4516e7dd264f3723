// W2, the LibTorch side: bench/w2_cnn_myelin.cpp's network and training, as a LibTorch user
// would write them.   w2_cnn_torch [--threads N] [--epochs N] [--data DIR]
#include <torch/torch.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_util.hpp"

namespace {

// An IDX file (raw or gzip) as bytes; its data starts after `header` bytes.
std::vector<unsigned char> read_all(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error(path + ": cannot open");
  std::vector<unsigned char> out;
  unsigned char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
  gzclose(f);
  return out;
}

std::string find(const std::string& dir, const std::string& stem) {
  for (const std::string& s : {dir + "/" + stem + ".gz", dir + "/" + stem})
    if (FILE* f = std::fopen(s.c_str(), "rb")) return std::fclose(f), s;
  throw std::runtime_error(dir + "/" + stem + ": not found");
}

}  // namespace

int main(int argc, char** argv) try {
  int threads = 2, epochs = 2;
  std::string dir = "/usr/share/datasets/fashion-mnist";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--epochs")) epochs = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--data")) dir = argv[i + 1];
    else throw std::runtime_error(std::string("unknown option ") + argv[i]);
  }
  torch::set_num_threads(threads);
  torch::manual_seed(0);
  const auto images = read_all(find(dir, "train-images-idx3-ubyte"));
  const auto labels = read_all(find(dir, "train-labels-idx1-ubyte"));
  const int64_t n = 60000;
  torch::Tensor x = torch::from_blob(const_cast<unsigned char*>(images.data()) + 16, {n, 1, 28, 28}, torch::kUInt8)
                        .to(torch::kFloat) / 255;
  torch::Tensor y = torch::from_blob(const_cast<unsigned char*>(labels.data()) + 8, {n}, torch::kUInt8).to(torch::kLong);
  torch::nn::Sequential net(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 32, 3)), torch::nn::ReLU(),
                            torch::nn::MaxPool2d(2), torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 64, 3)),
                            torch::nn::ReLU(), torch::nn::MaxPool2d(2), torch::nn::Flatten(),
                            torch::nn::Linear(1600, 128), torch::nn::ReLU(), torch::nn::Linear(128, 10));
  torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
  std::vector<double> wall, cpu;
  for (int e = 0; e < epochs; ++e) {
    const torch::Tensor perm = torch::randperm(n);
    const double w0 = bench::now_s(), c0 = bench::cpu_s();
    for (int64_t i = 0; i < n; i += 64) {
      const torch::Tensor idx = perm.slice(0, i, std::min(i + 64, n));
      opt.zero_grad();
      torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(x.index_select(0, idx)), y.index_select(0, idx));
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
  std::fprintf(stderr, "w2_cnn_torch: %s\n", e.what());
  return 1;
}
