#pragma once
// The windows of a kernel/stride/padding pool, shared by the pooling ops and the convolution
// that pools its output as it goes (conv2d_relu_max_pool2d).
#include <cstdint>

#include "backend/backend.hpp"

namespace myelin::ops {

// Windows along an axis of `in` elements: kernel, stride (0: the kernel) and padding. Throws,
// naming `op`, unless kernel and stride >= 1, 0 <= padding <= kernel / 2 and the padded input
// holds a window.
backend::PoolWindows strided_windows(const char* op, int64_t in, int64_t kernel, int64_t stride,
                                     int64_t pad, bool count_include_pad);

}  // namespace myelin::ops
