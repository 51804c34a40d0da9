#include "keyspace/codec/msgpack_reader.hpp"

#include <cstring>
#include <limits>

#include <fmt/format.h>

namespace keyspace::msgpack {

void Reader::fail(std::string_view problem) const {
  codec::throw_read_error(problem, static_cast<std::size_t>(pos_ - begin_), pos_ >= end_, field_);
}

std::uint64_t Reader::big_endian(int bytes) {
  if (end_ - pos_ < bytes) fail("a value cut short");
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | *pos_++;
  return value;
}

// Formats: fixmap 0x80-0x8f and fixarray 0x90-0x9f hold their count in the low four bits; map
// 16/32 and array 16/32 are `wide` and the byte after it.
std::uint64_t Reader::container_count(unsigned fix_mask, unsigned wide) {
  const unsigned c = *pos_++;
  if ((c & 0xF0) == fix_mask) return c & 0x0F;
  return big_endian(c == wide ? 2 : 4);
}

void Reader::enter(std::uint64_t items) {
  if (depth_ >= codec::kMaxDepth) {
    fail(fmt::format("objects and arrays nested deeper than {} levels", codec::kMaxDepth));
  }
  // Every item takes a byte at least: a count beyond what is left is a lie, refused before a loop
  // runs on it.
  if (items > static_cast<std::uint64_t>(end_ - pos_)) fail("a map or array counting more items than there are bytes");
  left_[depth_++] = items;
}

void Reader::begin_object() {
  const int c = peek();
  if (!((c & 0xF0) == 0x80 || c == 0xDE || c == 0xDF)) fail("expected an object");
  enter(container_count(0x80, 0xDE));
}

void Reader::begin_array() {
  const int c = peek();
  if (!((c & 0xF0) == 0x90 || c == 0xDC || c == 0xDD)) fail("expected an array");
  enter(container_count(0x90, 0xDC));
}

bool Reader::next_item() {
  std::uint64_t& left = left_[depth_ - 1];
  if (left == 0) {
    --depth_;
    return false;
  }
  --left;
  return true;
}

bool Reader::next_key(std::string_view& name) {
  if (!next_item()) return false;
  std::uint64_t length = 0;
  if (!scan_string_length(length)) fail("expected a member name");
  name = {reinterpret_cast<const char*>(pos_), static_cast<std::size_t>(length)};
  pos_ += length;
  return true;
}

bool Reader::next_element() { return next_item(); }

bool Reader::scan_string_length(std::uint64_t& length) {
  const int c = peek();
  if ((c & 0xE0) == 0xA0) {  // fixstr 0xa0-0xbf
    ++pos_;
    length = static_cast<unsigned>(c) & 0x1F;
  } else if (c >= 0xD9 && c <= 0xDB) {  // str 8, 16, 32
    ++pos_;
    length = big_endian(1 << (c - 0xD9));
  } else {
    return false;
  }
  if (length > static_cast<std::uint64_t>(end_ - pos_)) fail("a string cut short");
  return true;
}

std::string_view Reader::string() {
  std::uint64_t length = 0;
  if (!scan_string_length(length)) fail("expected a string");
  const std::string_view text(reinterpret_cast<const char*>(pos_), static_cast<std::size_t>(length));
  pos_ += length;
  return text;
}

bool Reader::scan_integer(Integer& out) {
  const int c = peek();
  if (c < 0) return false;
  if (c <= 0x7F || c >= 0xE0) {  // positive and negative fixint
    ++pos_;
    out = c <= 0x7F ? Integer{static_cast<std::uint64_t>(c), false} : Integer{static_cast<std::uint64_t>(256 - c), true};
    return true;
  }
  if (c >= 0xCC && c <= 0xCF) {  // uint 8, 16, 32, 64
    ++pos_;
    out = {big_endian(1 << (c - 0xCC)), false};
    return true;
  }
  if (c >= 0xD0 && c <= 0xD3) {  // int 8, 16, 32, 64: two's complement of that width
    ++pos_;
    const int bits = 8 << (c - 0xD0);
    const std::uint64_t raw = big_endian(bits / 8);
    const std::uint64_t mask = bits == 64 ? std::numeric_limits<std::uint64_t>::max() : (std::uint64_t{1} << bits) - 1;
    const bool negative = (raw >> (bits - 1)) & 1;
    out = {negative ? ((~raw & mask) + 1) : raw, negative};
    return true;
  }
  return false;
}

std::int64_t Reader::int64() {
  Integer value{};
  if (!scan_integer(value)) fail("expected an integer");
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!value.negative && value.magnitude > kMax) fail("an integer out of the int64 range");
  // Negated in unsigned arithmetic: -2^63 has no positive int64 counterpart.
  return value.negative ? static_cast<std::int64_t>(~value.magnitude + 1) : static_cast<std::int64_t>(value.magnitude);
}

std::uint64_t Reader::uint64() {
  Integer value{};
  if (!scan_integer(value)) fail("expected an integer");
  if (value.negative) fail("a negative integer where an unsigned one belongs");
  return value.magnitude;
}

double Reader::number() {
  const int c = peek();
  if (c == 0xCA) {
    ++pos_;
    const auto bits = static_cast<std::uint32_t>(big_endian(4));
    float value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  if (c == 0xCB) {
    ++pos_;
    const std::uint64_t bits = big_endian(8);
    double value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  Integer value{};
  if (!scan_integer(value)) fail("expected a number");
  const auto magnitude = static_cast<double>(value.magnitude);
  return value.negative ? -magnitude : magnitude;
}

bool Reader::boolean() {
  const int c = peek();
  if (c != 0xC2 && c != 0xC3) fail("expected true or false");
  ++pos_;
  return c == 0xC3;
}

bool Reader::consume_null() {
  if (peek() != 0xC0) return false;
  ++pos_;
  return true;
}

// Recursion is bounded: begin_object / begin_array refuse to go deeper than codec::kMaxDepth.
void Reader::skip() {
  const int c = peek();
  if ((c & 0xF0) == 0x80 || c == 0xDE || c == 0xDF) {
    begin_object();
    for (std::string_view name; next_key(name);) skip();
  } else if ((c & 0xF0) == 0x90 || c == 0xDC || c == 0xDD) {
    begin_array();
    while (next_element()) skip();
  } else if ((c & 0xE0) == 0xA0 || (c >= 0xD9 && c <= 0xDB)) {
    string();
  } else if (c == 0xCA || c == 0xCB) {
    number();
  } else if (c == 0xC2 || c == 0xC3) {
    boolean();
  } else if (Integer value{}; !consume_null() && !scan_integer(value)) {
    // Binary (0xc4-0xc6), extension (0xc7-0xc9, 0xd4-0xd8) and the never-used 0xc1.
    fail(c < 0 ? "expected a value" : "a MessagePack format no value of the schema language uses");
  }
}

void Reader::finish() {
  field_ = nullptr;
  if (pos_ != end_) fail("bytes after the value");
}

}  // namespace keyspace::msgpack
