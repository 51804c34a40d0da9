#include "retry.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <thread>

namespace keyspace::detail {

namespace {

// Sorted (checked when compiling). Every entry only reads and answers at once: no BLOCK variants, no
// XREADGROUP (it moves entries into the pending list), no GETEX/GETDEL, no SORT (it can STORE).
constexpr std::array<std::string_view, 52> kReads{
    "DBSIZE", "ECHO", "EXISTS", "EXPIRETIME", "GET", "GETRANGE", "HEXISTS", "HGET", "HGETALL",
    "HKEYS", "HLEN", "HMGET", "HSCAN", "HSTRLEN", "HVALS", "LINDEX", "LLEN", "LPOS", "LRANGE",
    "MGET", "OBJECT", "PEXPIRETIME", "PING", "PTTL", "SCAN", "SCARD", "SISMEMBER", "SMEMBERS",
    "SMISMEMBER", "SRANDMEMBER", "SSCAN", "STRLEN", "TTL", "TYPE", "XLEN", "XPENDING", "XRANGE",
    "XREVRANGE", "ZCARD", "ZCOUNT", "ZLEXCOUNT", "ZMSCORE", "ZRANGE", "ZRANGEBYLEX",
    "ZRANGEBYSCORE", "ZRANK", "ZREVRANGE", "ZREVRANGEBYLEX", "ZREVRANGEBYSCORE", "ZREVRANK",
    "ZSCAN", "ZSCORE"};

// ASCII only, inline: command names are ASCII, and std::toupper is a call per character (and
// depends on the locale) on the path of every command.
constexpr char ascii_upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

constexpr bool sorted(const std::array<std::string_view, kReads.size()>& names) noexcept {
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (!(names[i - 1] < names[i])) return false;
  }
  return true;
}
static_assert(sorted(kReads), "kReads must stay sorted");

// Where the names of each first letter start in kReads (entry 26: the end), so that a lookup
// compares a command with the few names of its letter only: it runs before every command.
constexpr std::array<std::size_t, 27> make_letter_starts() noexcept {
  std::array<std::size_t, 27> starts{};
  std::size_t i = 0;
  for (std::size_t letter = 0; letter < 26; ++letter) {
    starts[letter] = i;
    while (i < kReads.size() && static_cast<std::size_t>(kReads[i][0] - 'A') == letter) ++i;
  }
  starts[26] = kReads.size();
  return starts;
}
constexpr std::array<std::size_t, 27> kLetterStarts = make_letter_starts();

bool equal_ignoring_case(std::string_view listed, std::string_view command) noexcept {
  if (listed.size() != command.size()) return false;
  for (std::size_t i = 0; i < listed.size(); ++i) {
    if (listed[i] != ascii_upper(command[i])) return false;
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
  if (command.empty()) return false;
  const char first = ascii_upper(command[0]);
  if (first < 'A' || first > 'Z') return false;
  const auto letter = static_cast<std::size_t>(first - 'A');
  for (std::size_t i = kLetterStarts[letter]; i < kLetterStarts[letter + 1]; ++i) {
    if (equal_ignoring_case(kReads[i], command)) return true;
  }
  return false;
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
