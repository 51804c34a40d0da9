#pragma once
// Which commands the Client may send twice, and how long it waits in between (internal).
//
// Only reads are retried: a write whose connection failed may or may not have reached the
// server, and sending it again could apply it twice (INCR, LPUSH, a script). Whether a command
// is a read is decided here from its name, by an allowlist: a command that is not listed is
// treated as a write, so a new command can only ever be retried after someone listed it.

#include <chrono>
#include <string_view>

namespace keyspace::detail {

// True for read-only, non-blocking commands (GET, EXISTS, HGETALL, ZRANGE, PING, ...); the
// name is compared without regard to case.
bool is_idempotent_read(std::string_view command) noexcept;

// The sleep before retry number `retry` (0 for the first retry): uniform in
// [0, min(cap, base * 2^retry)] ("full jitter").
std::chrono::microseconds retry_backoff(int retry, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap);

}  // namespace keyspace::detail
