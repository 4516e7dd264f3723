#include "myelin/threads.hpp"

#include <omp.h>

#include <algorithm>
#include <thread>

extern "C" void openblas_set_num_threads(int);

namespace myelin {
namespace {
int g_threads = 0;  // 0: not set yet
}

void set_num_threads(int n) {
  g_threads = std::max(1, n);
  omp_set_num_threads(g_threads);
  openblas_set_num_threads(g_threads);
}

int num_threads() {
  if (g_threads == 0) set_num_threads(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  return g_threads;
}

}  // namespace myelin
