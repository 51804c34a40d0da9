#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// The operations of the collection kinds: hash, set, sorted_set and list (stream.hpp: stream).
//
// Every write runs as one Lua script that applies the command and then PEXPIREs the key with the
// schema's TTL, so a collection is never created, nor left after a write, without its TTL (keys
// with `ttl: none` get no PEXPIRE). Reads are plain commands and never touch the TTL. Members,
// hash values and list elements are stored with the key's codec; scalar codecs give stable
// bytes, so equal values are equal members.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyspace/client.hpp"
#include "keyspace/codec/codec.hpp"
#include "keyspace/detail/reply.hpp"
#include "keyspace/detail/reply_checks.hpp"
#include "keyspace/key_spec.hpp"
#include "keyspace/kinds/stream.hpp"

namespace keyspace::collections {

// --- shared ----------------------------------------------------------------------------------

// Runs `command key args...` and then PEXPIRE key <spec.ttl> in one script; returns the
// command's reply. With `batch` > 0 the arguments are sent in slices of `batch` (for variadic
// commands whose integer replies add up: SADD, HSET, ZADD, HDEL), still in the same script.
Reply write(Client& client, const KeySpec& spec, std::string_view op, const std::string& key,
            std::string_view command, const std::vector<std::string>& args, std::size_t batch = 0);

// Sends `command key args...` (a read) and returns the reply.
Reply read(Client& client, const KeySpec& spec, std::string_view op, const std::string& key,
           std::string_view command, const std::vector<std::string>& args = {});

using ::keyspace::detail::expect_integer;
// A bulk string reply as text; nullopt for nil.
std::optional<std::string> expect_optional_string(const KeySpec& spec, std::string_view op,
                                                  const Reply& reply);
// An array reply of bulk strings.
std::vector<std::string> expect_strings(const KeySpec& spec, std::string_view op, const Reply& reply);
// A score as Redis spells it ("inf", "-inf", "1.5") read back as a double.
double parse_score(const KeySpec& spec, std::string_view text);
// A score as Redis reads it: "+inf", "-inf" or the shortest text that reads back exactly.
std::string format_score(double score);

template <class Codec>
std::vector<typename Codec::value_type> decode_all(const std::vector<std::string>& encoded,
                                                   const KeySpec& spec) {
  std::vector<typename Codec::value_type> out;
  out.reserve(encoded.size());
  for (const std::string& bytes : encoded) out.push_back(Codec::decode(bytes, spec));
  return out;
}

template <class Codec>
std::vector<std::string> encode_all(const std::vector<typename Codec::value_type>& values) {
  std::vector<std::string> out;
  out.reserve(values.size());
  for (const auto& value : values) out.push_back(Codec::encode(value));
  return out;
}

// --- hash ------------------------------------------------------------------------------------

// Every field and its stored bytes; empty when the key does not exist.
std::map<std::string, std::string> hash_get_all_raw(Client& client, const KeySpec& spec,
                                                    const std::string& key);
std::optional<std::string> hash_get_raw(Client& client, const KeySpec& spec, const std::string& key,
                                        std::string_view field);
std::int64_t hash_incr(Client& client, const KeySpec& spec, const std::string& key,
                       std::string_view field, std::int64_t by);
// True when the field existed.
bool hash_erase(Client& client, const KeySpec& spec, const std::string& key, std::string_view field);
std::int64_t hash_size(Client& client, const KeySpec& spec, const std::string& key);

// The fields one write sets and the (optional) fields it removes, applied by hash_write in one
// script: HSET, HDEL and PEXPIRE together.
class HashWrite {
 public:
  template <class Codec>
  HashWrite& field(std::string_view name, const typename Codec::value_type& value) {
    set_.emplace_back(name);
    set_.push_back(Codec::encode(value));
    return *this;
  }
  // An absent optional value removes the field, so the hash matches the written struct.
  template <class Codec>
  HashWrite& optional_field(std::string_view name, const std::optional<typename Codec::value_type>& value) {
    if (value) return field<Codec>(name, *value);
    erase_.emplace_back(name);
    return *this;
  }
  const std::vector<std::string>& set_pairs() const noexcept { return set_; }
  const std::vector<std::string>& erased() const noexcept { return erase_; }

 private:
  std::vector<std::string> set_;  // field, value, field, value, ...
  std::vector<std::string> erase_;
};

void hash_write(Client& client, const KeySpec& spec, const std::string& key, const HashWrite& write);

// Decodes the fields of a hash into the members of a struct; a missing required field is a
// DecodeError that names it.
class HashRead {
 public:
  HashRead(const std::map<std::string, std::string>& fields, const KeySpec& spec)
      : fields_(fields), spec_(spec) {}

