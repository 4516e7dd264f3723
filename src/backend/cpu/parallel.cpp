// Coarse parallel loops: one range of rows per thread, for work that runs many steps on its
// rows without touching the others (recurrent layers: every row of the batch is its own chain).
#include <omp.h>

#include <algorithm>

#include "backend/backend.hpp"

namespace myelin::backend {

void parallel_ranges(int64_t n, int64_t min_range,
                     const std::function<void(int64_t begin, int64_t end)>& body) {
  const int64_t ranges =
      std::min<int64_t>(omp_get_max_threads(), n / std::max<int64_t>(1, min_range));
  if (ranges <= 1 || omp_in_parallel()) {
    body(0, n);
    return;
  }
#pragma omp parallel for num_threads(static_cast<int>(ranges)) schedule(static, 1)
  for (int64_t r = 0; r < ranges; ++r) body(n * r / ranges, n * (r + 1) / ranges);
}

}  // namespace myelin::backend
