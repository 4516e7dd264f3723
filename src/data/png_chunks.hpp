#pragma once
// PNG chunk surgery done before stb_image sees a file.
#include <string>

namespace myelin::data {

// `bytes` without the PNG data chunks (IDAT) of length zero, which carry nothing: Debian's
// stb_image passes a null buffer to memcpy for such a chunk at the start of the image data
// (undefined behaviour that image_fuzz found under UBSan). Anything that is not a PNG, and any
// part after a chunk that runs past the end, is kept as it is for stb to judge.
std::string without_empty_png_data_chunks(std::string bytes);

}  // namespace myelin::data
