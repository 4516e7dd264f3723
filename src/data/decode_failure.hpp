#pragma once
// Why an image file did not decode, in words: stb_image's terse failure codes ("outofdata",
// or a cut-off chunk type such as "IDA") and what the file's bytes show (a PNG without its
// closing chunk, a JPEG without its end marker: truncated).
#include <string>

namespace myelin::data {

/// A readable reason for stb_image failing on `bytes` with failure code `stb_reason`, e.g.
/// "the file is truncated: it ends before the PNG's closing IEND chunk (stb_image: the image
/// data ends early)", or "the file is corrupt or truncated (stb_image: ...)".
std::string decode_failure(const std::string& bytes, const std::string& stb_reason);

}  // namespace myelin::data
