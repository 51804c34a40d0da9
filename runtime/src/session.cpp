#include "keyspace/session.hpp"

#include <utility>

#include <fmt/format.h>

#include "keyspace/errors.hpp"
#include "keyspace/random_token.hpp"
#include "keyspace/reply_checks.hpp"

namespace keyspace::session {
namespace {

// Shared by the index scripts. Scores are expiry times in ms from the server clock with a
// microsecond fraction, so sessions created one after the other never tie and "the oldest" is
// well defined. Numbers are formatted by hand: Lua would print them with 14 digits only.
constexpr std::string_view kIndexFunctions = R"lua(
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local function ms(x) return string.format('%.3f', x) end
-- The index must outlive its longest-living session: its TTL follows the highest expiry in it.
local function keep_index_ttl(index, now)
  local last = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')
  if last[2] then redis.call('PEXPIRE', index, string.format('%d', math.ceil(tonumber(last[2]) - now) + 1)) end
end
local function renew_entry(index, id, ttl)
  local now = now_ms()
  redis.call('ZADD', index, ms(now + tonumber(ttl)), id)
  keep_index_ttl(index, now)
end
)lua";

std::string with_index_functions(std::string_view body) { return std::string(kIndexFunctions) + std::string(body); }

// KEYS: session, index. ARGV: value, ttl, id, max, key prefix, key suffix.
const Script& create_script() {
  static const Script script(with_index_functions(R"lua(
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ms(now))
redis.call('ZADD', KEYS[2], ms(now + tonumber(ARGV[2])), ARGV[3])
local max = tonumber(ARGV[4])
local excess = redis.call('ZCARD', KEYS[2]) - max
if max > 0 and excess > 0 then
  -- excess + 1 candidates, soonest-expiring first, so that skipping the new session still leaves enough
  for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess)) do
    if excess > 0 and id ~= ARGV[3] then
      redis.call('DEL', ARGV[5] .. id .. ARGV[6])
      redis.call('ZREM', KEYS[2], id)
      excess = excess - 1
    end
  end
end
keep_index_ttl(KEYS[2], now)
return 1
)lua"));
  return script;
}

