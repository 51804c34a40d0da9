#include "slot.hpp"

#include <array>
#include <cctype>

namespace keyspace::detail {

namespace {

constexpr std::array<std::uint16_t, 256> crc16_table() {
  std::array<std::uint16_t, 256> table{};
  for (unsigned byte = 0; byte < 256; ++byte) {
    unsigned crc = byte << 8;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 0x8000u) != 0 ? (crc << 1) ^ 0x1021u : crc << 1;
    table[byte] = static_cast<std::uint16_t>(crc);
  }
  return table;
}

constexpr std::array<std::uint16_t, 256> kCrc16 = crc16_table();

std::uint16_t crc16(std::string_view bytes) noexcept {
  std::uint16_t crc = 0;
  for (const char c : bytes) {
    const auto index = static_cast<std::uint8_t>((crc >> 8) ^ static_cast<std::uint8_t>(c));
    crc = static_cast<std::uint16_t>((crc << 8) ^ kCrc16[index]);
  }
  return crc;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

std::uint16_t key_slot(std::string_view key) noexcept {
  const std::size_t open = key.find('{');
  if (open != std::string_view::npos) {
    const std::size_t close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) key = key.substr(open + 1, close - open - 1);
  }
  return static_cast<std::uint16_t>(crc16(key) % kSlotCount);
}

std::optional<std::string_view> routing_key(CommandArgs args) noexcept {
  if (args.size() < 2) return std::nullopt;
  const std::string_view* word = args.begin();
  const std::string_view command = word[0];
  if (equals_ignoring_case(command, "EVALSHA") || equals_ignoring_case(command, "EVAL")) {
    if (args.size() < 4 || word[2] == "0") return std::nullopt;
    return word[3];
  }
  if (equals_ignoring_case(command, "XREAD") || equals_ignoring_case(command, "XREADGROUP")) {
    for (std::size_t i = 1; i + 1 < args.size(); ++i) {
      if (equals_ignoring_case(word[i], "STREAMS")) return word[i + 1];
    }
    return std::nullopt;
  }
  // Commands with a subcommand name the key second (XINFO STREAM key, OBJECT ENCODING key).
  for (const std::string_view container : {"XINFO", "XGROUP", "OBJECT", "MEMORY"}) {
    if (equals_ignoring_case(command, container)) return args.size() > 2 ? std::optional(word[2]) : std::nullopt;
  }
  for (const std::string_view keyless : {"PING", "INFO", "SCRIPT", "CLIENT", "CONFIG", "CLUSTER", "SCAN", "AUTH",
                                          "SELECT", "HELLO", "ROLE", "ACL", "DBSIZE", "READONLY", "ASKING", "TIME",
                                          "FLUSHALL", "FLUSHDB", "DEBUG", "COMMAND", "WAIT", "SLOWLOG", "LATENCY"}) {
    if (equals_ignoring_case(command, keyless)) return std::nullopt;
  }
  return word[1];
}

}  // namespace keyspace::detail
