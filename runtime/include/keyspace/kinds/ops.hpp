#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// The operations of the value, counter and flag kinds. Generated accessors are thin typed
// wrappers around these functions: they render the key and pick the codec; everything that
// talks to Redis lives here and in runtime/src.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "keyspace/client.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace::ops {

// --- shared by every kind ------------------------------------------------------------------
bool del(Client& client, const KeySpec& spec, const std::string& key);
bool exists(Client& client, const KeySpec& spec, const std::string& key);
// Remaining time to live; nullopt when the key does not exist or has no expiry.
std::optional<std::chrono::milliseconds> ttl(Client& client, const KeySpec& spec, const std::string& key);

// Throws PolicyError unless `ttl` is positive and within spec.max_ttl (when the schema sets one).
void check_ttl_override(const KeySpec& spec, std::chrono::milliseconds ttl);

// --- value -----------------------------------------------------------------------------------
std::optional<std::string> get_raw(Client& client, const KeySpec& spec, const std::string& key);
// GET, with the reply read in place: nil when the key does not exist, its string otherwise.
RawReply get_in_place(Client& client, const KeySpec& spec, const std::string& key);
// SET with the spec's TTL (PX) unless the key is persistent.
void set_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& bytes);
// SET with a TTL other than the spec's; throws PolicyError before sending anything when `ttl` is
// not positive or above spec.max_ttl.
void set_raw_with_ttl(Client& client, const KeySpec& spec, const std::string& key, const std::string& bytes,
                      std::chrono::milliseconds ttl);
// SET NX with the spec's TTL; true when the value was written.
bool set_raw_if_absent(Client& client, const KeySpec& spec, const std::string& key, const std::string& bytes);

// Decodes straight from the bytes hiredis received; by then the connection is back in the pool
// and the observer has heard of the command, so a DecodeError is not a failed command.
template <class Codec>
std::optional<typename Codec::value_type> get(Client& client, const KeySpec& spec, const std::string& key) {
  const RawReply reply = get_in_place(client, spec, key);
  if (reply.is_nil()) return std::nullopt;
  return Codec::decode(reply.str(), spec);
}

template <class Codec>
void set(Client& client, const KeySpec& spec, const std::string& key, const typename Codec::value_type& value) {
  set_raw(client, spec, key, Codec::encode(value));
}

template <class Codec>
void set_with_ttl(Client& client, const KeySpec& spec, const std::string& key, const typename Codec::value_type& value,
                  std::chrono::milliseconds ttl) {
  set_raw_with_ttl(client, spec, key, Codec::encode(value), ttl);
}

template <class Codec>
bool set_if_absent(Client& client, const KeySpec& spec, const std::string& key,
                   const typename Codec::value_type& value) {
  return set_raw_if_absent(client, spec, key, Codec::encode(value));
}

// --- counter ---------------------------------------------------------------------------------
// Adds `by` (may be negative) and returns the new value. A counter that does not exist is
// created with the spec's TTL in the same atomic step, so it can never be left without one.
// The script of counter_add (KEYS[1] the counter, ARGV[1] the amount, ARGV[2] the TTL in ms).
const Script& counter_add_script();
std::int64_t counter_add(Client& client, const KeySpec& spec, const std::string& key, std::int64_t by);
// Current value; 0 when the counter does not exist.
std::int64_t counter_get(Client& client, const KeySpec& spec, const std::string& key);

// --- flag ------------------------------------------------------------------------------------
// Sets the flag (value "1") with the spec's TTL.
void flag_set(Client& client, const KeySpec& spec, const std::string& key);
// The same with a TTL of the caller's (a token blacklisted for its remaining lifetime): positive
// and at most spec.max_ttl when there is one, else PolicyError and nothing sent.
void flag_set_with_ttl(Client& client, const KeySpec& spec, const std::string& key, std::chrono::milliseconds ttl);

}  // namespace keyspace::ops