// KEYS: session, index. ARGV: id, ttl, "value" | "touch". Renews a live session and its entry;
// the entry of a session that is gone is dropped.
const Script& renew_script() {
  static const Script script(with_index_functions(R"lua(
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return false
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
renew_entry(KEYS[2], ARGV[1], ARGV[2])
if ARGV[3] == 'value' then return value end
return 1
)lua"));
  return script;
}

// KEYS: session, index. ARGV: value, ttl, id. Sliding update: the new value with a full TTL.
const Script& sliding_update_script() {
  static const Script script(with_index_functions(R"lua(
if not redis.call('SET', KEYS[1], ARGV[1], 'XX', 'PX', ARGV[2]) then
  redis.call('ZREM', KEYS[2], ARGV[3])
  return 0
end
renew_entry(KEYS[2], ARGV[3], ARGV[2])
return 1
)lua"));
  return script;
}

// KEYS: session, index. ARGV: id.
const Script& destroy_script() {
  static const Script script(R"lua(
local existed = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return existed
)lua");
  return script;
}

// KEYS: index. ARGV: key prefix, key suffix. Live ids, soonest-expiring first.
const Script& list_script() {
  static const Script script(with_index_functions(R"lua(
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms(now_ms()))
local live = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('EXISTS', ARGV[1] .. id .. ARGV[2]) == 1 then
    live[#live + 1] = id
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return live
)lua"));
  return script;
}

// KEYS: index. ARGV: key prefix, key suffix.
const Script& destroy_all_script() {
  static const Script script(R"lua(
local destroyed = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  destroyed = destroyed + redis.call('DEL', ARGV[1] .. id .. ARGV[2])
end
redis.call('DEL', KEYS[1])
return destroyed
)lua");
  return script;
}

std::optional<std::string> string_or_nil(const KeySpec& spec, std::string_view op, const Reply& reply) {
  if (reply.is_nil()) return std::nullopt;
  if (reply.type != Reply::Type::string) detail::throw_unexpected_reply(spec, op, reply);
  return reply.str;
}

// The session key around its id: the scripts that walk an index rebuild keys as prefix..id..suffix.
std::pair<std::string, std::string> split_at_id(const KeySpec& spec, const SessionRef& ref) {
  const std::size_t at = ref.key.find(ref.id);
  if (ref.id.empty() || at == std::string::npos) {
    throw InvalidKey(fmt::format("{}: the session id does not appear verbatim in its key", spec.name),
                     spec.key_template);
  }
  return {ref.key.substr(0, at), ref.key.substr(at + ref.id.size())};
}

}  // namespace

std::string new_id() { return random_hex(kIdBytes); }

void create_raw(Client& client, const KeySpec& spec, const SessionRef& ref, std::string_view bytes,
                std::int64_t max) {
  const std::string ttl = std::to_string(spec.ttl.count());
  bool written = false;
  if (ref.index.empty()) {
    written = !client.execute(spec, "session.create", {"SET", ref.key, bytes, "NX", "PX", ttl}).is_nil();
  } else {
    const auto [prefix, suffix] = split_at_id(spec, ref);
    const std::string max_text = std::to_string(max);
    const Reply reply = client.run_script(spec, "session.create", create_script(), {ref.key, ref.index},
                                          {bytes, ttl, ref.id, max_text, prefix, suffix});
    written = detail::expect_integer(spec, "session.create", reply) == 1;
  }
  // Two draws of 256 random bits never collide in practice; NX makes sure one would not
  // silently take over another user's session.
  if (!written) throw Error(fmt::format("create on {}: the new session id is taken", spec.name), spec.key_template);
}

std::optional<std::string> get_raw(Client& client, const KeySpec& spec, const SessionRef& ref, bool sliding) {
  const std::string ttl = std::to_string(spec.ttl.count());
  if (!sliding) return string_or_nil(spec, "session.get", client.execute(spec, "session.get", {"GET", ref.key}));
  if (ref.index.empty()) {
    return string_or_nil(spec, "session.get", client.execute(spec, "session.get", {"GETEX", ref.key, "PX", ttl}));
  }
  return string_or_nil(spec, "session.get",
                       client.run_script(spec, "session.get", renew_script(), {ref.key, ref.index}, {ref.id, ttl, "value"}));
}

bool update_raw(Client& client, const KeySpec& spec, const SessionRef& ref, std::string_view bytes, bool sliding) {
  const std::string ttl = std::to_string(spec.ttl.count());
  if (!sliding) {
    // A fixed lifetime: the session ends when it was going to, whatever is written to it.
    return !client.execute(spec, "session.update", {"SET", ref.key, bytes, "XX", "KEEPTTL"}).is_nil();
  }
  if (ref.index.empty()) return !client.execute(spec, "session.update", {"SET", ref.key, bytes, "XX", "PX", ttl}).is_nil();
  const Reply reply =
      client.run_script(spec, "session.update", sliding_update_script(), {ref.key, ref.index}, {bytes, ttl, ref.id});
  return detail::expect_integer(spec, "session.update", reply) == 1;
}

bool touch(Client& client, const KeySpec& spec, const SessionRef& ref) {
  const std::string ttl = std::to_string(spec.ttl.count());
  if (ref.index.empty()) return detail::expect_integer(spec, "session.touch", client.execute(spec, "session.touch", {"PEXPIRE", ref.key, ttl})) == 1;
  const Reply reply = client.run_script(spec, "session.touch", renew_script(), {ref.key, ref.index}, {ref.id, ttl, "touch"});
  return !reply.is_nil();
}

bool destroy(Client& client, const KeySpec& spec, const SessionRef& ref) {
  if (ref.index.empty()) return detail::expect_integer(spec, "session.destroy", client.execute(spec, "session.destroy", {"DEL", ref.key})) > 0;
  const Reply reply = client.run_script(spec, "session.destroy", destroy_script(), {ref.key, ref.index}, {ref.id});
  return detail::expect_integer(spec, "session.destroy", reply) > 0;
}

std::vector<std::string> list(Client& client, const KeySpec& spec, const SessionRef& ref) {
  const auto [prefix, suffix] = split_at_id(spec, ref);
  const Reply reply = client.run_script(spec, "session.list", list_script(), {ref.index}, {prefix, suffix});
  if (reply.type != Reply::Type::array) detail::throw_unexpected_reply(spec, "session.list", reply);
  std::vector<std::string> ids;
  ids.reserve(reply.elements.size());
  for (const Reply& element : reply.elements) ids.push_back(element.str);
  return ids;
}

std::int64_t destroy_all(Client& client, const KeySpec& spec, const SessionRef& ref) {
  const auto [prefix, suffix] = split_at_id(spec, ref);
  const Reply reply = client.run_script(spec, "session.destroy_all", destroy_all_script(), {ref.index}, {prefix, suffix});
  return detail::expect_integer(spec, "session.destroy_all", reply);
}

}  // namespace keyspace::session
