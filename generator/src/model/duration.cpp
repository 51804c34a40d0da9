#include "model/duration.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <utility>

namespace keyspace::gen {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t millis;
};

// Longest suffix first so that "ms" is not read as "m" + garbage.
constexpr std::array<Unit, 5> kUnits{{{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 12) return std::nullopt;
  const std::string_view suffix = text.substr(digits);
  for (const Unit& unit : kUnits) {
    if (suffix != unit.suffix) continue;
    std::int64_t n = 0;
    for (char c : text.substr(0, digits)) n = n * 10 + (c - '0');
    if (n == 0 || n > std::numeric_limits<std::int64_t>::max() / unit.millis) return std::nullopt;
    return std::chrono::milliseconds(n * unit.millis);
  }
  return std::nullopt;
}

std::string format_duration(std::chrono::milliseconds d) {
  const std::int64_t ms = d.count();
  for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it) {
    if (ms != 0 && ms % it->millis == 0) return std::to_string(ms / it->millis) + std::string(it->suffix);
  }
  return std::to_string(ms) + "ms";
}

}  // namespace keyspace::gen
