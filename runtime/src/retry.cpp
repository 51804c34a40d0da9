#include "retry.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <random>
#include <thread>

namespace keyspace::detail {

namespace {

// Sorted (binary search). Every entry only reads and answers at once: no BLOCK variants, no
// XREADGROUP (it moves entries into the pending list), no GETEX/GETDEL, no SORT (it can STORE).
constexpr std::array<std::string_view, 52> kReads{
    "DBSIZE", "ECHO", "EXISTS", "EXPIRETIME", "GET", "GETRANGE", "HEXISTS", "HGET", "HGETALL",
    "HKEYS", "HLEN", "HMGET", "HSCAN", "HSTRLEN", "HVALS", "LINDEX", "LLEN", "LPOS", "LRANGE",
    "MGET", "OBJECT", "PEXPIRETIME", "PING", "PTTL", "SCAN", "SCARD", "SISMEMBER", "SMEMBERS",
    "SMISMEMBER", "SRANDMEMBER", "SSCAN", "STRLEN", "TTL", "TYPE", "XLEN", "XPENDING", "XRANGE",
    "XREVRANGE", "ZCARD", "ZCOUNT", "ZLEXCOUNT", "ZMSCORE", "ZRANGE", "ZRANGEBYLEX",
    "ZRANGEBYSCORE", "ZRANK", "ZREVRANGE", "ZREVRANGEBYLEX", "ZREVRANGEBYSCORE", "ZREVRANK",
    "ZSCAN", "ZSCORE"};

bool less_ignoring_case(std::string_view listed, std::string_view command) noexcept {
  const std::size_t n = std::min(listed.size(), command.size());
  for (std::size_t i = 0; i < n; ++i) {
    const char a = listed[i];
    const char b = static_cast<char>(std::toupper(static_cast<unsigned char>(command[i])));
    if (a != b) return a < b;
  }
  return listed.size() < command.size();
}

bool equal_ignoring_case(std::string_view listed, std::string_view command) noexcept {
  if (listed.size() != command.size()) return false;
  for (std::size_t i = 0; i < listed.size(); ++i) {
    if (listed[i] != std::toupper(static_cast<unsigned char>(command[i]))) return false;
  }
  return true;
}

std::uint64_t random_below(std::uint64_t bound) {
  // One generator per thread: no lock, and threads that fail together draw different sleeps.
  thread_local std::mt19937_64 generator{
      std::random_device{}() ^ std::hash<std::thread::id>{}(std::this_thread::get_id())};
  return std::uniform_int_distribution<std::uint64_t>(0, bound)(generator);
}

}  // namespace

bool is_idempotent_read(std::string_view command) noexcept {
  static const bool sorted = std::is_sorted(kReads.begin(), kReads.end());
  if (!sorted) return false;  // a mis-sorted list must fail safe: retry nothing
  const auto found = std::lower_bound(kReads.begin(), kReads.end(), command, less_ignoring_case);
  return found != kReads.end() && equal_ignoring_case(*found, command);
}

std::chrono::microseconds retry_backoff(int retry, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap) {
  const auto base_us = std::chrono::duration_cast<std::chrono::microseconds>(base).count();
  const auto cap_us = std::chrono::duration_cast<std::chrono::microseconds>(cap).count();
  if (base_us <= 0 || cap_us <= 0) return std::chrono::microseconds(0);
  const int doublings = std::min(retry, 20);  // base * 2^20 already exceeds any sensible cap
  const std::int64_t ceiling = std::min<std::int64_t>(cap_us, base_us << doublings);
  return std::chrono::microseconds(
      static_cast<std::int64_t>(random_below(static_cast<std::uint64_t>(ceiling))));
}

}  // namespace keyspace::detail
