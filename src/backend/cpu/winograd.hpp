// Winograd F(4x4, 3x3) convolution: 3x3 kernels at stride 1 (any padding), in its three passes.
// Each 4x4 block of outputs ("tile") reads a 6x6 block of input; in the transformed domain a
// tile's 36 points each need one multiply per (output channel, input channel), 36 instead of
// the 144 a direct 4x4 block needs, so the three GEMMs of a training step do 4x fewer
// multiplications (less the tiles' overhang where the output is not a multiple of 4). conv.cpp
// calls these where applies(); they share conv.cpp's threading: OpenMP over images,
// single-threaded GEMMs. As in other libraries' Winograd kernels, a NaN or infinite input
// can reach any output of the 4x4 blocks whose 6x6 input holds it (as NaN where infinities
// meet), not only the outputs whose 3x3 window holds it.
#pragma once

#include <cstdint>

#include "backend/backend.hpp"

namespace myelin::backend::winograd {

// The geometries these kernels are used for: one group, 3x3, stride 1, no dilation, at least 8
// input and 8 output channels (fewer make the GEMMs too thin) and more than one image (a single
// image keeps the im2col path, whose GEMMs use BLAS's own threads).
bool applies(const Conv2dGeometry& g);

// Tiles transformed per GEMM (per thread): enough to keep the products efficient while a
// chunk's transformed matrices stay in the core's L2 cache. Tests pass smaller values to split
// images into runs of rows of tiles.
int64_t default_chunk_tiles(const Conv2dGeometry& g);

// The floats of the transformed input conv2d can save for conv2d_backward's kernel gradient.
int64_t saved_input_floats(const Conv2dGeometry& g);

// The same contracts as backend::conv2d and backend::conv2d_backward (with their pools). conv2d fills
// saved_input when given one (saved_input_floats(g) floats); conv2d_backward then reads the
// transformed input from it instead of transforming x again (x may then be null). Both calls
// must have the same geometry and chunk_tiles.
void conv2d(const float* x, const float* w, const float* bias, float* y, const Conv2dGeometry& g,
            int64_t chunk_tiles, float* saved_input = nullptr, const ConvMaxPool* pool = nullptr);
void conv2d_backward(const float* x, const float* gy, const float* w, float* gx, float* gw,
                     float* gb, const Conv2dGeometry& g, int64_t chunk_tiles,
                     const float* saved_input = nullptr, const ConvMaxPool* pool = nullptr);

}  // namespace myelin::backend::winograd
