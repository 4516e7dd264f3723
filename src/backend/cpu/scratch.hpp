// Per-thread buffers kept between calls, so that the convolution kernels allocate nothing in
// their hot paths. Each role has its own buffer: a kernel may hold several at once.
#pragma once

#include <cstddef>
#include <vector>

namespace myelin::backend::cpu {

enum class Scratch {
  Columns,                  // im2col's unfolded image (conv.cpp)
  WeightSums,               // a thread's sum of kernel gradients (conv.cpp)
  ConvOutput,               // an image's (or a chunk's) output or its gradient, beside a pool
  WinogradInputSide,        // a chunk's transformed input side (winograd.cpp)
  WinogradOutputSide,       // a chunk's transformed output side
  WinogradKernels,          // the calling thread's transformed kernels
  WinogradKernelGradients,  // a thread's sum of transformed kernel gradients
  WinogradWindows,          // the windows of a chunk's planes
  Count
};

// This thread's buffer for `role`, at least n floats (contents left from earlier calls).
inline float* scratch(size_t n, Scratch role) {
  thread_local std::vector<float> buffers[static_cast<size_t>(Scratch::Count)];
  std::vector<float>& b = buffers[static_cast<size_t>(role)];
  if (b.size() < n) b.resize(n);
  return b.data();
}

}  // namespace myelin::backend::cpu