  template <class Codec>
  void required(std::string_view name, typename Codec::value_type& out) const {
    const auto it = fields_.find(std::string(name));
    if (it == fields_.end()) missing(name);
    out = Codec::decode(it->second, spec_);
  }
  template <class Codec>
  void optional(std::string_view name, std::optional<typename Codec::value_type>& out) const {
    const auto it = fields_.find(std::string(name));
    if (it == fields_.end()) out.reset();
    else out = Codec::decode(it->second, spec_);
  }

 private:
  [[noreturn]] void missing(std::string_view name) const;
  const std::map<std::string, std::string>& fields_;
  const KeySpec& spec_;
};

template <class Codec>
std::optional<typename Codec::value_type> hash_get(Client& client, const KeySpec& spec, const std::string& key,
                                                   std::string_view field) {
  std::optional<std::string> raw = hash_get_raw(client, spec, key, field);
  if (!raw) return std::nullopt;
  return Codec::decode(*raw, spec);
}

template <class Codec>
void hash_set(Client& client, const KeySpec& spec, const std::string& key, std::string_view field,
              const typename Codec::value_type& value) {
  hash_write(client, spec, key, HashWrite().field<Codec>(field, value));
}

template <class Codec>
std::map<std::string, typename Codec::value_type> hash_get_all(Client& client, const KeySpec& spec,
                                                               const std::string& key) {
  std::map<std::string, typename Codec::value_type> out;
  for (const auto& [field, bytes] : hash_get_all_raw(client, spec, key)) {
    out.emplace(field, Codec::decode(bytes, spec));
  }
  return out;
}

// --- set -------------------------------------------------------------------------------------

// SADD in one script with the TTL; the number of members that were not there yet.
std::int64_t set_add_raw(Client& client, const KeySpec& spec, const std::string& key,
                         const std::vector<std::string>& members);
std::int64_t set_remove_raw(Client& client, const KeySpec& spec, const std::string& key,
                            const std::string& member);
bool set_contains_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& member);
std::vector<std::string> set_members_raw(Client& client, const KeySpec& spec, const std::string& key);
std::int64_t set_size(Client& client, const KeySpec& spec, const std::string& key);

template <class Codec>
bool set_add(Client& client, const KeySpec& spec, const std::string& key, const typename Codec::value_type& member) {
  return set_add_raw(client, spec, key, {Codec::encode(member)}) > 0;
}
template <class Codec>
std::int64_t set_add_many(Client& client, const KeySpec& spec, const std::string& key,
                          const std::vector<typename Codec::value_type>& members) {
  if (members.empty()) return 0;  // SADD needs a member; nothing to write
  return set_add_raw(client, spec, key, encode_all<Codec>(members));
}
template <class Codec>
bool set_remove(Client& client, const KeySpec& spec, const std::string& key, const typename Codec::value_type& member) {
  return set_remove_raw(client, spec, key, Codec::encode(member)) > 0;
}
template <class Codec>
bool set_contains(Client& client, const KeySpec& spec, const std::string& key, const typename Codec::value_type& member) {
  return set_contains_raw(client, spec, key, Codec::encode(member));
}
template <class Codec>
std::vector<typename Codec::value_type> set_members(Client& client, const KeySpec& spec, const std::string& key) {
  return decode_all<Codec>(set_members_raw(client, spec, key), spec);
}

// --- hyperloglog -----------------------------------------------------------------------------

// PFADD in one script with the TTL; true when the estimate may have changed.
bool hll_add_raw(Client& client, const KeySpec& spec, const std::string& key, const std::vector<std::string>& members);
// PFCOUNT of one key, or of the union of several (nothing stored); 0 for none that exist.
std::int64_t hll_count(Client& client, const KeySpec& spec, const std::vector<std::string>& keys);
// PFMERGE of `sources` into `destination` (whose TTL is then the key's), in one script. Every key
// must carry the destination's hash tag when it has one, so that they share a cluster slot:
// otherwise PolicyError and nothing sent.
void hll_merge(Client& client, const KeySpec& spec, const std::string& destination,
               const std::vector<std::string>& sources);

template <class Codec>
bool hll_add(Client& client, const KeySpec& spec, const std::string& key, const typename Codec::value_type& member) {
  return hll_add_raw(client, spec, key, {Codec::encode(member)});
}
template <class Codec>
bool hll_add_many(Client& client, const KeySpec& spec, const std::string& key,
                  const std::vector<typename Codec::value_type>& members) {
  if (members.empty()) return false;
  return hll_add_raw(client, spec, key, encode_all<Codec>(members));
}

