#pragma once
// For generated code: the value codecs generated accessors store with (keyspace/codec/).
// A pull reader of MessagePack over a std::string_view, with the interface of the JSON reader
// (keyspace/codec/json_reader.hpp), so that one generated read function per declared type
// serves both. It reads every format nlohmann::json's to_msgpack writes and any other writer may
// use for the same values: integers in any width (each checked against the type asked for),
// float 32 and 64, and integers where a double is asked for, strings in all four formats (as
// bytes: nothing is checked), maps whose keys are strings. Binary, extension and timestamp
// formats are refused (values of the schema language never use them), as is a document nested
// deeper than codec::kMaxDepth, a count larger than the bytes that are left, and bytes after the
// value. Every refusal throws codec::ReadError.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "keyspace/codec/limits.hpp"

namespace keyspace::msgpack {

class Reader {
 public:
  explicit Reader(std::string_view bytes) noexcept
      : begin_(reinterpret_cast<const unsigned char*>(bytes.data())), pos_(begin_), end_(begin_ + bytes.size()) {}

  // Maps: begin_object(), then next_key() before each member (false after the last one), then
  // the member's value. Arrays: begin_array(), then next_element() before each element.
  void begin_object();
  bool next_key(std::string_view& name);
  void begin_array();
  bool next_element();

  // A view of the string's bytes in the input.
  std::string_view string();
  std::int64_t int64();
  std::uint64_t uint64();
  double number();  // a float, or an integer (as the nearest double)
  bool boolean();
  // Consumes a nil when one comes next; false (nothing consumed) otherwise.
  bool consume_null();
  // Skips one value of any type (members of newer schema versions).
  void skip();
  // Throws unless the input has been read to its end.
  void finish();

  // The field whose value is read next, named in messages; generated code sets it.
  void at_field(const char* name) noexcept { field_ = name; }
  // Throws codec::ReadError about the current position: "<problem> at byte N (field 'f')".
  [[noreturn]] void fail(std::string_view problem) const;

 private:
  // What an integer format holds: its magnitude and sign.
  struct Integer {
    std::uint64_t magnitude;
    bool negative;
  };
  int peek() const noexcept { return pos_ < end_ ? *pos_ : -1; }
  // The next `bytes` bytes as a big-endian number.
  std::uint64_t big_endian(int bytes);
  // The count of a map or array at pos_ (already known to be one), past its header.
  std::uint64_t container_count(unsigned fix_mask, unsigned wide);
  void enter(std::uint64_t items);
  bool next_item();
  bool scan_integer(Integer& out);
  // The length of a string at pos_, past its header; false (nothing consumed) if none is there.
  bool scan_string_length(std::uint64_t& length);

  const unsigned char* begin_;
  const unsigned char* pos_;
  const unsigned char* end_;
  const char* field_ = nullptr;
  int depth_ = 0;
  // The items (map keys and values count one each) left in each open container.
  std::uint64_t left_[codec::kMaxDepth] = {};
};

}  // namespace keyspace::msgpack
