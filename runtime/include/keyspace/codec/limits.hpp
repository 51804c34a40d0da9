#pragma once
// For generated code: the value codecs generated accessors store with (keyspace/codec/).
// What the readers and writers of structured values (JSON and MessagePack) share: how deep a
// document may nest, and the error a reader throws.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace keyspace::codec {

// How deep objects (maps) and arrays may nest. The readers refuse deeper documents, so that a
// hostile stored value cannot exhaust the stack of the recursive decoder; the writers refuse to
// write them, so that whatever is stored can be read back.
constexpr int kMaxDepth = 256;

// The bytes are not the document a reader was asked for. The message names the byte offset and,
// inside a declared type, the field being read; it never quotes the bytes (user data). The
// codecs turn it into keyspace::DecodeError naming the key template.
class ReadError : public std::runtime_error {
 public:
  ReadError(const std::string& message, std::size_t offset) : std::runtime_error(message), offset_(offset) {}
  std::size_t offset() const noexcept { return offset_; }

 private:
  std::size_t offset_;
};

// Throws ReadError "<problem> at byte N (field 'f')", or "... at the end of the value" when
// `at_end`; `field` may be null.
[[noreturn]] void throw_read_error(std::string_view problem, std::size_t offset, bool at_end, const char* field);

}  // namespace keyspace::codec
