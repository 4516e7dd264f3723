#pragma once
// The parts of stb_image, stb_image_resize and stb_image_write myelin uses, behind plain functions (their
// implementation is compiled once, privately, in data/stb_impl.cpp).
#include <string>

namespace myelin::data::stb {

// The size an image file's bytes claim in their header, without decoding; false when they are
// not an image.
bool info(const std::string& bytes, int* w, int* h);
// Decoded 8-bit pixels (h rows of w pixels of `channels` interleaved values), or null on failure.
unsigned char* load(const std::string& bytes, int* w, int* h, int channels);
// Why the last load on this thread failed.
const char* failure_reason();
void free_image(unsigned char* pixels);
// Triangle-filter (bilinear) resize of one float plane; false on failure.
bool resize_plane(const float* in, int in_w, int in_h, float* out, int out_w, int out_h);
// Appends the PNG encoding of 8-bit pixels (h rows of w pixels of `channels` values) to `out`.
bool encode_png(const unsigned char* pixels, int w, int h, int channels, std::string& out);

}  // namespace myelin::data::stb
