#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/); the types below
// (Position, Unit, Query, Match) are also what service code passes and gets back.
// The geo kind: members with a position, in a sorted set the server scores by geohash (GEOADD,
// GEOSEARCH, GEODIST, GEOPOS, ZREM). Every write is one script with the TTL, like the other
// collections. Coordinates are checked before anything is sent: longitude -180..180, latitude
// -85.05112878..85.05112878 (the band Redis can index), finite numbers; radii and boxes positive.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "keyspace/client.hpp"
#include "keyspace/key_spec.hpp"
#include "keyspace/kinds/collections.hpp"

namespace keyspace::geo {

struct Position {
  double longitude = 0;
  double latitude = 0;
  friend bool operator==(const Position& a, const Position& b) {
    return a.longitude == b.longitude && a.latitude == b.latitude;
  }
  friend bool operator!=(const Position& a, const Position& b) { return !(a == b); }
};

enum class Unit { m, km, mi, ft };

// A search result: the member, and its distance (in the query's unit) and position when the
// query asked for them.
template <class T>
struct Match {
  T member;
  std::optional<double> distance;
  std::optional<Position> position;
};

// What a search asks of the server, without the member it may start from.
struct Area {
  std::optional<Position> center;  // empty: around the query's member
  bool box = false;
  double radius = 0;  // when !box
  double width = 0;   // when box
  double height = 0;  // when box
  Unit unit = Unit::m;
  std::size_t count = 0;  // 0: every member in the area
  bool any = false;       // COUNT ANY: the first `count` found, not the nearest
  bool farthest_first = false;
  bool with_distance = false;
  bool with_position = false;
};

template <class T>
class Query;

// The start of a query; only an area makes it a Query, so a search without one does not compile.
template <class T>
class Origin {
 public:
  Query<T> within_radius(double radius, Unit unit) const {
    Area area = area_;
    area.radius = radius;
    area.unit = unit;
    return Query<T>(member_, area);
  }
  Query<T> within_box(double width, double height, Unit unit) const {
    Area area = area_;
    area.box = true;
    area.width = width;
    area.height = height;
    area.unit = unit;
    return Query<T>(member_, area);
  }

 private:
  friend class Query<T>;
  Origin(std::optional<T> member, Area area) : member_(std::move(member)), area_(std::move(area)) {}
  std::optional<T> member_;
  Area area_;
};

// A search: Query<T>::around(position or member).within_radius(5, Unit::km), then optionally
// .nearest(10), .first_found(10), .farthest_first(), .with_distance(), .with_position().
// Results come nearest first unless farthest_first().
template <class T>
class Query {
 public:
  static Origin<T> around(Position center) {
    Area area;
    area.center = center;
    return Origin<T>(std::nullopt, area);
  }
  // Around a member of the same key; a member the key does not hold is a CommandError.
  static Origin<T> around_member(T member) { return Origin<T>(std::move(member), Area{}); }

  // The `n` nearest members.
  Query& nearest(std::size_t n) { return limit(n, false); }
  // The first `n` members the server finds in the area (faster than nearest, not the nearest).
  Query& first_found(std::size_t n) { return limit(n, true); }
  Query& farthest_first() {
    area_.farthest_first = true;
    return *this;
  }
  Query& with_distance() {
    area_.with_distance = true;
    return *this;
  }
  Query& with_position() {
    area_.with_position = true;
    return *this;
  }

  const std::optional<T>& member() const { return member_; }
  const Area& area() const { return area_; }

 private:
  friend class Origin<T>;
  Query(std::optional<T> member, Area area) : member_(std::move(member)), area_(std::move(area)) {}
  Query& limit(std::size_t n, bool any) {
    area_.count = n;
    area_.any = any;
    return *this;
  }
  std::optional<T> member_;
  Area area_;
};

// A match as stored bytes, before the member is decoded.
struct RawMatch {
  std::string member;
  std::optional<double> distance;
  std::optional<Position> position;
};

// InvalidArgument naming the key template when the position cannot be stored.
void check_position(const KeySpec& spec, std::string_view op, const Position& position);

// GEOADD and the TTL in one script; true when the member is new.
bool add_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& member,
             const Position& position);
// nullopt when the key does not hold the member.
std::optional<Position> position_raw(Client& client, const KeySpec& spec, const std::string& key,
                                     const std::string& member);
// nullopt when the key lacks either member.
std::optional<double> distance_raw(Client& client, const KeySpec& spec, const std::string& key,
                                   const std::string& a, const std::string& b, Unit unit);
// GEOSEARCH; `member` is the encoded member the area is around, when it has no center.
std::vector<RawMatch> search_raw(Client& client, const KeySpec& spec, const std::string& key,
                                 const std::optional<std::string>& member, const Area& area);

template <class Codec>
bool add(Client& client, const KeySpec& spec, const std::string& key, const typename Codec::value_type& member,
         const Position& position) {
  check_position(spec, "add", position);
  return add_raw(client, spec, key, Codec::encode(member), position);
}
template <class Codec>
bool remove(Client& client, const KeySpec& spec, const std::string& key, const typename Codec::value_type& member) {
  return collections::zset_remove_raw(client, spec, key, Codec::encode(member));  // a geo key is a sorted set
}
template <class Codec>
std::optional<Position> position(Client& client, const KeySpec& spec, const std::string& key,
                                 const typename Codec::value_type& member) {
  return position_raw(client, spec, key, Codec::encode(member));
}
template <class Codec>
std::optional<double> distance(Client& client, const KeySpec& spec, const std::string& key,
                               const typename Codec::value_type& a, const typename Codec::value_type& b, Unit unit) {
  return distance_raw(client, spec, key, Codec::encode(a), Codec::encode(b), unit);
}
template <class Codec>
std::vector<Match<typename Codec::value_type>> search(Client& client, const KeySpec& spec, const std::string& key,
                                                      const Query<typename Codec::value_type>& query) {
  std::optional<std::string> member;
  if (query.member()) member = Codec::encode(*query.member());
  std::vector<RawMatch> raw = search_raw(client, spec, key, member, query.area());
  std::vector<Match<typename Codec::value_type>> out;
  out.reserve(raw.size());
  for (RawMatch& match : raw) out.push_back({Codec::decode(match.member, spec), match.distance, match.position});
  return out;
}

}  // namespace keyspace::geo
