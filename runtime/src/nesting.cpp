#include "keyspace/codec/nesting.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "keyspace/codec/codec.hpp"
#include "keyspace/codec/limits.hpp"

namespace keyspace {

namespace {

[[noreturn]] void throw_too_deep(const KeySpec& spec) {
  throw_decode_error(spec, fmt::format("arrays and maps nested deeper than {} levels", codec::kMaxDepth));
}

// Reads a big-endian unsigned integer of `width` bytes at `at`; false when the input ends first.
bool read_length(std::string_view bytes, std::size_t at, std::size_t width, std::uint64_t& out) {
  if (at > bytes.size() || bytes.size() - at < width) return false;
  out = 0;
  for (std::size_t i = 0; i < width; ++i) out = (out << 8) | static_cast<unsigned char>(bytes[at + i]);
  return true;
}

// What one MessagePack item is: the bytes it takes before any contained items, and how many
// items it contains (0 for scalars). `payload_width` bytes after the head hold the length of a
// string, binary or extension, whose bytes follow (plus `extra` bytes: an extension's type).
struct Head {
  std::size_t size = 1;
  std::uint64_t items = 0;
  bool valid = true;
};

Head read_head(std::string_view bytes, std::size_t at) {
  const auto b = static_cast<unsigned char>(bytes[at]);
  Head head;
  auto sized = [&](std::size_t width, std::size_t extra) {
    std::uint64_t length = 0;
    if (!read_length(bytes, at + 1, width, length)) return Head{0, 0, false};
    return Head{1 + width + extra + static_cast<std::size_t>(length), 0, true};
  };
  auto counted = [&](std::size_t width, std::uint64_t per_entry) {
    std::uint64_t count = 0;
    if (!read_length(bytes, at + 1, width, count)) return Head{0, 0, false};
    return Head{1 + width, count * per_entry, true};
  };
  if (b <= 0x7f || b >= 0xe0) return head;                       // fixint
  if (b <= 0x8f) return Head{1, 2u * (b & 0x0fu), true};         // fixmap
  if (b <= 0x9f) return Head{1, b & 0x0fu, true};                // fixarray
  if (b <= 0xbf) return Head{1u + (b & 0x1fu), 0, true};         // fixstr
  switch (b) {
    case 0xc0: case 0xc2: case 0xc3: return head;                // nil, false, true
    case 0xc4: case 0xd9: return sized(1, 0);                    // bin8, str8
    case 0xc5: case 0xda: return sized(2, 0);                    // bin16, str16
    case 0xc6: case 0xdb: return sized(4, 0);                    // bin32, str32
    case 0xc7: return sized(1, 1);                               // ext8
    case 0xc8: return sized(2, 1);                               // ext16
    case 0xc9: return sized(4, 1);                               // ext32
    case 0xca: return Head{5, 0, true};                          // float32
    case 0xcb: return Head{9, 0, true};                          // float64
    case 0xcc: case 0xd0: return Head{2, 0, true};               // (u)int8
    case 0xcd: case 0xd1: return Head{3, 0, true};               // (u)int16
    case 0xce: case 0xd2: return Head{5, 0, true};               // (u)int32
    case 0xcf: case 0xd3: return Head{9, 0, true};               // (u)int64
    case 0xd4: return Head{3, 0, true};                          // fixext1
    case 0xd5: return Head{4, 0, true};                          // fixext2
    case 0xd6: return Head{6, 0, true};                          // fixext4
    case 0xd7: return Head{10, 0, true};                         // fixext8
    case 0xd8: return Head{18, 0, true};                         // fixext16
    case 0xdc: return counted(2, 1);                             // array16
    case 0xdd: return counted(4, 1);                             // array32
    case 0xde: return counted(2, 2);                             // map16
    case 0xdf: return counted(4, 2);                             // map32
    default: return Head{0, 0, false};                           // 0xc1, never used
  }
}

}  // namespace

// Walks the items of the first value with a stack of the items each open container still holds.
// Every step consumes at least one byte, so the walk ends within bytes.size() steps.
void check_msgpack_nesting(std::string_view bytes, const KeySpec& spec) {
  std::vector<std::uint64_t> open;
  std::size_t at = 0;
  while (at < bytes.size()) {
    const Head head = read_head(bytes, at);
    if (!head.valid || head.size > bytes.size() - at) return;  // malformed: the decoder reports it
    at += head.size;
    if (head.items > 0) {
      if (open.size() >= static_cast<std::size_t>(codec::kMaxDepth)) throw_too_deep(spec);
      open.push_back(head.items);
      continue;
    }
    while (!open.empty() && --open.back() == 0) open.pop_back();
    if (open.empty()) return;
  }
}

void check_json_nesting(std::string_view text, const KeySpec& spec) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > codec::kMaxDepth) throw_too_deep(spec);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

}  // namespace keyspace
