// safetensors element types: one table row each, with the decoder to float32.
#include "io/dtypes.hpp"

#include <bit>
#include <cmath>
#include <cstring>

namespace myelin::io {
namespace {

// Files are little-endian; elements are copied as they are, which is only right on such a host.
static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes a little-endian host");

template <class T>
float cast(T v) {
  return static_cast<float>(v);  // F64: rounds to nearest; integers above 2^24 lose precision
}

float from_bool(uint8_t v) { return v != 0 ? 1.f : 0.f; }

// IEEE half: 1 sign, 5 exponent (bias 15), 10 mantissa bits. Every half is exact in float32.
float from_half(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  const uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  const uint32_t bits = exponent == 0x1fu
                            ? sign | 0x7f800000u | (mantissa << 13)                // inf, NaN
                            : sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13);  // rebias
  return std::bit_cast<float>(bits);
}

// bfloat16 is the upper half of a float32.
float from_bfloat16(uint16_t h) { return std::bit_cast<float>(static_cast<uint32_t>(h) << 16); }

template <class Stored, float (*decode)(Stored)>
void convert(const unsigned char* src, int64_t n, float* dst) {
  for (int64_t i = 0; i < n; ++i) {
    Stored v;
    std::memcpy(&v, src + i * sizeof(Stored), sizeof(Stored));
    dst[i] = decode(v);
  }
}

constexpr DType kDTypes[] = {
    {"F64", 8, convert<double, cast<double>>},
    {"F32", 4, nullptr},
    {"F16", 2, convert<uint16_t, from_half>},
    {"BF16", 2, convert<uint16_t, from_bfloat16>},
    {"I64", 8, convert<int64_t, cast<int64_t>>},
    {"I32", 4, convert<int32_t, cast<int32_t>>},
    {"I16", 2, convert<int16_t, cast<int16_t>>},
    {"I8", 1, convert<int8_t, cast<int8_t>>},
    {"U8", 1, convert<uint8_t, cast<uint8_t>>},
    {"BOOL", 1, convert<uint8_t, from_bool>},
};

}  // namespace

const DType* find_dtype(const std::string& name) {
  for (const DType& d : kDTypes)
    if (name == d.name) return &d;
  return nullptr;
}

std::string readable_dtypes() {
  std::string out;
  for (const DType& d : kDTypes) out += (out.empty() ? "" : ", ") + std::string(d.name);
  return out;
}

}  // namespace myelin::io
