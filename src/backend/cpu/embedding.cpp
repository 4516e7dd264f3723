// Embedding lookup: a row gather forward, a scatter-add backward.
#include <cstring>

#include "backend/backend.hpp"

namespace myelin::backend {

void embedding(const float* table, const float* indices, float* out, int64_t n, int64_t d) {
  for (int64_t i = 0; i < n; ++i)
    std::memcpy(out + i * d, table + static_cast<int64_t>(indices[i]) * d, sizeof(float) * d);
}

void embedding_backward(const float* g, const float* indices, float* gtable, int64_t n, int64_t d,
                        int64_t skip) {
  for (int64_t i = 0; i < n; ++i) {
    const int64_t row = static_cast<int64_t>(indices[i]);
    if (row == skip) continue;
    axpy(d, 1.f, g + i * d, gtable + row * d);
  }
}

}  // namespace myelin::backend
