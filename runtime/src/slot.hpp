#pragma once
// Redis Cluster key slots (internal): which of the 16384 slots a key belongs to, and which key
// of a command decides where the command is sent.

#include <cstdint>
#include <optional>
#include <string_view>

#include "keyspace/detail/command_args.hpp"

namespace keyspace::detail {

inline constexpr std::uint16_t kSlotCount = 16384;

// CRC16 (XMODEM) of the key's hash tag, modulo 16384, as the server computes it: the tag is
// what lies between the first '{' and the first '}' after it, when that is not empty;
// otherwise the whole key counts.
std::uint16_t key_slot(std::string_view key) noexcept;

// The first key a command names, by the command's layout (GET key, EVALSHA sha n key ...,
// XREADGROUP ... STREAMS key ...); nullopt for a command without keys (PING, INFO, SCRIPT
// LOAD, EVAL with no keys). The runtime sends only commands whose keys share one slot, so the
// first key routes the whole command.
std::optional<std::string_view> routing_key(CommandArgs args) noexcept;

}  // namespace keyspace::detail
