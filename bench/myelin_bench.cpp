// The myelin side of the benchmark suite (bench/README.md): W1 MLP training, W4 batch-1
// inference latency, W5 GEMM. Prints "key value" lines; bench/torch_bench.cpp is its twin.
#include <cblas.h>

#include <cstdio>
#include <exception>
#include <memory>
#include <vector>

#include <myelin/myelin.hpp>

#include "backend/backend.hpp"
#include "bench_util.hpp"

using namespace myelin;

namespace {

// W1's network: 784-512-256-10 with ReLU.
std::shared_ptr<nn::Sequential> mlp() {
  return std::make_shared<nn::Sequential>(std::initializer_list<nn::ModulePtr>{
      std::make_shared<nn::Linear>(784, 512), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Linear>(512, 256), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Linear>(256, 10)});
}

// The matrix products of one W1 epoch alone, through cblas_sgemm: the floor that any engine
// built on this BLAS pays. Per step, for each layer (in -> out) with batch B = 64:
//   forward y (B, out) = x (B, in) @ W^T; backward gW (out, in) = g^T @ x, and gx (B, in) = g @ W
//   for every layer but the first (the images need no gradient).
double w1_gemm_floor_cpu_s(int64_t steps) {
  const int64_t B = 64, sizes[] = {784, 512, 256, 10};
  std::vector<float> buf(4 * 784 * 512);
  float *x = buf.data(), *w = x + 784 * 512, *g = w + 784 * 512, *c = g + 784 * 512;
  const double c0 = bench::cpu_s();
  for (int64_t s = 0; s < steps; ++s) {
    for (int l = 0; l < 3; ++l) {
      const int in = static_cast<int>(sizes[l]), out = static_cast<int>(sizes[l + 1]), b = static_cast<int>(B);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, b, out, in, 1.f, x, in, w, in, 1.f, c, out);
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, b, 1.f, g, out, x, in, 0.f, c, in);
      if (l > 0) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, b, in, out, 1.f, g, out, w, in, 0.f, c, in);
    }
  }
  return bench::cpu_s() - c0;
}

// W1: SGD (lr 0.05, momentum 0.9) on shuffled batches of 64; seconds per epoch and test accuracy.
void w1(const bench::Options& o) {
  data::FashionMnist fashion = data::load_fashion_mnist(o.data_dir);
  data::DataLoader loader(fashion.train, {.batch_size = 64, .shuffle = true, .seed = 1});
  auto model = mlp();
  optim::SGD sgd(model->parameters(), {.lr = 0.05, .momentum = 0.9});
  std::vector<double> epoch_s, epoch_cpu_s;
  for (int e = 0; e < o.epochs; ++e) {
    const double t0 = bench::now_s(), c0 = bench::cpu_s();
    for (const data::Batch& b : loader) {
      sgd.zero_grad();
      cross_entropy(model->forward(b.inputs), b.targets).backward();
      sgd.step();
    }
    epoch_s.push_back(bench::now_s() - t0);
    epoch_cpu_s.push_back(bench::cpu_s() - c0);
  }
  NoGradGuard no_grad;
  const double acc = metrics::accuracy(model->forward(fashion.test->inputs()), fashion.test->targets());
  bench::report("w1_epoch_s", bench::median(epoch_s));
  bench::report("w1_epoch_cpu_s", bench::median(epoch_cpu_s));
  bench::report("w1_test_acc", acc);
  bench::report("w1_peak_rss_mib", bench::peak_rss_mib());
  bench::report("w1_gemm_floor_cpu_s", w1_gemm_floor_cpu_s(loader.num_batches()));
}

// W4: W1's network (untrained), batch 1, forward only without a graph.
void w4(const bench::Options& o) {
  auto model = mlp();
  model->eval();
  const Tensor x = Tensor::uniform({1, 784}, 0.f, 1.f);
  NoGradGuard no_grad;
  bench::report("w4_latency_us", bench::latency_us(o.calls, [&] { model->forward(x); }));
}

// W5: n x n x n products through myelin::matmul, backend::gemm, and cblas_sgemm directly.
void w5(const bench::Options&) {
  for (int n : bench::gemm_sizes()) {
    const Tensor a = Tensor::uniform({n, n}, -1.f, 1.f), b = Tensor::uniform({n, n}, -1.f, 1.f);
    Tensor c = Tensor::empty({n, n});
    const std::string s = std::to_string(n);
    bench::report("w5_matmul_gflops_" + s, bench::gemm_gflops(n, [&] { matmul(a, b); }));
    bench::report("w5_gemm_gflops_" + s, bench::gemm_gflops(n, [&] {
      backend::gemm(false, false, n, n, n, 1.f, a.data(), n, b.data(), n, 0.f, c.data(), n);
    }));
    bench::report("w5_openblas_gflops_" + s, bench::gemm_gflops(n, [&] {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.f, a.data(), n, b.data(),
                  n, 0.f, c.data(), n);
    }));
  }
}

}  // namespace

int main(int argc, char** argv) try {
  const bench::Options o = bench::parse(argc, argv);
  set_num_threads(o.threads);
  manual_seed(1);
  if (o.workload == "w1") w1(o);
  if (o.workload == "w4") w4(o);
  if (o.workload == "w5") w5(o);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "myelin_bench: %s\n", e.what());
  return 1;
}
