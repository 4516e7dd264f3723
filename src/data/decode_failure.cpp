// Readable reasons for images that stb_image cannot decode.
#include "data/decode_failure.hpp"

#include <cctype>

namespace myelin::data {
namespace {

// stb_image's failure codes (stb_image.h's stbi__err calls) in words, by code.
struct Reason {
  const char* code;
  const char* words;
};
constexpr Reason kReasons[] = {
    {"outofdata", "the image data ends early"},
    {"read past buffer", "the image data ends early"},
    {"not enough pixels", "the image data ends early"},
    {"no IDAT", "the PNG has no image data"},
    {"bad png sig", "the file does not start as a PNG does"},
    {"unknown image type", "not a PNG, JPEG, BMP, GIF or TGA image"},
    {"zlib corrupt", "the compressed pixel data is damaged"},
    {"bad zlib header", "the compressed pixel data is damaged"},
    {"bad codelengths", "the compressed pixel data is damaged"},
    {"bad huffman code", "the compressed pixel data is damaged"},
    {"bad dist", "the compressed pixel data is damaged"},
    {"output buffer limit", "the compressed pixel data is damaged"},
    {"expected marker", "the JPEG data is damaged"},
    {"unknown marker", "the JPEG data is damaged"},
    {"no SOI", "the file does not start as a JPEG does"},
    {"outofmem", "the image is too large to decode"},
    {"too large", "the image is too large to decode"},
};

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Printable characters of a failure code only (stb's unknown-chunk code holds raw file bytes).
std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += std::isprint(c) ? static_cast<char>(c) : '?';
  return out;
}

std::string stb_words(const std::string& code) {
  for (const Reason& r : kReasons)
    if (code == r.code) return r.words;
  // "XXXX PNG chunk not known", where XXXX is the chunk type read (cut short when a chunk is).
  const std::string chunk = " PNG chunk not known";
  if (ends_with(code, chunk) || code.size() <= 4)
    return "an unknown or cut-off PNG chunk '" + printable(code.substr(0, code.find(chunk))) + "'";
  if (starts_with(code, "bad ")) return "damaged header or data ('" + printable(code) + "')";
  return "'" + printable(code) + "'";
}

// What the bytes show about truncation: a PNG must end with its IEND chunk, a JPEG with its
// end-of-image marker. Empty when they show nothing.
std::string truncation(const std::string& bytes) {
  if (starts_with(bytes, std::string("\x89PNG\r\n\x1a\n", 8)) &&
      !(bytes.size() >= 12 && bytes.compare(bytes.size() - 8, 4, "IEND") == 0))
    return "it ends before the PNG's closing IEND chunk";
  if (starts_with(bytes, "\xff\xd8") && !ends_with(bytes, "\xff\xd9"))
    return "it ends without the JPEG's end-of-image marker";
  return "";
}

}  // namespace

std::string decode_failure(const std::string& bytes, const std::string& stb_reason) {
  if (bytes.empty()) return "the file is empty";
  const std::string cut = truncation(bytes);
  const std::string stb = "stb_image: " + stb_words(stb_reason);
  return cut.empty() ? "the file is corrupt or truncated (" + stb + ")" : "the file is truncated: " + cut + " (" + stb + ")";
}

}  // namespace myelin::data
