#include "keyspace/codec/codec.hpp"

#include <array>
#include <charconv>
#include <cstddef>
#include <system_error>

#include <fmt/format.h>

namespace keyspace {

void throw_decode_error(const KeySpec& spec, std::string_view detail) {
  // The stored bytes are left out of the message: they are user data and may be large.
  throw DecodeError(fmt::format("stored value of {} does not decode: {}", spec.name, detail),
                    spec.key_template);
}

namespace {

// from_chars accepts neither leading whitespace nor '+', and the whole text must be consumed.
template <class T>
bool parse_whole(std::string_view text, T& out) {
  if (text.empty()) return false;
  const char* const end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

// Integers decode from the one spelling the encoders (and INCRBY) write: no leading zeros, no
// "-0". Redis itself refuses INCR on "007", so a counter never reads as a number Redis would not
// count with, and one number has one stored form.
bool parse_canonical(std::string_view text, std::int64_t& out) {
  if (!parse_whole(text, out)) return false;
  const std::string_view digits = text.front() == '-' ? text.substr(1) : text;
  return (digits.size() == 1 || digits.front() != '0') && text != "-0";
}

}  // namespace

std::string Int64Codec::encode(std::int64_t v) { return fmt::format("{}", v); }

std::int64_t Int64Codec::decode(std::string_view text, const KeySpec& spec) {
  std::int64_t value = 0;
  if (!parse_canonical(text, value)) throw_decode_error(spec, "not a decimal int64");
  return value;
}

// fmt prints the shortest text that reads back to the same double.
std::string DoubleCodec::encode(double v) { return fmt::format("{}", v); }

double DoubleCodec::decode(std::string_view text, const KeySpec& spec) {
  double value = 0;
  if (!parse_whole(text, value)) throw_decode_error(spec, "not a decimal double");
  return value;
}

bool BoolCodec::decode(std::string_view text, const KeySpec& spec) {
  if (text == "1") return true;
  if (text == "0") return false;
  throw_decode_error(spec, "not a bool (expected \"0\" or \"1\")");
}

std::string TimestampCodec::encode(Timestamp v) {
  return fmt::format("{}", v.time_since_epoch().count());
}

Timestamp TimestampCodec::decode(std::string_view text, const KeySpec& spec) {
  std::int64_t millis = 0;
  if (!parse_canonical(text, millis)) {
    throw_decode_error(spec, "not a timestamp (decimal milliseconds since the Unix epoch)");
  }
  return Timestamp(std::chrono::milliseconds(millis));
}

// --- base64 (RFC 4648, standard alphabet, with padding) ----------------------------------------

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<signed char, 256> make_decode_table() {
  std::array<signed char, 256> table{};
  for (auto& entry : table) entry = -1;
  for (int i = 0; i < 64; ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<signed char>(i);
  return table;
}

constexpr std::array<signed char, 256> kDecodeTable = make_decode_table();

int sextet(char c) { return kDecodeTable[static_cast<unsigned char>(c)]; }

}  // namespace

std::string base64_encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(data[i]) << 16) |
                   (static_cast<unsigned char>(data[i + 1]) << 8) |
                   static_cast<unsigned char>(data[i + 2]);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63],
            kAlphabet[n & 63]};
  }
  const std::size_t rest = data.size() - i;
  if (rest == 0) return out;
  unsigned n = static_cast<unsigned>(static_cast<unsigned char>(data[i])) << 16;
  if (rest == 2) n |= static_cast<unsigned>(static_cast<unsigned char>(data[i + 1])) << 8;
  out += kAlphabet[(n >> 18) & 63];
  out += kAlphabet[(n >> 12) & 63];
  out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
  out += '=';
  return out;
}

// Strict: the length is a multiple of 4, '=' appears only as one or two final characters, and
// the unused low bits of the last group are zero, so every byte string has exactly one
// accepted encoding.
bool base64_decode(std::string_view text, std::string& out) {
  if (text.size() % 4 != 0) return false;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  std::string decoded;
  decoded.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const std::size_t data_chars = last ? 4 - padding : 4;
    unsigned n = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const int v = j < data_chars ? sextet(text[i + j]) : 0;
      if (v < 0) return false;
      n = (n << 6) | static_cast<unsigned>(v);
    }
    decoded += static_cast<char>((n >> 16) & 0xff);
    if (data_chars >= 3) decoded += static_cast<char>((n >> 8) & 0xff);
    if (data_chars == 4) decoded += static_cast<char>(n & 0xff);
    if (data_chars == 2 && (n & 0xffff) != 0) return false;
    if (data_chars == 3 && (n & 0xff) != 0) return false;
  }
  out = std::move(decoded);
  return true;
}

}  // namespace keyspace
