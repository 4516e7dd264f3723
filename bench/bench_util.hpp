#pragma once
// What both sides of the benchmark share: command-line options, clocks, medians, peak memory,
// and the "key value" lines that bench/run.sh turns into the table. Depends on neither myelin
// nor LibTorch, so both programs measure in exactly the same way.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

// The workloads of myelin_bench and torch_bench (W2 and W3 are standalone programs).
struct Options {
  std::string workload;  // w1 (MLP training), w4 (batch-1 inference), w5 (GEMM)
  int threads = 1;
  int epochs = 3;           // W1: epochs trained; the median epoch time is reported
  int calls = 10000;        // W4: timed forward calls
  std::string data_dir = "/usr/share/datasets/fashion-mnist";
};

// bench_<side> <w1|w4|w5> [--threads N] [--epochs N] [--calls N] [--data DIR]
inline Options parse(int argc, char** argv) {
  if (argc < 2) throw std::runtime_error("usage: " + std::string(argv[0]) +
                                         " <w1|w4|w5> [--threads N] [--epochs N] [--calls N] [--data DIR]");
  Options o;
  o.workload = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--threads") o.threads = std::atoi(value.c_str());
    else if (key == "--epochs") o.epochs = std::atoi(value.c_str());
    else if (key == "--calls") o.calls = std::atoi(value.c_str());
    else if (key == "--data") o.data_dir = value;
    else throw std::runtime_error("unknown option " + key + " (expected --threads, --epochs, --calls, --data)");
  }
  if (o.workload != "w1" && o.workload != "w4" && o.workload != "w5")
    throw std::runtime_error("unknown workload '" + o.workload + "' (expected w1, w4 or w5)");
  if (o.threads < 1 || o.epochs < 1 || o.calls < 1)
    throw std::runtime_error("--threads, --epochs and --calls must be at least 1");
  return o;
}

inline double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n == 0 ? 0.0 : (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
}

// CPU seconds (user + system, all threads) this process has used so far. On a shared, loaded
// machine it moves much less than wall time, so the table shows both.
inline double cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// Peak resident memory of this process so far, in MiB (Linux reports ru_maxrss in KiB).
inline double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// One result line: "<key> <value>", read by bench/run.sh.
inline void report(const std::string& key, double value) {
  std::printf("%s %.6g\n", key.c_str(), value);
  std::fflush(stdout);
}

// The GEMM sizes of W5 and how many timed calls each gets (about a second per size).
inline const std::vector<int>& gemm_sizes() {
  static const std::vector<int> sizes{256, 512, 1024, 2048};
  return sizes;
}
inline int gemm_reps(int n) { return std::max(5, static_cast<int>(2e10 / (2.0 * n * n * n))); }

// Median GFLOP/s of `call` (one n x n x n product) over gemm_reps(n) calls after one warm-up.
template <class Call>
double gemm_gflops(int n, Call&& call) {
  call();
  std::vector<double> t;
  for (int r = 0; r < gemm_reps(n); ++r) {
    const double t0 = now_s();
    call();
    t.push_back(now_s() - t0);
  }
  return 2.0 * n * n * n / median(t) / 1e9;
}

// Median microseconds of `call` over `calls` timed calls after calls/10 warm-up calls.
template <class Call>
double latency_us(int calls, Call&& call) {
  for (int i = 0; i < calls / 10; ++i) call();
  std::vector<double> t(static_cast<size_t>(calls));
  for (int i = 0; i < calls; ++i) {
    const double t0 = now_s();
    call();
    t[static_cast<size_t>(i)] = now_s() - t0;
  }
  return median(t) * 1e6;
}

}  // namespace bench