// --- presence --------------------------------------------------------------------------------
// A sorted set of members scored by when they stop being present (the server's clock, ms). Every
// operation is one script that reads TIME, removes the members whose time has passed, then does
// its work; the key's TTL follows its newest member, so an idle presence disappears.

enum class PresenceOp { mark, leave, is_present, present, count };
// The script's reply: an integer (mark: 1 when the member was not present; leave: 1 when it
// was; is_present; count) or the present members (present).
Reply presence_raw(Client& client, const KeySpec& spec, PresenceOp op, const std::string& key,
                   const std::string& member = {});

template <class Codec>
bool presence_mark(Client& client, const KeySpec& spec, const std::string& key, const typename Codec::value_type& member) {
  return detail::expect_integer(spec, "mark", presence_raw(client, spec, PresenceOp::mark, key, Codec::encode(member))) > 0;
}
template <class Codec>
bool presence_leave(Client& client, const KeySpec& spec, const std::string& key, const typename Codec::value_type& member) {
  return detail::expect_integer(spec, "leave", presence_raw(client, spec, PresenceOp::leave, key, Codec::encode(member))) > 0;
}
template <class Codec>
bool presence_contains(Client& client, const KeySpec& spec, const std::string& key,
                       const typename Codec::value_type& member) {
  return detail::expect_integer(spec, "is_present",
                                presence_raw(client, spec, PresenceOp::is_present, key, Codec::encode(member))) > 0;
}
template <class Codec>
std::vector<typename Codec::value_type> presence_members(Client& client, const KeySpec& spec, const std::string& key) {
  return decode_all<Codec>(expect_strings(spec, "present", presence_raw(client, spec, PresenceOp::present, key)), spec);
}
inline std::int64_t presence_count(Client& client, const KeySpec& spec, const std::string& key) {
  return detail::expect_integer(spec, "count", presence_raw(client, spec, PresenceOp::count, key));
}

// --- sorted set ------------------------------------------------------------------------------

template <class T>
struct ScoredMember {
  T member;
  double score = 0;
  friend bool operator==(const ScoredMember& a, const ScoredMember& b) {
    return a.member == b.member && a.score == b.score;
  }
  friend bool operator!=(const ScoredMember& a, const ScoredMember& b) { return !(a == b); }
};

// True when the member was new.
bool zset_add_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& member,
                  double score);
double zset_incr_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& member,
                     double by);
std::optional<double> zset_score_raw(Client& client, const KeySpec& spec, const std::string& key,
                                     const std::string& member);
std::optional<std::int64_t> zset_rank_raw(Client& client, const KeySpec& spec, const std::string& key,
                                          const std::string& member);
bool zset_remove_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& member);
// Ascending by score; by rank (ZRANGE start stop, negative counts from the end).
std::vector<std::pair<std::string, double>> zset_range_raw(Client& client, const KeySpec& spec,
                                                           const std::string& key, std::int64_t start,
                                                           std::int64_t stop);
// Ascending by score, min <= score <= max, at most `limit` members.
std::vector<std::pair<std::string, double>> zset_range_by_score_raw(Client& client, const KeySpec& spec,
                                                                    const std::string& key, double min,
                                                                    double max, std::size_t limit);
std::int64_t zset_size(Client& client, const KeySpec& spec, const std::string& key);

template <class Codec>
std::vector<ScoredMember<typename Codec::value_type>> decode_scored(
    const std::vector<std::pair<std::string, double>>& raw, const KeySpec& spec) {
  std::vector<ScoredMember<typename Codec::value_type>> out;
  out.reserve(raw.size());
  for (const auto& [bytes, score] : raw) out.push_back({Codec::decode(bytes, spec), score});
  return out;
}

// --- list ------------------------------------------------------------------------------------

enum class End { front, back };

// LPUSH/RPUSH, then (max_length > 0) LTRIM to the newest max_length elements, then PEXPIRE, in
// one script; returns the length after trimming.
std::int64_t list_push_raw(Client& client, const KeySpec& spec, const std::string& key, End end,
                           const std::string& element, std::int64_t max_length);
std::optional<std::string> list_pop_raw(Client& client, const KeySpec& spec, const std::string& key, End end);
std::vector<std::string> list_range_raw(Client& client, const KeySpec& spec, const std::string& key,
                                        std::int64_t start, std::int64_t stop);
std::int64_t list_size(Client& client, const KeySpec& spec, const std::string& key);

template <class Codec>
std::optional<typename Codec::value_type> list_pop(Client& client, const KeySpec& spec, const std::string& key,
                                                   End end) {
  std::optional<std::string> raw = list_pop_raw(client, spec, key, end);
  if (!raw) return std::nullopt;
  return Codec::decode(*raw, spec);
}

}  // namespace keyspace::collections
