#pragma once
// For generated code: the value codecs generated accessors store with (keyspace/codec/).
// A JSON writer that appends to a std::string, for the codecs of declared types (generated
// write functions call it field by field; no document is built). Its output is byte for byte
// what nlohmann::json's dump() writes for the same values, which is how stored values were
// written before it existed: no whitespace, strings escaped the same way (\" \\ \b \f \n \r \t,
// other control characters as \u00xx, everything else kept as UTF-8), doubles in the shortest
// form that reads back exactly ("1.0", "0.1", "1e+20"; append_double), non-finite doubles as null.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "keyspace/codec/limits.hpp"

namespace keyspace::json {

// Appends a finite double as JSON in the layout nlohmann::json uses: the shortest digits that
// read back exactly (std::to_chars), "-" for negative values and -0, "0.0" for zero, integral
// values with ".0", plain decimals while the decimal point is within 15 digits of the first
// (down to 0.0001), otherwise d.ddde±xx with at least two exponent digits. Written here, not taken
// from nlohmann (whose formatter is internal API), so stored digits change only with this code;
// tests/unit/runtime/json_writer_test.cpp pins them.
void append_double(std::string& out, double value);

class Writer {
 public:
  // Values of declared types are small; one allocation up front avoids the string doubling
  // its way up through several.
  Writer() { out_.reserve(128); }

  // Containers nested deeper than codec::kMaxDepth throw keyspace::EncodeError. The count of
  // members or elements is for writers that put it first (MessagePack); JSON has no use for it.
  void begin_object(std::size_t /*members*/) { open('{'); }
  void end_object() { close('}'); }
  void begin_array(std::size_t /*elements*/) { open('['); }
  void end_array() { close(']'); }

  // A member name; the member's value is written next.
  void key(std::string_view name) {
    string(name);
    out_.push_back(':');
    need_comma_ = false;
  }
  // The same for a name that needs no escaping (the field names of declared types, which are
  // lower_snake), written without looking at its characters.
  void plain_key(std::string_view name) {
    separate();
    out_.push_back('"');
    out_.append(name.data(), name.size());
    out_.append("\":", 2);
    need_comma_ = false;
  }

  // Throws keyspace::EncodeError when `text` is not UTF-8: JSON text cannot carry it (binary
  // data belongs in a bytes field, which is stored as base64).
  void string(std::string_view text);
  void int64(std::int64_t value);
  void uint64(std::uint64_t value);
  void number(double value);
  void boolean(bool value) {
    separate();
    out_.append(value ? "true" : "false");
    need_comma_ = true;
  }
  void null() {
    separate();
    out_.append("null");
    need_comma_ = true;
  }

  const std::string& text() const noexcept { return out_; }
  std::string take() && { return std::move(out_); }

 private:
  // Commas go before every member and element but the first of its container; a container
  // that just ended is itself a value of the one around it.
  void separate() {
    if (need_comma_) out_.push_back(',');
  }
  void open(char bracket) {
    if (++depth_ > codec::kMaxDepth) throw_too_deep();
    separate();
    out_.push_back(bracket);
    need_comma_ = false;
  }
  void close(char bracket) {
    --depth_;
    out_.push_back(bracket);
    need_comma_ = true;
  }
  template <class Int>
  void integer(Int value);  // int64 and uint64
  [[noreturn]] static void throw_too_deep();

  std::string out_;
  int depth_ = 0;
  bool need_comma_ = false;
};

}  // namespace keyspace::json
