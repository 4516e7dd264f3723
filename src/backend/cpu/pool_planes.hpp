// The max-pool kernels on one thread, for kernels that pool inside their own parallel regions
// (a convolution pooling each image's output while it is in cache): backend::max_pool2d and
// max_pool2d_backward share these out over planes.
#pragma once

#include <cstdint>

#include "backend/backend.hpp"

namespace myelin::backend::cpu {

// backend::max_pool2d on `planes` planes, on the calling thread.
void max_pool_planes(const float* x, float* y, float* index, int64_t planes, int64_t in_h,
                     int64_t in_w, const PoolWindows& rows, const PoolWindows& cols, bool relu);
// backend::max_pool2d_backward on `planes` planes, on the calling thread.
void max_pool_backward_planes(const float* gy, const float* index, float* gx, int64_t planes,
                              int64_t in_h, int64_t in_w, const PoolWindows& rows,
                              const PoolWindows& cols, const float* relu_y);

}  // namespace myelin::backend::cpu
