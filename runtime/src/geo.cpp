#include "keyspace/kinds/geo.hpp"

#include <cmath>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/reply_checks.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/kinds/collections.hpp"

namespace keyspace::geo {

namespace {

constexpr double kMaxLatitude = 85.05112878;  // the band Redis's geohash covers

const char* unit_name(Unit unit) {
  switch (unit) {
    case Unit::m: return "m";
    case Unit::km: return "km";
    case Unit::mi: return "mi";
    case Unit::ft: return "ft";
  }
  return "m";
}

[[noreturn]] void refuse(const KeySpec& spec, std::string_view op, const std::string& what) {
  throw InvalidArgument(fmt::format("{} on {}: {}; nothing was sent", op, spec.name, what), spec.key_template);
}

void check_extent(const KeySpec& spec, std::string_view op, const char* name, double value) {
  if (!std::isfinite(value) || value <= 0) refuse(spec, op, fmt::format("the {} must be a positive number", name));
}

double number(const KeySpec& spec, std::string_view op, const Reply& reply) {
  if (reply.type != Reply::Type::string) detail::throw_unexpected_reply(spec, op, reply);
  return collections::parse_score(spec, reply.str);
}

// [longitude, latitude], or nil.
std::optional<Position> position_of(const KeySpec& spec, std::string_view op, const Reply& reply) {
  if (reply.is_nil()) return std::nullopt;
  if (reply.type != Reply::Type::array || reply.elements.size() != 2) detail::throw_unexpected_reply(spec, op, reply);
  return Position{number(spec, op, reply.elements[0]), number(spec, op, reply.elements[1])};
}

// With WITHDIST or WITHCOORD an entry is [member, distance?, [lon, lat]?], in that order.
RawMatch match_of(const KeySpec& spec, const Area& area, const Reply& entry) {
  if (!area.with_distance && !area.with_position) {
    if (entry.type != Reply::Type::string) detail::throw_unexpected_reply(spec, "search", entry);
    return {entry.str, std::nullopt, std::nullopt};
  }
  const std::size_t expected = 1 + (area.with_distance ? 1 : 0) + (area.with_position ? 1 : 0);
  if (entry.type != Reply::Type::array || entry.elements.size() != expected ||
      entry.elements[0].type != Reply::Type::string) {
    detail::throw_unexpected_reply(spec, "search", entry);
  }
  RawMatch match{entry.elements[0].str, std::nullopt, std::nullopt};
  std::size_t next = 1;
  if (area.with_distance) match.distance = number(spec, "search", entry.elements[next++]);
  if (area.with_position) {
    match.position = position_of(spec, "search", entry.elements[next]);
    if (!match.position) detail::throw_unexpected_reply(spec, "search", entry);
  }
  return match;
}

}  // namespace

void check_position(const KeySpec& spec, std::string_view op, const Position& position) {
  if (!std::isfinite(position.longitude) || std::abs(position.longitude) > 180) {
    refuse(spec, op, fmt::format("longitude {} is outside -180..180", position.longitude));
  }
  if (!std::isfinite(position.latitude) || std::abs(position.latitude) > kMaxLatitude) {
    refuse(spec, op, fmt::format("latitude {} is outside -{}..{}", position.latitude, kMaxLatitude, kMaxLatitude));
  }
}

bool add_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& member,
             const Position& position) {
  const Reply reply = collections::write(
      client, spec, "add", key, "GEOADD",
      {collections::format_score(position.longitude), collections::format_score(position.latitude), member});
  return detail::expect_integer(spec, "add", reply) > 0;
}

std::optional<Position> position_raw(Client& client, const KeySpec& spec, const std::string& key,
                                     const std::string& member) {
  const Reply reply = collections::read(client, spec, "position", key, "GEOPOS", {member});
  if (reply.type != Reply::Type::array || reply.elements.size() != 1) detail::throw_unexpected_reply(spec, "position", reply);
  return position_of(spec, "position", reply.elements[0]);
}

std::optional<double> distance_raw(Client& client, const KeySpec& spec, const std::string& key,
                                   const std::string& a, const std::string& b, Unit unit) {
  const std::optional<std::string> text = collections::expect_optional_string(
      spec, "distance", collections::read(client, spec, "distance", key, "GEODIST", {a, b, unit_name(unit)}));
  if (!text) return std::nullopt;
  return collections::parse_score(spec, *text);
}

std::vector<RawMatch> search_raw(Client& client, const KeySpec& spec, const std::string& key,
                                 const std::optional<std::string>& member, const Area& area) {
  std::vector<std::string> args;
  if (area.center) {
    check_position(spec, "search", *area.center);
    args = {"FROMLONLAT", collections::format_score(area.center->longitude),
            collections::format_score(area.center->latitude)};
  } else {
    args = {"FROMMEMBER", member.value_or(std::string())};
  }
  if (area.box) {
    check_extent(spec, "search", "box width", area.width);
    check_extent(spec, "search", "box height", area.height);
    args.insert(args.end(), {"BYBOX", collections::format_score(area.width), collections::format_score(area.height)});
  } else {
    check_extent(spec, "search", "radius", area.radius);
    args.insert(args.end(), {"BYRADIUS", collections::format_score(area.radius)});
  }
  args.emplace_back(unit_name(area.unit));
  args.emplace_back(area.farthest_first ? "DESC" : "ASC");
  if (area.count > 0) {
    args.insert(args.end(), {"COUNT", std::to_string(area.count)});
    if (area.any) args.emplace_back("ANY");
  }
  if (area.with_distance) args.emplace_back("WITHDIST");
  if (area.with_position) args.emplace_back("WITHCOORD");
  const Reply reply = collections::read(client, spec, "search", key, "GEOSEARCH", args);
  if (reply.type != Reply::Type::array) detail::throw_unexpected_reply(spec, "search", reply);
  std::vector<RawMatch> out;
  out.reserve(reply.elements.size());
  for (const Reply& entry : reply.elements) out.push_back(match_of(spec, area, entry));
  return out;
}

}  // namespace keyspace::geo
