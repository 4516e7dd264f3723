// The one translation unit that compiles Debian's stb_image, stb_image_resize and stb_image_write
// (libstb-dev).
// Static linkage keeps their symbols private to myelin, so a program that also uses stb links.
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_NO_HDR  // no Radiance HDR or linear-float loading: 8-bit images only
// No PGM/PPM: fuzzing found that Debian's stb_image reads past its buffer on a truncated 16-bit
// PGM (stbi__convert_16_to_8). PNG, JPEG, BMP, GIF and TGA remain.
#define STBI_NO_PNM
// GCC 12 sees stbi__context fields that only the callback readers use as maybe uninitialized
// when decoding from memory; they are never read there.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

#define STB_IMAGE_RESIZE_STATIC
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb/stb_image_resize.h>

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "data/stb.hpp"

namespace myelin::data::stb {

namespace {
const stbi_uc* data_of(const std::string& bytes) { return reinterpret_cast<const stbi_uc*>(bytes.data()); }
}  // namespace

bool info(const std::string& bytes, int* w, int* h) {
  int in_file = 0;
  return stbi_info_from_memory(data_of(bytes), static_cast<int>(bytes.size()), w, h, &in_file) != 0;
}

unsigned char* load(const std::string& bytes, int* w, int* h, int channels) {
  int in_file = 0;
  return stbi_load_from_memory(data_of(bytes), static_cast<int>(bytes.size()), w, h, &in_file, channels);
}

const char* failure_reason() { return stbi_failure_reason(); }

void free_image(unsigned char* pixels) { stbi_image_free(pixels); }

bool resize_plane(const float* in, int in_w, int in_h, float* out, int out_w, int out_h) {
  return stbir_resize_float_generic(in, in_w, in_h, 0, out, out_w, out_h, 0, 1, STBIR_ALPHA_CHANNEL_NONE, 0,
                                    STBIR_EDGE_CLAMP, STBIR_FILTER_TRIANGLE, STBIR_COLORSPACE_LINEAR,
                                    nullptr) != 0;
}

bool encode_png(const unsigned char* pixels, int w, int h, int channels, std::string& out) {
  const auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
  };
  return stbi_write_png_to_func(append, &out, w, h, channels, pixels, w * channels) != 0;
}

}  // namespace myelin::data::stb
