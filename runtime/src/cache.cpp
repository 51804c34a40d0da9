#include "keyspace/kinds/cache.hpp"

#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/reply_checks.hpp"
#include "keyspace/detail/script.hpp"

namespace keyspace::cache {

namespace {

// Writes the entry and files it under its tags in one step, so no entry is ever tagged without
// existing or written without being findable by its tags:
//   KEYS[1] the entry, KEYS[2..] its tag sets; ARGV[1] the encoded value, ARGV[2] the TTL in ms;
//   ARGV[3] when to write: 'always', 'absent' (only while the entry is missing) or 'holds' (only
//   while it holds ARGV[4]). Returns 1 when written, 0 when the entry was not as expected.
// A tag set's TTL only ever grows to the member's TTL (never shrinks), so it outlives every
// member it lists: invalidation can always find every live entry.
const Script& write_script() {
  static const Script script(R"lua(
local ttl = tonumber(ARGV[2])
if ARGV[3] == 'absent' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if ARGV[3] == 'holds' and redis.call('GET', KEYS[1]) ~= ARGV[4] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
for i = 2, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
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
  keys.insert(keys.end(), tag_keys.begin(), tag_keys.end());
  const Reply reply = detail::ClientAccess::run_script(client, spec, op, write_script(), keys, {bytes, ttl, when, expected});
  return detail::expect_integer(spec, op, reply) == 1;
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

// Pops members in batches and unlinks them. The number of rounds is bounded by the set's size
// when invalidation starts: entries tagged while it runs may survive it (they were written
// after the call began). SPOP and UNLINK are separate commands (the members are not declared
// keys, so no script may touch them): a process that dies between the two leaves those entries
// to expire by their TTL.
std::int64_t invalidate_tag(Client& client, const KeySpec& tag_spec, const std::string& tag_key) {
  const std::string batch = std::to_string(kInvalidateBatch);
  Reply size = detail::ClientAccess::execute(client, tag_spec, "invalidate_tag", {"SCARD", tag_key});
  if (size.type != Reply::Type::integer) detail::throw_unexpected_reply(tag_spec, "invalidate_tag", size);
  const std::int64_t rounds = size.integer / kInvalidateBatch + 1;
  std::int64_t deleted = 0;
  for (std::int64_t round = 0; round < rounds; ++round) {
    Reply members = detail::ClientAccess::execute(client, tag_spec, "invalidate_tag", {"SPOP", tag_key, batch});
    if (members.is_nil() || (members.type == Reply::Type::array && members.elements.empty())) break;
    if (members.type != Reply::Type::array) detail::throw_unexpected_reply(tag_spec, "invalidate_tag", members);
    std::vector<std::string_view> args{"UNLINK"};
    for (const Reply& member : members.elements) args.emplace_back(member.str);
    Reply unlinked = detail::ClientAccess::execute(client, tag_spec, "invalidate_tag", args);
    if (unlinked.type != Reply::Type::integer) detail::throw_unexpected_reply(tag_spec, "invalidate_tag", unlinked);
    deleted += unlinked.integer;
  }
  return deleted;
}

}  // namespace keyspace::cache
