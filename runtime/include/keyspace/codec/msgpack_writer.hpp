#pragma once
// For generated code: the value codecs generated accessors store with (keyspace/codec/).
// A MessagePack writer that appends to a std::string, with the interface of the JSON writer
// (keyspace/codec/json_writer.hpp), so that one generated write function per declared type
// serves both. Its output is byte for byte what nlohmann::json's to_msgpack writes for the same
// values, which is how stored values were written before it existed: every integer in the
// smallest format that holds it (non-negative ones in the unsigned formats), a double as float 32
// when that holds it exactly and as float 64 otherwise (NaN and infinities included), strings as
// fixstr / str 8 / 16 / 32, arrays and maps in their fix / 16 / 32 formats. Strings are bytes
// here: MessagePack carries any, and nothing is checked or escaped.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "keyspace/codec/limits.hpp"

namespace keyspace::msgpack {

class Writer {
 public:
  Writer() { out_.reserve(128); }

  // A map or array of `count` members or elements, written next. Containers nested deeper than
  // codec::kMaxDepth throw keyspace::EncodeError, as do more than 2^32 - 1 members.
  void begin_object(std::size_t count) { open(count, 0x80, 0xDE); }
  void end_object() noexcept { --depth_; }
  void begin_array(std::size_t count) { open(count, 0x90, 0xDC); }
  void end_array() noexcept { --depth_; }

  // A member name; the member's value is written next.
  void key(std::string_view name) { string(name); }
  void plain_key(std::string_view name) { string(name); }

  void string(std::string_view text);
  void int64(std::int64_t value);
  void uint64(std::uint64_t value);
  void number(double value);
  void boolean(bool value) { byte(value ? 0xC3 : 0xC2); }
  void null() { byte(0xC0); }

  const std::string& text() const noexcept { return out_; }
  std::string take() && { return std::move(out_); }

 private:
  // `fix` is the format byte of a container of up to 15 (0x80 fixmap, 0x90 fixarray), `wide`
  // that of the 16-bit count; the 32-bit one follows it.
  void open(std::size_t count, unsigned fix, unsigned wide);
  void byte(unsigned value) { out_.push_back(static_cast<char>(value)); }
  // `value` in big-endian order, `bytes` of it.
  void big_endian(std::uint64_t value, int bytes);

  std::string out_;
  int depth_ = 0;
};

}  // namespace keyspace::msgpack
