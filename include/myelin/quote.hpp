#pragma once
// Quoting text from files in messages: a short prefix, so a huge cell or name (or a list of
// thousands) cannot flood stderr.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace myelin {

/// The longest text quote_prefix quotes whole.
inline constexpr size_t kQuotedPrefixBytes = 40;

/// `text` in single quotes for a message: whole when it has at most `max_bytes` bytes, else its
/// first `max_bytes` bytes (cut back to a UTF-8 character boundary) followed by
/// "...' (N bytes)". Line breaks and tabs are shown as \n, \r and \t, so one message stays one
/// line. Example: quote_prefix("abc") == "'abc'".
std::string quote_prefix(std::string_view text, size_t max_bytes = kQuotedPrefixBytes);

/// The first `max_items` of `items`, each with quote_prefix, joined by ", ", and
/// ", ... (N in all)" when there are more. Example: quote_list({"a", "b"}) == "'a', 'b'".
std::string quote_list(const std::vector<std::string>& items, size_t max_items = 20);

}  // namespace myelin
