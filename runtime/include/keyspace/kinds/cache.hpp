#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// The operations of the cache kind: read-through entries with tags, stampede protection and
// early refresh. Generated accessors render the keys (the entry, its tag sets) and pick the
// codec; the algorithm lives in runtime/src/cache*.cpp (see docs/kinds/cache.md).
//
// Redis layout of one entry `<key>`:
//   <key>                       string, the encoded value, always written with the key's TTL
//                               (plus `stale:`, the time it may be served past its TTL)
//   <key>:_fill                 string, the load lock: a random token, SET NX PX (bounded TTL)
//   <namespace>:_tag:<tag>      set of entry keys tagged <tag>; its TTL is kept at least the
//                               TTL of the newest member written

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "keyspace/client.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/key_spec.hpp"
#include "keyspace/kinds/get_many.hpp"
#include "keyspace/observer.hpp"

namespace keyspace {

// What a cache read does when Redis fails (`on_error` in the schema).
enum class CacheOnError { throw_error, miss };

// The schema's settings of one cache key.
struct CachePolicy {
  CacheOnError on_error = CacheOnError::throw_error;
  // `refresh_ahead: N%`: a hit whose remaining TTL is below N% of the TTL is reloaded by one
  // caller of get_or_load. 0: entries are only loaded when missing.
  int refresh_ahead_percent = 0;
  // `stale: <duration>`: an entry is kept this long past its TTL (its soft expiry), and
  // get_or_load serves it meanwhile while the one caller that takes the load lock reloads it.
  std::chrono::milliseconds stale{0};
  // `early_refresh`: XFetch's beta. A hit is reloaded early when -delta * beta * ln(rand) reaches
  // the entry's remaining time before its soft expiry (the server's PTTL), delta being the time
  // this process's loads of the key took. 0: off.
  double early_refresh_beta = 0;
};

// The TTL an entry is written with: the key's, plus the time it may be served stale.
inline std::chrono::milliseconds stored_ttl(const KeySpec& spec, const CachePolicy& policy) {
  return spec.ttl + policy.stale;
}

namespace cache {

// The longest a load lock is held: a loader that takes longer lets one more caller load.
// The lock's TTL is min(entry TTL, kMaxLoadLock).
inline constexpr std::chrono::milliseconds kMaxLoadLock{10'000};

// GET; a Redis failure is a (reported) miss when the policy says so.
std::optional<std::string> get_raw(Client& client, const KeySpec& spec, const CachePolicy& policy,
                                   const std::string& key);
// Writes the entry with stored_ttl() and adds it to each tag set (one script).
void set_raw(Client& client, const KeySpec& spec, const CachePolicy& policy, const std::string& key,
             const std::string& bytes, const std::vector<std::string>& tag_keys);
// set_raw only while the entry is as a reload found it: missing (`expected` nullopt) or holding
// `expected`. false, and nothing written, when another writer changed it meanwhile.
bool write_back_raw(Client& client, const KeySpec& spec, const CachePolicy& policy, const std::string& key,
                    const std::string& bytes, const std::vector<std::string>& tag_keys,
                    const std::optional<std::string>& expected);
// MGET of many entries, each read reported to the observer as a hit or a miss; a Redis failure
// is a degraded miss of every entry when the policy says so.
std::vector<std::optional<std::string>> get_many_raw(Client& client, const KeySpec& spec, const CachePolicy& policy,
                                                     const std::vector<std::string>& keys);
// Deletes the entry; true when it existed.
bool invalidate(Client& client, const KeySpec& spec, const std::string& key);
// Deletes every entry in tag set `tag_key` (SPOP in batches, UNLINK); returns how many entries
// existed. `tag_spec` names the tag set's template in errors and observer events.
std::int64_t invalidate_tag(Client& client, const KeySpec& tag_spec, const std::string& tag_key);

// get_or_load on encoded values: returns the cached bytes, or the bytes `load` produced. Every
// entry read is passed to `accept` (which decodes it); one it refuses is a degraded miss, loaded
// and overwritten. The bytes returned are those of the last `accept` that returned true or of
// the last `load`, whichever came later.
std::string get_or_load_raw(Client& client, const KeySpec& spec, const CachePolicy& policy, const std::string& key,
                            const std::vector<std::string>& tag_keys, const std::function<std::string()>& load,
                            const std::function<bool(const std::string&)>& accept);

template <class Codec>
std::optional<typename Codec::value_type> get(Client& client, const KeySpec& spec, const CachePolicy& policy,
                                              const std::string& key) {
  std::optional<std::string> raw = get_raw(client, spec, policy, key);
  if (!raw) return std::nullopt;
  return Codec::decode(*raw, spec);
}

// get_many of a cache key: one MGET (see ops::get_many), the reads reported like get()'s.
template <class Codec, class Expected, class Id, class KeyOf>
std::vector<std::optional<typename Codec::value_type>> get_many(Client& client, const KeySpec& spec,
                                                                const CachePolicy& policy, const std::vector<Id>& ids,
                                                                const KeyOf& key_of) {
  if constexpr (batch::check_ids<Expected, Id>()) {
    return ops::decode_many<Codec>(get_many_raw(client, spec, policy, ops::keys_of(ids, key_of)), spec);
  } else {
    (void)client, (void)spec, (void)policy, (void)ids, (void)key_of;
    return {};
  }
}

template <class Codec>
void set(Client& client, const KeySpec& spec, const CachePolicy& policy, const std::string& key,
         const typename Codec::value_type& value, const std::vector<std::string>& tag_keys) {
  set_raw(client, spec, policy, key, Codec::encode(value), tag_keys);
}

template <class Codec, class Loader>
typename Codec::value_type get_or_load(Client& client, const KeySpec& spec, const CachePolicy& policy,
                                       const std::string& key, const std::vector<std::string>& tag_keys,
                                       Loader&& loader) {
  using value_type = typename Codec::value_type;
  static_assert(std::is_invocable_r_v<value_type, Loader&>,
                "get_or_load: the loader must be callable without arguments and return the cache's value_type");
  // The value returned is the one this caller loaded (no decode round trip) or the one decoded
  // from the entry it read last; an entry that does not decode is reloaded.
  std::optional<value_type> value;
  get_or_load_raw(
      client, spec, policy, key, tag_keys,
      [&] {
        value.emplace(loader());
        return Codec::encode(*value);
      },
      [&](const std::string& bytes) {
        try {
          value.emplace(Codec::decode(bytes, spec));
          return true;
        } catch (const DecodeError&) {
          return false;
        }
      });
  return std::move(*value);
}

}  // namespace cache
}  // namespace keyspace
