#pragma once
// Reader for IDX files, the format of MNIST and Fashion-MNIST.
#include <string>

#include "myelin/tensor.hpp"

namespace myelin::data {

/// Reads an IDX file, raw or gzip-compressed (told apart by the first bytes), into a float32
/// tensor shaped as its header says. Element types: ubyte, sbyte, short, int, float, double
/// (big-endian, as the format defines); values are converted to float unchanged (no scaling).
///
/// The sizes in the header are checked against the file's length before anything is allocated.
/// Throws IoError naming the file (and the byte offset, counted in the decompressed stream for
/// gzip files) when it cannot be opened, has a wrong magic number or unknown type, claims more
/// data than it can hold, is truncated, or has bytes after the data.
Tensor read_idx(const std::string& path);

}  // namespace myelin::data
