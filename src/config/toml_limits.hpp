#pragma once
// Reading a TOML config within limits: the file's size and its nesting depth are checked on the
// text before the TOML parser sees it, because toml++ recurses once per level of a table header
// or dotted key, and a 100 KB file of 50,000 levels overflows the stack. Internal to src/config.
#include <toml++/toml.h>

#include <cstdint>
#include <string>

namespace myelin::config {

/// The largest config file read, in bytes (a config of a few hundred layers and a long
/// class_names list is well under 1 MiB).
inline constexpr int64_t kMaxConfigBytes = int64_t{16} << 20;

/// The deepest nesting a config may have: the parts of a table header ([a.b.c] is 3), of a
/// dotted key (a.b = is 2), and the arrays and inline tables open around a value, counted
/// together along any path from the root (myelin's own configs need at most 6).
inline constexpr int kMaxConfigDepth = 64;

/// Throws Error "<path>:<line>: ..." at the first point where `text` nests deeper than
/// kMaxConfigDepth. Strings and comments are skipped as TOML defines them, so brackets and dots
/// inside them do not count. Malformed TOML is left to the parser: this only bounds depth.
void check_toml_depth(const std::string& text, const std::string& path);

/// Reads and parses the TOML file at `path`, within kMaxConfigBytes and kMaxConfigDepth.
/// Throws IoError when it cannot be opened or is too large, Error "<path>:<line>: ..." when it
/// nests too deeply or is not valid TOML.
toml::table parse_toml_file(const std::string& path);

}  // namespace myelin::config
