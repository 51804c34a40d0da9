#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// The operations of kind session: values under unguessable ids, with a TTL, optionally sliding,
// optionally listed in a per-user index.
//
//   <session key>   without an index: string, the encoded value
//                   with an index:    hash {value: the encoded value, owner: the index key}
//                   PX = the key's TTL; the template holds the id
//   <index key>     zset    session id -> expiry time (server clock, ms since the epoch);
//                           its TTL is kept at least that of the longest-living session in it
//
// A session of an indexed kind belongs to the index it was created in, and the session says
// which (its `owner` field, written by the script that creates it). Every operation that names
// an index runs as one Lua script that checks it against the owner: a session of another index
// behaves as if it did not exist, and nothing is written. Operations by id alone take the index
// from the session.
//
// The scripts that walk an index (create's eviction, list, destroy_all) learn the ids only inside
// Redis, so they build session keys there from the parts around the id (SessionRef::key split at
// the id): in Redis Cluster this needs the session key to share the index's slot, i.e. a hash_tag
// on an index parameter.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyspace/client.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace {

// One session: its rendered key, its index key and its id (which appears verbatim in `key`: ids
// are hex, which escaping leaves unchanged).
struct SessionRef {
  // Which index an operation goes by.
  enum class Owner {
    none,    // the kind has no index (`index` is empty)
    given,   // `index`, which must be the one the session belongs to
    stored,  // the one the session belongs to, read from it (`index` is empty)
  };

  std::string key;
  std::string index;
  std::string id;
  Owner owner = Owner::none;
};

namespace session {

constexpr std::size_t kIdBytes = 32;  // 256 bits, 64 hex digits
// How many times update(fn) reads, computes and writes before it gives up with UpdateConflict.
constexpr int kUpdateAttempts = 64;

// A new session id: 256 bits from the operating system's CSPRNG, as 64 lowercase hex digits.
std::string new_id();

// Writes a new session with spec.ttl. With an index (ref.owner == given): adds it, prunes expired
// ids and, when more than `max` (> 0) live sessions remain, destroys the ones expiring soonest
// (never the new one).
void create_raw(Client& client, const KeySpec& spec, const SessionRef& ref, std::string_view bytes, std::int64_t max);
// The stored value; with `sliding` also renews the TTL (and the index entry) of a live session.
std::optional<std::string> get_raw(Client& client, const KeySpec& spec, const SessionRef& ref, bool sliding);
// Replaces the value of an existing session; false and nothing written when it does not exist.
// Sliding sessions get a full TTL again; others keep their remaining TTL.
bool update_raw(Client& client, const KeySpec& spec, const SessionRef& ref, std::string_view bytes, bool sliding);
// Replaces the value with fn(current value) when no other writer changed it in between (compared
// byte for byte in the script that writes); reads and retries otherwise, up to kUpdateAttempts
// times, then throws UpdateConflict. False when the session does not exist. Renews like update_raw.
bool update_raw(Client& client, const KeySpec& spec, const SessionRef& ref,
                const std::function<std::string(const std::string&)>& fn, bool sliding);
// Renews the TTL (and the index entry); false when the session does not exist.
bool touch(Client& client, const KeySpec& spec, const SessionRef& ref);
// Deletes the session and its index entry; true when the session existed.
bool destroy(Client& client, const KeySpec& spec, const SessionRef& ref);
// The ids of the live sessions of ref.index, soonest-expiring first; drops ids of sessions that
// are gone or belong elsewhere. `ref` is any session of the index (only the parts of its key
// around the id count).
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

// update_raw with fn over decoded values; the value written, nullopt when the session does not exist.
template <class Codec>
std::optional<typename Codec::value_type> update(
    Client& client, const KeySpec& spec, const SessionRef& ref,
    const std::function<typename Codec::value_type(const typename Codec::value_type&)>& fn, bool sliding) {
  std::optional<typename Codec::value_type> written;
  const auto on_bytes = [&](const std::string& old) {
    written = fn(Codec::decode(old, spec));
    return Codec::encode(*written);
  };
  if (!update_raw(client, spec, ref, on_bytes, sliding)) return std::nullopt;
  return written;
}

}  // namespace session
}  // namespace keyspace
