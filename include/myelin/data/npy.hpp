#pragma once
// Reader for NumPy's .npy files.
#include <string>

#include "myelin/tensor.hpp"

namespace myelin::data {

/// Reads a .npy file (format versions 1, 2 and 3) into a float32 tensor of the array's shape.
/// Element types: float16/32/64, int8/16/32/64, uint8/16/32/64 and bool, little- or big-endian;
/// values are converted to float unchanged (no scaling). A 0-d array gives a scalar tensor.
///
/// The header and the sizes it claims are checked against the file's length before anything is
/// allocated. Throws IoError naming the file when it cannot be opened, is not a .npy file, has a
/// malformed or oversized header, is in Fortran order, holds objects, structured records or an
/// unknown type, is truncated, or has bytes after the data.
Tensor read_npy(const std::string& path);

}  // namespace myelin::data
