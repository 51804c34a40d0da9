#include "keyspace/codec/json_reader.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <system_error>

#include <fmt/format.h>

#include "utf8.hpp"

namespace keyspace::json {

namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// The bytes a string may hold as they are and that need no further look: printable ASCII but
// the quote and the backslash. One table lookup per byte in the loop over a string.
constexpr std::array<bool, 256> make_plain_table() {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}
constexpr std::array<bool, 256> kPlain = make_plain_table();

bool is_plain(char c) noexcept { return kPlain[static_cast<unsigned char>(c)]; }

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_high_surrogate(std::uint32_t u) noexcept { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low_surrogate(std::uint32_t u) noexcept { return u >= 0xDC00 && u <= 0xDFFF; }

}  // namespace

void Reader::fail(std::string_view problem) const { fail_at(pos_, problem); }

void Reader::fail_at(const char* where, std::string_view problem) const {
  codec::throw_read_error(problem, static_cast<std::size_t>(where - begin_), where >= end_, field_);
}

void Reader::enter() {
  if (++depth_ > codec::kMaxDepth) fail(fmt::format("objects and arrays nested deeper than {} levels", codec::kMaxDepth));
  ++pos_;
  first_ = true;
}

void Reader::begin_object() {
  if (peek() != '{') fail("expected an object");
  enter();
}

void Reader::begin_array() {
  if (peek() != '[') fail("expected an array");
  enter();
}

bool Reader::next_item(char bracket, std::string_view expected) {
  const int c = peek();
  if (c == bracket) {
    ++pos_;
    --depth_;
    first_ = false;
    return false;
  }
  if (!first_) {
    if (c != ',') fail(expected);
    ++pos_;
  }
  first_ = false;
  return true;
}

bool Reader::next_key(std::string_view& name) {
  if (!next_item('}', "expected ',' or '}'")) return false;
  if (peek() != '"') fail("expected a member name");
  name = scan_string();
  if (peek() != ':') fail("expected ':'");
  ++pos_;
  return true;
}

bool Reader::next_element() { return next_item(']', "expected ',' or ']'"); }

std::string_view Reader::string() {
  if (peek() != '"') fail("expected a string");
  return scan_string();
}

// At the opening quote. Strings without escapes, the usual case, are returned as views of the
// text itself; the first backslash moves the rest into scratch_.
std::string_view Reader::scan_string() {
  const char* const start = ++pos_;
  while (pos_ < end_) {
    while (pos_ < end_ && is_plain(*pos_)) ++pos_;
    if (pos_ == end_) break;
    const auto c = static_cast<unsigned char>(*pos_);
    if (c == '"') return {start, static_cast<std::size_t>(pos_++ - start)};
    if (c == '\\') return scan_escaped(start);
    if (c < 0x20) fail("a control character in a string (it must be escaped)");
    const std::size_t length = detail::utf8_sequence_length(reinterpret_cast<const unsigned char*>(pos_),
                                                            reinterpret_cast<const unsigned char*>(end_));
    if (length == 0) fail("a string that is not UTF-8");
    pos_ += length;
  }
  fail_at(start - 1, "an unterminated string");
}

std::string_view Reader::scan_escaped(const char* start) {
  scratch_.assign(start, pos_);
  while (pos_ < end_) {
    const auto c = static_cast<unsigned char>(*pos_);
    if (c == '"') {
      ++pos_;
      return scratch_;
    }
    if (c == '\\') {
      append_escape();
      continue;
    }
    if (c < 0x20) fail("a control character in a string (it must be escaped)");
    std::size_t length = 1;
    if (c >= 0x80) {
      length = detail::utf8_sequence_length(reinterpret_cast<const unsigned char*>(pos_),
                                            reinterpret_cast<const unsigned char*>(end_));
      if (length == 0) fail("a string that is not UTF-8");
    }
    scratch_.append(pos_, length);
    pos_ += length;
  }
  fail_at(start - 1, "an unterminated string");
}

// At a backslash inside a string: appends what the escape stands for.
void Reader::append_escape() {
  const char* const at = pos_++;
  if (pos_ == end_) fail_at(at, "an unterminated string");
  const char e = *pos_++;
  switch (e) {
    case '"': scratch_.push_back('"'); return;
    case '\\': scratch_.push_back('\\'); return;
    case '/': scratch_.push_back('/'); return;
    case 'b': scratch_.push_back('\b'); return;
    case 'f': scratch_.push_back('\f'); return;
    case 'n': scratch_.push_back('\n'); return;
    case 'r': scratch_.push_back('\r'); return;
    case 't': scratch_.push_back('\t'); return;
    case 'u': break;
    default: fail_at(at, "an invalid escape in a string");
  }
  std::uint32_t cp = hex4();
  if (is_low_surrogate(cp)) fail_at(at, "a lone UTF-16 low surrogate escape");
  if (is_high_surrogate(cp)) {
    // A character above U+FFFF is escaped as a pair: high surrogate, then low surrogate.
    if (end_ - pos_ < 2 || pos_[0] != '\\' || pos_[1] != 'u') fail_at(at, "a UTF-16 high surrogate escape without its low half");
    pos_ += 2;
    const std::uint32_t low = hex4();
    if (!is_low_surrogate(low)) fail_at(at, "a UTF-16 high surrogate escape without its low half");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  detail::append_utf8(scratch_, cp);
}

std::uint32_t Reader::hex4() {
  if (end_ - pos_ < 4) fail("an incomplete \\u escape");
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    const int digit = hex_value(pos_[i]);
    if (digit < 0) fail("an incomplete \\u escape");
    value = (value << 4) | static_cast<std::uint32_t>(digit);
  }
  pos_ += 4;
  return value;
}

// An integer's sign and digits, leaving pos_ after them; false (pos_ unchanged) when the next
// token is not an integer: no digits, or followed by a fraction or an exponent.
bool Reader::scan_integer(std::uint64_t& magnitude, bool& negative) {
  peek();
  const char* p = pos_;
  negative = p < end_ && *p == '-';
  if (negative) ++p;
  if (p == end_ || !is_digit(*p)) return false;
  magnitude = 0;
  if (*p == '0') {
    ++p;
  } else {
    // 19 digits always fit in 64 bits; only a 20th can overflow, and a 21st always does.
    const char* const unchecked_end = end_ - p > 19 ? p + 19 : end_;
    for (; p < unchecked_end && is_digit(*p); ++p) magnitude = magnitude * 10 + static_cast<std::uint64_t>(*p - '0');
    if (p < end_ && is_digit(*p)) {
      constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
      const auto digit = static_cast<std::uint64_t>(*p - '0');
      if (magnitude > (kMax - digit) / 10 || (p + 1 < end_ && is_digit(p[1]))) fail("an integer out of range");
      magnitude = magnitude * 10 + digit;
      ++p;
    }
  }
  if (p < end_ && (*p == '.' || *p == 'e' || *p == 'E' || is_digit(*p))) return false;
  pos_ = p;
  return true;
}

std::int64_t Reader::int64() {
  std::uint64_t magnitude = 0;
  bool negative = false;
  if (!scan_integer(magnitude, negative)) fail("expected an integer");
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (magnitude > kMax + (negative ? 1 : 0)) fail("an integer out of the int64 range");
  // Negated in unsigned arithmetic: -2^63 has no positive int64 counterpart.
  return negative ? static_cast<std::int64_t>(~magnitude + 1) : static_cast<std::int64_t>(magnitude);
}

std::uint64_t Reader::uint64() {
  std::uint64_t magnitude = 0;
  bool negative = false;
  if (!scan_integer(magnitude, negative)) fail("expected an integer");
  if (negative && magnitude != 0) fail("a negative integer where an unsigned one belongs");
  return magnitude;
}

// The JSON number grammar is checked here; from_chars alone would also take "inf", "01", "1.".
double Reader::number() {
  peek();
  const char* p = pos_;
  if (p < end_ && *p == '-') ++p;
  if (p == end_ || !is_digit(*p)) fail("expected a number");
  if (*p == '0') {
    ++p;
  } else {
    while (p < end_ && is_digit(*p)) ++p;
  }
  if (p < end_ && *p == '.') {
    if (++p == end_ || !is_digit(*p)) fail("a number without digits after its decimal point");
    while (p < end_ && is_digit(*p)) ++p;
  }
  if (p < end_ && (*p == 'e' || *p == 'E')) {
    if (++p < end_ && (*p == '+' || *p == '-')) ++p;
    if (p == end_ || !is_digit(*p)) fail("a number without digits in its exponent");
    while (p < end_ && is_digit(*p)) ++p;
  }
  if (p < end_ && is_digit(*p)) fail("a number with a leading zero");
  double value = 0;
  const auto [ptr, ec] = std::from_chars(pos_, p, value);
  if (ec != std::errc() || ptr != p) fail("a number out of the range of double");
  pos_ = p;
  return value;
}

bool Reader::boolean() {
  const int c = peek();
  if (c == 't' && end_ - pos_ >= 4 && std::string_view(pos_, 4) == "true") {
    pos_ += 4;
    return true;
  }
  if (c == 'f' && end_ - pos_ >= 5 && std::string_view(pos_, 5) == "false") {
    pos_ += 5;
    return false;
  }
  fail("expected true or false");
}

bool Reader::consume_null() {
  if (peek() != 'n' || end_ - pos_ < 4 || std::string_view(pos_, 4) != "null") return false;
  pos_ += 4;
  return true;
}

// Recursion is bounded: begin_object / begin_array refuse to go deeper than codec::kMaxDepth.
void Reader::skip() {
  switch (peek()) {
    case '{':
      begin_object();
      for (std::string_view name; next_key(name);) skip();
      return;
    case '[':
      begin_array();
      while (next_element()) skip();
      return;
    case '"':
      scan_string();
      return;
    case 't':
    case 'f':
      boolean();
      return;
    case 'n':
      if (!consume_null()) fail("expected a value");
      return;
    case '-':
      number();
      return;
    default:
      if (pos_ == end_ || !is_digit(*pos_)) fail("expected a value");
      number();
  }
}

void Reader::finish() {
  field_ = nullptr;
  if (peek() != -1) fail("unexpected text after the value");
}

}  // namespace keyspace::json
