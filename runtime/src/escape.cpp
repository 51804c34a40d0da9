#include "keyspace/detail/escape.hpp"

#include <cstddef>

namespace keyspace {

namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

// The bytes that may never appear raw in a segment: the separator, glob and hash-tag
// characters, the escape character itself, whitespace and control bytes.
constexpr bool must_escape(unsigned char c) noexcept {
  switch (c) {
    case '%':
    case ':':
    case '{':
    case '}':
    case '*':
    case '?':
    case '[':
    case ']':
    case '\\':
      return true;
    default:
      return c <= 0x20 || c == 0x7f;
  }
}

// Only upper-case digits are accepted: each byte has exactly one escaped form, so unescaping
// is the exact inverse of escaping and two spellings of one value cannot exist.
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void append_escaped(std::string& out, std::string_view value) {
  out.reserve(out.size() + value.size());
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (must_escape(c)) {
      out.push_back('%');
      out.push_back(kHexDigits[c >> 4]);
      out.push_back(kHexDigits[c & 0x0f]);
    } else {
      out.push_back(ch);
    }
  }
}

std::string escape_segment(std::string_view value) {
  std::string out;
  append_escaped(out, value);
  return out;
}

std::optional<std::string> unescape_segment(std::string_view segment) {
  std::string out;
  out.reserve(segment.size());
  for (std::size_t i = 0; i < segment.size(); ++i) {
    const auto c = static_cast<unsigned char>(segment[i]);
    if (c != '%') {
      if (must_escape(c)) return std::nullopt;
      out.push_back(segment[i]);
      continue;
    }
    if (segment.size() - i < 3) return std::nullopt;  // '%' needs two hex digits after it
    const int high = hex_value(segment[i + 1]);
    const int low = hex_value(segment[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    const auto decoded = static_cast<unsigned char>(high * 16 + low);
    // A byte that escaping keeps raw must not arrive escaped, or one value would have two keys.
    if (!must_escape(decoded)) return std::nullopt;
    out.push_back(static_cast<char>(decoded));
    i += 2;
  }
  return out;
}

}  // namespace keyspace
