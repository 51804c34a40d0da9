#pragma once
// Runtime internals (keyspace/detail/): the wire plumbing under the kinds' operations, not an
// API of its own; it changes whenever the runtime API version (keyspace/version.hpp) does.
// Escaping of parameter values into one key segment (see DESIGN.md, "Keys at runtime").
// '%', ':', '{', '}', '*', '?', '[', ']', '\\', whitespace and control bytes (< 0x20, 0x7f) are
// percent-encoded as %XX (upper-case hex). Every other byte, including UTF-8, is kept as is, so
// escaped values are readable, never contain the separator or glob/hash-tag characters, and
// distinct values always give distinct segments.

#include <optional>
#include <string>
#include <string_view>

namespace keyspace {

// Appends the escaped form of `value` to `out`.
void append_escaped(std::string& out, std::string_view value);
std::string escape_segment(std::string_view value);
// Inverse of escape_segment; nullopt when `segment` is not a valid escaped segment.
std::optional<std::string> unescape_segment(std::string_view segment);

}  // namespace keyspace
