#pragma once
// The operations of kind session: values under unguessable ids, with a TTL, optionally sliding,
// optionally listed in a per-user index.
//
//   <session key>   string  the encoded value, PX = the key's TTL; the template holds the id
//   <index key>     zset    session id -> expiry time (server clock, ms since the epoch);
//                           its TTL is kept at least that of the longest-living session in it
//
// Every operation that touches both keys is one Lua script. The scripts that walk an index
// (create's eviction, list, destroy_all) learn the ids only inside Redis, so they build session
// keys there from the parts around the id (SessionRef::key split at the id): in Redis Cluster
// this needs the session key to share the index's slot, i.e. a hash_tag on an index parameter.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyspace/client.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace {

// One session: its rendered key, its index key (empty when the kind has no index) and its id
// (which appears verbatim in `key`: ids are hex, which escaping leaves unchanged).
struct SessionRef {
  std::string key;
  std::string index;
  std::string id;
};

namespace session {

constexpr std::size_t kIdBytes = 32;  // 256 bits, 64 hex digits

// A new session id: 256 bits from the operating system's CSPRNG, as 64 lowercase hex digits.
std::string new_id();

// Writes a new session with spec.ttl. With an index: adds it, prunes expired ids and, when more
// than `max` (> 0) live sessions remain, destroys the ones expiring soonest (never the new one).
void create_raw(Client& client, const KeySpec& spec, const SessionRef& ref, std::string_view bytes, std::int64_t max);
// The stored value; with `sliding` also renews the TTL (and the index entry) of a live session.
std::optional<std::string> get_raw(Client& client, const KeySpec& spec, const SessionRef& ref, bool sliding);
// Replaces the value of an existing session; false and nothing written when it does not exist.
// Sliding sessions get a full TTL again; others keep their remaining TTL.
bool update_raw(Client& client, const KeySpec& spec, const SessionRef& ref, std::string_view bytes, bool sliding);
// Renews the TTL (and the index entry); false when the session does not exist.
bool touch(Client& client, const KeySpec& spec, const SessionRef& ref);
// Deletes the session and its index entry; true when the session existed.
bool destroy(Client& client, const KeySpec& spec, const SessionRef& ref);
// The ids of the live sessions in ref.index, soonest-expiring first; drops ids of sessions that
// are gone. `ref` is any session of the index (only the parts of its key around the id count).
std::vector<std::string> list(Client& client, const KeySpec& spec, const SessionRef& ref);
// Deletes every session of ref.index and the index; how many sessions were live.
std::int64_t destroy_all(Client& client, const KeySpec& spec, const SessionRef& ref);

template <class Codec>
void create(Client& client, const KeySpec& spec, const SessionRef& ref, const typename Codec::value_type& value,
            std::int64_t max) {
  create_raw(client, spec, ref, Codec::encode(value), max);
}

template <class Codec>
std::optional<typename Codec::value_type> get(Client& client, const KeySpec& spec, const SessionRef& ref,
                                              bool sliding) {
  std::optional<std::string> raw = get_raw(client, spec, ref, sliding);
  if (!raw) return std::nullopt;
  return Codec::decode(*raw, spec);
}

template <class Codec>
bool update(Client& client, const KeySpec& spec, const SessionRef& ref, const typename Codec::value_type& value,
            bool sliding) {
  return update_raw(client, spec, ref, Codec::encode(value), sliding);
}

}  // namespace session
}  // namespace keyspace
