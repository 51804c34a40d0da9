#pragma once
// A string parameter's `pattern` as the runtime reads it: RE2 syntax, matched against the whole
// value, byte by byte (Latin-1), in time linear in the value.

#include <string>

namespace keyspace::gen {

// Why `pattern` does not compile, or "" when it does.
std::string pattern_error(const std::string& pattern);
// Whether the whole of `text` matches `pattern` (false for a pattern that does not compile).
bool pattern_matches(const std::string& pattern, const std::string& text);

}  // namespace keyspace::gen
