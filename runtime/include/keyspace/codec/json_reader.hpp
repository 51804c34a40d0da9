#pragma once
// For generated code: the value codecs generated accessors store with (keyspace/codec/).
// A pull reader of JSON text (RFC 8259) over a std::string_view, for the codecs of declared
// types: generated read functions ask for exactly the value they expect next, and nothing is
// built but the struct itself. Strict: the whole grammar and nothing more (no comments, no
// trailing commas, no byte order mark), strings must be UTF-8 and are unescaped (\uXXXX and
// surrogate pairs become UTF-8; lone surrogates are refused), integers must fit the type asked
// for, and containers nest at most codec::kMaxDepth deep. Every refusal throws codec::ReadError
// (keyspace/codec/limits.hpp).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "keyspace/codec/limits.hpp"

namespace keyspace::json {

class Reader {
 public:
  explicit Reader(std::string_view text) noexcept
      : begin_(text.data()), pos_(text.data()), end_(text.data() + text.size()) {}

  // Objects: begin_object(), then next_key() before each member (false after the last one,
  // with the closing brace consumed), then the member's value.
  void begin_object();
  bool next_key(std::string_view& name);
  // Arrays: begin_array(), then next_element() before each element (false after the last).
  void begin_array();
  bool next_element();

  // A view of the unescaped string; valid until the reader reads the next string.
  std::string_view string();
  std::int64_t int64();    // an integer (no fraction, no exponent) within int64
  std::uint64_t uint64();  // a non-negative integer within uint64
  double number();         // any number; integers too
  bool boolean();
  // Consumes a null when one comes next; false (nothing consumed) otherwise.
  bool consume_null();
  // Skips one value of any type (members of newer schema versions).
  void skip();
  // Throws unless only whitespace is left.
  void finish();

  // The field whose value is read next, named in messages; generated code sets it.
  void at_field(const char* name) noexcept { field_ = name; }
  // Throws codec::ReadError about the current position: "<problem> at byte N (field 'f')".
  [[noreturn]] void fail(std::string_view problem) const;

 private:
  // The next byte after whitespace, or -1 at the end. Inline: it runs before every token.
  int peek() noexcept {
    while (pos_ < end_ && (*pos_ == ' ' || *pos_ == '\n' || *pos_ == '\r' || *pos_ == '\t')) ++pos_;
    return pos_ < end_ ? static_cast<unsigned char>(*pos_) : -1;
  }
  void enter();
  // Past the container's closing `bracket` (false), or past the comma before its next item.
  bool next_item(char bracket, std::string_view expected);
  std::string_view scan_string();
  std::string_view scan_escaped(const char* start);
  void append_escape();
  std::uint32_t hex4();
  bool scan_integer(std::uint64_t& magnitude, bool& negative);
  [[noreturn]] void fail_at(const char* where, std::string_view problem) const;

  const char* begin_;
  const char* pos_;
  const char* end_;
  const char* field_ = nullptr;
  int depth_ = 0;
  bool first_ = false;    // at the first member or element of the container just begun
  std::string scratch_;  // unescaped text of a string that held escapes
};

}  // namespace keyspace::json
