#include "keyspace/codec/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "keyspace/errors.hpp"
#include "utf8.hpp"

namespace keyspace::json {

namespace {

// The two-character escapes nlohmann::json writes; 0 where a control character is written as
// \u00xx instead, and for every byte that is written as it is.
constexpr char short_escape(unsigned char c) noexcept {
  switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    default: return 0;
  }
}

// The bytes written as they are without a further look: printable ASCII but the quote and the
// backslash. One table lookup per byte in the loop over a string.
constexpr std::array<bool, 256> make_plain_table() {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}
constexpr std::array<bool, 256> kPlain = make_plain_table();

bool plain(unsigned char c) noexcept { return kPlain[c]; }

void append_escape(std::string& out, unsigned char c) {
  constexpr char kHex[] = "0123456789abcdef";  // lower case, as nlohmann::json writes it
  out.push_back('\\');
  if (const char e = short_escape(c)) {
    out.push_back(e);
    return;
  }
  out.append("u00");
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0x0F]);
}

}  // namespace

void Writer::throw_too_deep() {
  throw EncodeError(fmt::format("a value nests objects and arrays deeper than {} levels, more than the "
                                "JSON reader accepts",
                                codec::kMaxDepth));
}

void Writer::string(std::string_view text) {
  separate();
  out_.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = p + text.size();
  while (p < end) {
    const auto* run = p;
    while (p < end && plain(*p)) ++p;
    out_.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    if (p == end) break;
    if (*p < 0x80) {
      append_escape(out_, *p++);
      continue;
    }
    const std::size_t length = detail::utf8_sequence_length(p, end);
    if (length == 0) {
      throw EncodeError(fmt::format("a string holds bytes that are not UTF-8 (at byte {}); JSON stores only "
                                    "text, binary data belongs in a bytes field",
                                    p - reinterpret_cast<const unsigned char*>(text.data())));
    }
    out_.append(reinterpret_cast<const char*>(p), length);
    p += length;
  }
  out_.push_back('"');
  need_comma_ = true;
}

void Writer::int64(std::int64_t value) { integer(value); }

void Writer::uint64(std::uint64_t value) { integer(value); }

template <class Int>
void Writer::integer(Int value) {
  separate();
  std::array<char, 24> digits;
  const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  out_.append(digits.data(), static_cast<std::size_t>(result.ptr - digits.data()));
  need_comma_ = true;
}

void Writer::number(double value) {
  if (!std::isfinite(value)) {
    null();  // what nlohmann::json writes for NaN and infinities
    return;
  }
  separate();
  append_double(out_, value);
  need_comma_ = true;
}

void append_double(std::string& out, double value) {
  if (std::signbit(value)) out.push_back('-');
  value = std::fabs(value);
  if (value == 0) {
    out.append("0.0");
    return;
  }
  // The shortest digits that read back exactly, as d.ddde±x: digits d1..dk, value = 0.d1..dk × 10^n.
  std::array<char, 32> scientific;
  const auto written = std::to_chars(scientific.data(), scientific.data() + scientific.size(), value,
                                     std::chars_format::scientific);
  const std::string_view text(scientific.data(), static_cast<std::size_t>(written.ptr - scientific.data()));
  const std::size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::from_chars(text.data() + e + (text[e + 1] == '+' ? 2 : 1), text.data() + text.size(), exponent);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // the decimal point's position after the first digit
  constexpr int kMinExp = -4, kMaxExp = 15;
  if (k <= n && n <= kMaxExp) {  // digits[000].0
    out.append(digits).append(static_cast<std::size_t>(n - k), '0').append(".0");
  } else if (0 < n && n <= kMaxExp) {  // dig.its
    out.append(digits, 0, static_cast<std::size_t>(n)).append(".").append(digits, static_cast<std::size_t>(n));
  } else if (kMinExp < n && n <= 0) {  // 0.[000]digits
    out.append("0.").append(static_cast<std::size_t>(-n), '0').append(digits);
  } else {  // d[.igits]e±xx
    out.push_back(digits[0]);
    if (k > 1) out.append(".").append(digits, 1);
    const int x = n - 1;
    out.push_back('e');
    out.push_back(x < 0 ? '-' : '+');
    const std::string magnitude = std::to_string(x < 0 ? -x : x);
    if (magnitude.size() < 2) out.push_back('0');
    out.append(magnitude);
  }
}

}  // namespace keyspace::json
