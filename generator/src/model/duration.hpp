#pragma once
// Durations of the schema language: an integer followed by a unit, `500ms`, `30s`, `5m`, `1h`,
// `7d`. No spaces, no fractions, no compound forms; zero is not a duration.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace keyspace::gen {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// The shortest exact spelling, e.g. 3600000ms -> "1h", 90000ms -> "90s".
std::string format_duration(std::chrono::milliseconds d);

}  // namespace keyspace::gen
