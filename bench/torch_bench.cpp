// The LibTorch side of the benchmark suite: the same workloads as bench/myelin_bench.cpp,
// written as a LibTorch user would write them. Prints "key value" lines.
#include <torch/torch.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "bench_util.hpp"

namespace {

// The bytes of a gzip-compressed file.
std::vector<uint8_t> read_gz(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot open " + path);
  std::vector<uint8_t> bytes;
  uint8_t buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  gzclose(f);
  if (n < 0) throw std::runtime_error("cannot read " + path);
  return bytes;
}

// Fashion-MNIST from its IDX files: images (N, 784) float in [0, 1], labels (N) int64.
struct Split {
  torch::Tensor images, labels;
};
Split load(const std::string& dir, const std::string& prefix) {
  const std::vector<uint8_t> img = read_gz(dir + "/" + prefix + "-images-idx3-ubyte.gz");
  const std::vector<uint8_t> lab = read_gz(dir + "/" + prefix + "-labels-idx1-ubyte.gz");
  const int64_t n = static_cast<int64_t>(lab.size()) - 8;  // 8-byte header, then one byte a label
  if (n <= 0 || static_cast<int64_t>(img.size()) != 16 + n * 784)
    throw std::runtime_error("unexpected IDX sizes for " + prefix);
  Split s;
  s.images = torch::from_blob(const_cast<uint8_t*>(img.data()) + 16, {n, 784}, torch::kUInt8)
                 .to(torch::kFloat32)
                 .div_(255.f);
  s.labels = torch::from_blob(const_cast<uint8_t*>(lab.data()) + 8, {n}, torch::kUInt8).to(torch::kInt64);
  return s;
}

torch::nn::Sequential mlp() {
  return torch::nn::Sequential(torch::nn::Linear(784, 512), torch::nn::ReLU(),
                               torch::nn::Linear(512, 256), torch::nn::ReLU(),
                               torch::nn::Linear(256, 10));
}

void w1(const bench::Options& o) {
  const Split train = load(o.data_dir, "train"), test = load(o.data_dir, "t10k");
  auto model = mlp();
  torch::optim::SGD sgd(model->parameters(), torch::optim::SGDOptions(0.05).momentum(0.9));
  const int64_t n = train.images.size(0), batch = 64;
  std::vector<double> epoch_s, epoch_cpu_s;
  for (int e = 0; e < o.epochs; ++e) {
    const double t0 = bench::now_s(), c0 = bench::cpu_s();
    const torch::Tensor order = torch::randperm(n, torch::kInt64);
    for (int64_t start = 0; start < n; start += batch) {
      const torch::Tensor idx = order.slice(0, start, std::min(start + batch, n));
      const torch::Tensor x = train.images.index_select(0, idx), y = train.labels.index_select(0, idx);
      sgd.zero_grad();
      torch::nn::functional::cross_entropy(model->forward(x), y).backward();
      sgd.step();
    }
    epoch_s.push_back(bench::now_s() - t0);
    epoch_cpu_s.push_back(bench::cpu_s() - c0);
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor predicted = model->forward(test.images).argmax(1);
  const double acc = predicted.eq(test.labels).sum().item<double>() / static_cast<double>(test.labels.size(0));
  bench::report("w1_epoch_s", bench::median(epoch_s));
  bench::report("w1_epoch_cpu_s", bench::median(epoch_cpu_s));
  bench::report("w1_test_acc", acc);
  bench::report("w1_peak_rss_mib", bench::peak_rss_mib());
}

void w4(const bench::Options& o) {
  auto model = mlp();
  model->eval();
  const torch::Tensor x = torch::rand({1, 784});
  torch::InferenceMode inference;
  bench::report("w4_latency_us", bench::latency_us(o.calls, [&] { model->forward(x); }));
}

void w5(const bench::Options&) {
  for (int n : bench::gemm_sizes()) {
    const torch::Tensor a = torch::rand({n, n}) * 2 - 1, b = torch::rand({n, n}) * 2 - 1;
    bench::report("w5_matmul_gflops_" + std::to_string(n),
                  bench::gemm_gflops(n, [&] { torch::matmul(a, b); }));
  }
}

}  // namespace

int main(int argc, char** argv) try {
  const bench::Options o = bench::parse(argc, argv);
  torch::set_num_threads(o.threads);
  torch::manual_seed(1);
  if (o.workload == "w1") w1(o);
  if (o.workload == "w4") w4(o);
  if (o.workload == "w5") w5(o);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "torch_bench: %s\n", e.what());
  return 1;
}
