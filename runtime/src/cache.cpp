#include "keyspace/kinds/cache.hpp"

#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/reply_checks.hpp"
#include "keyspace/detail/script.hpp"
#include "keyspace/kinds/tags.hpp"

namespace keyspace::cache {

namespace {

// Writes the entry and files it under its tags in one step, so no entry is ever tagged without
// existing or written without being findable by its tags:
//   KEYS[1] the entry, KEYS[2..] its tag sets; ARGV[1] the encoded value, ARGV[2] the TTL in ms;
//   ARGV[3] when to write: 'always', 'absent' (only while the entry is missing) or 'holds' (only
//   while it holds ARGV[4]). Returns 1 when written, 0 when the entry was not as expected.
// A tag set's TTL only ever grows to the member's TTL (never shrinks), so it outlives every
// member it lists: invalidation can always find every live entry. PTTL is read before SADD so
// that a set kept persistent by a persistent member of another kind (keyspace/kinds/tags.hpp)
// stays so.
const Script& write_script() {
  static const Script script(R"lua(
local ttl = tonumber(ARGV[2])
if ARGV[3] == 'absent' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if ARGV[3] == 'holds' and redis.call('GET', KEYS[1]) ~= ARGV[4] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
for i = 2, #KEYS do
  local pttl = redis.call('PTTL', KEYS[i])
  redis.call('SADD', KEYS[i], KEYS[1])
  if pttl == -2 or (pttl >= 0 and pttl < ttl) then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
)lua");
  return script;
}

std::optional<std::string> plain_get(Client& client, const KeySpec& spec, const std::string& key) {
  Reply reply = detail::ClientAccess::execute(client, spec, "get", {"GET", key});
  if (reply.is_nil()) return std::nullopt;
  if (reply.type != Reply::Type::string) detail::throw_unexpected_reply(spec, "get", reply);
  return std::move(reply.str);
}

}  // namespace

std::optional<std::string> get_raw(Client& client, const KeySpec& spec, const CachePolicy& policy,
                                   const std::string& key) {
  std::optional<std::string> bytes;
  try {
    bytes = plain_get(client, spec, key);
  } catch (const ConnectionError&) {
    if (policy.on_error != CacheOnError::miss) throw;
    detail::ClientAccess::report_cache(client, spec, CacheOutcome::degraded_miss);
    return std::nullopt;
  }
  detail::ClientAccess::report_cache(client, spec, bytes ? CacheOutcome::hit : CacheOutcome::miss);
  return bytes;
}

namespace {

bool write(Client& client, const KeySpec& spec, const CachePolicy& policy, std::string_view op,
           const std::string& key, const std::string& bytes, const std::vector<std::string>& tag_keys,
           std::string_view when, std::string_view expected) {
  // A cache key always has a TTL (lint KS0505); a zero spec TTL would be a persistent entry.
  if (spec.persistent()) {
    throw PolicyError(fmt::format("{} on {}: a cache entry needs a TTL", op, spec.name), spec.key_template);
  }
  const std::string ttl = std::to_string(stored_ttl(spec, policy).count());
  std::vector<std::string_view> keys{key};
  if (client.options().topology == Topology::cluster && !tag_keys.empty()) {
    // Tag sets live in other slots than the entry: the entry is filed first, each tag set on
    // its own, then written alone, as the other kinds' tagged writes are (keyspace/kinds/tags.hpp).
    // A tag may then list an entry that is not written yet, never the other way round.
    tags::file(client, spec, {key}, stored_ttl(spec, policy), tag_keys);
    const Reply reply = detail::ClientAccess::run_script(client, spec, op, write_script(), keys, {bytes, ttl, when, expected});
    return detail::expect_integer(spec, op, reply) == 1;
  }
  keys.insert(keys.end(), tag_keys.begin(), tag_keys.end());
  const Reply reply = detail::ClientAccess::run_script(client, spec, op, write_script(), keys, {bytes, ttl, when, expected});
  const bool written = detail::expect_integer(spec, op, reply) == 1;
  if (written && !tag_keys.empty()) tags::maybe_prune(client, spec, tag_keys);
  return written;
}

}  // namespace

void set_raw(Client& client, const KeySpec& spec, const CachePolicy& policy, const std::string& key,
             const std::string& bytes, const std::vector<std::string>& tag_keys) {
  write(client, spec, policy, "set", key, bytes, tag_keys, "always", "");
}

bool write_back_raw(Client& client, const KeySpec& spec, const CachePolicy& policy, const std::string& key,
                    const std::string& bytes, const std::vector<std::string>& tag_keys,
                    const std::optional<std::string>& expected) {
  return write(client, spec, policy, "get_or_load", key, bytes, tag_keys, expected ? "holds" : "absent",
               expected.value_or(""));
}

std::vector<std::optional<std::string>> get_many_raw(Client& client, const KeySpec& spec, const CachePolicy& policy,
                                                     const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> entries;
  try {
    entries = ops::get_many_raw(client, spec, keys);
  } catch (const ConnectionError&) {
    if (policy.on_error != CacheOnError::miss) throw;
    for (std::size_t i = 0; i < keys.size(); ++i) detail::ClientAccess::report_cache(client, spec, CacheOutcome::degraded_miss);
    return std::vector<std::optional<std::string>>(keys.size());
  }
  for (const std::optional<std::string>& entry : entries) {
    detail::ClientAccess::report_cache(client, spec, entry ? CacheOutcome::hit : CacheOutcome::miss);
  }
  return entries;
}

bool invalidate(Client& client, const KeySpec& spec, const std::string& key) {
  Reply reply = detail::ClientAccess::execute(client, spec, "invalidate", {"UNLINK", key});
  if (reply.type != Reply::Type::integer) detail::throw_unexpected_reply(spec, "invalidate", reply);
  return reply.integer > 0;
}

// The generic tag invalidation (keyspace/kinds/tags.hpp): tag sets are shared by every kind.
std::int64_t invalidate_tag(Client& client, const KeySpec& tag_spec, const std::string& tag_key) {
  return tags::invalidate(client, tag_spec, tag_key);
}

}  // namespace keyspace::cache
