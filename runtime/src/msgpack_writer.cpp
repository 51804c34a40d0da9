#include "keyspace/codec/msgpack_writer.hpp"

#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "keyspace/errors.hpp"

namespace keyspace::msgpack {

namespace {

constexpr std::uint64_t kMax32 = std::numeric_limits<std::uint32_t>::max();

[[noreturn]] void throw_too_long(std::size_t count) {
  throw EncodeError(fmt::format("a value holds {} members, elements or bytes in one place; MessagePack "
                                "counts at most {}",
                                count, kMax32));
}

}  // namespace

void Writer::big_endian(std::uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) byte(static_cast<unsigned>((value >> shift) & 0xFF));
}

void Writer::open(std::size_t count, unsigned fix, unsigned wide) {
  if (++depth_ > codec::kMaxDepth) {
    throw EncodeError(fmt::format("a value nests maps and arrays deeper than {} levels, more than the "
                                  "MessagePack reader accepts",
                                  codec::kMaxDepth));
  }
  if (count <= 15) {
    byte(fix | static_cast<unsigned>(count));
  } else if (count <= 0xFFFF) {
    byte(wide);
    big_endian(count, 2);
  } else if (count <= kMax32) {
    byte(wide + 1);
    big_endian(count, 4);
  } else {
    throw_too_long(count);
  }
}

void Writer::string(std::string_view text) {
  const std::size_t size = text.size();
  if (size <= 31) {
    byte(0xA0 | static_cast<unsigned>(size));
  } else if (size <= 0xFF) {
    byte(0xD9);
    big_endian(size, 1);
  } else if (size <= 0xFFFF) {
    byte(0xDA);
    big_endian(size, 2);
  } else if (size <= kMax32) {
    byte(0xDB);
    big_endian(size, 4);
  } else {
    throw_too_long(size);
  }
  out_.append(text.data(), size);
}

void Writer::uint64(std::uint64_t value) {
  if (value < 128) {
    byte(static_cast<unsigned>(value));  // positive fixint
  } else if (value <= 0xFF) {
    byte(0xCC);
    big_endian(value, 1);
  } else if (value <= 0xFFFF) {
    byte(0xCD);
    big_endian(value, 2);
  } else if (value <= kMax32) {
    byte(0xCE);
    big_endian(value, 4);
  } else {
    byte(0xCF);
    big_endian(value, 8);
  }
}

void Writer::int64(std::int64_t value) {
  if (value >= 0) {
    uint64(static_cast<std::uint64_t>(value));
    return;
  }
  // Two's complement: the low bytes of it are the value in each narrower format.
  const auto bits = static_cast<std::uint64_t>(value);
  if (value >= -32) {
    byte(static_cast<unsigned>(bits & 0xFF));  // negative fixint
  } else if (value >= std::numeric_limits<std::int8_t>::min()) {
    byte(0xD0);
    big_endian(bits, 1);
  } else if (value >= std::numeric_limits<std::int16_t>::min()) {
    byte(0xD1);
    big_endian(bits, 2);
  } else if (value >= std::numeric_limits<std::int32_t>::min()) {
    byte(0xD2);
    big_endian(bits, 4);
  } else {
    byte(0xD3);
    big_endian(bits, 8);
  }
}

void Writer::number(double value) {
  // float 32 when it holds the value exactly: the comparison is false for NaN, and infinities
  // are outside the range checked first.
  const bool fits_float = value >= static_cast<double>(std::numeric_limits<float>::lowest()) &&
                          value <= static_cast<double>(std::numeric_limits<float>::max()) &&
                          static_cast<double>(static_cast<float>(value)) == value;
  if (fits_float) {
    const float narrow = static_cast<float>(value);
    std::uint32_t bits = 0;
    std::memcpy(&bits, &narrow, sizeof bits);
    byte(0xCA);
    big_endian(bits, 4);
  } else {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    byte(0xCB);
    big_endian(bits, 8);
  }
}

}  // namespace keyspace::msgpack
