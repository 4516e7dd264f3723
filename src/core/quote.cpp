// quote_prefix and quote_list: short, one-line quotes of file content for error messages.
#include "myelin/quote.hpp"

namespace myelin {
namespace {

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string quote_prefix(std::string_view text, size_t max_bytes) {
  size_t shown = text.size();
  if (shown > max_bytes) {
    shown = max_bytes;
    while (shown > 0 && is_utf8_continuation(text[shown])) --shown;  // do not split a character
  }
  std::string out = "'";
  for (char c : text.substr(0, shown)) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  if (shown == text.size()) return out + "'";
  return out + "...' (" + std::to_string(text.size()) + " bytes)";
}

std::string quote_list(const std::vector<std::string>& items, size_t max_items) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max_items; ++i) out += (i ? ", " : "") + quote_prefix(items[i]);
  if (items.size() > max_items) out += ", ... (" + std::to_string(items.size()) + " in all)";
  return out;
}

}  // namespace myelin
