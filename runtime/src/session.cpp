#include "keyspace/kinds/session.hpp"

#include <utility>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/reply_checks.hpp"
#include "keyspace/errors.hpp"
#include "random_token.hpp"

namespace keyspace::session {
namespace {

// Shared by the index scripts. Scores are expiry times in ms from the server clock with a
// microsecond fraction, so sessions created one after the other never tie and "the oldest" is
// well defined. Numbers are formatted by hand: Lua would print them with 14 digits only.
//
// The scripts on one session take KEYS[1] = the session and, when the caller names an index,
// KEYS[2] = that index; without KEYS[2] they go by the index the session names.
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
-- The index a session belongs to, as its hash names it; nil when the key holds no such session.
local function owner_of(session)
  if redis.call('TYPE', session).ok ~= 'hash' then return nil end
  return redis.call('HGET', session, 'owner') or nil
end
-- The index of the session in KEYS[1]; nil when it does not exist or KEYS[2] names another index.
local function session_index()
  local owner = owner_of(KEYS[1])
  if not owner or (KEYS[2] and KEYS[2] ~= owner) then return nil end
  return owner
end
-- A session that is gone leaves the index the caller named (it is no other index's business).
local function forget_if_gone(id)
  if KEYS[2] and redis.call('EXISTS', KEYS[1]) == 0 then redis.call('ZREM', KEYS[2], id) end
end
)lua";

std::string with_index_functions(std::string_view body) { return std::string(kIndexFunctions) + std::string(body); }

// KEYS: session, index. ARGV: value, ttl, id, max, key prefix, key suffix. The session's hash
// names its index, in the same script that lists it there.
const Script& create_script() {
  static const Script script(with_index_functions(R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'owner', KEYS[2])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ms(now))
redis.call('ZADD', KEYS[2], ms(now + tonumber(ARGV[2])), ARGV[3])
local max = tonumber(ARGV[4])
local excess = redis.call('ZCARD', KEYS[2]) - max
if max > 0 and excess > 0 then
  -- excess + 1 candidates, soonest-expiring first, so that skipping the new session still leaves enough
  for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess)) do
    if excess > 0 and id ~= ARGV[3] then
      local key = ARGV[5] .. id .. ARGV[6]
      if owner_of(key) == KEYS[2] then redis.call('DEL', key) end
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

// KEYS: session[, index]. ARGV: id, ttl ('' keeps the expiry), "value" | "touch". Reads a session
// and, with a ttl, renews it and its entry.
const Script& read_script() {
  static const Script script(with_index_functions(R"lua(
local index = session_index()
if not index then
  forget_if_gone(ARGV[1])
  return false
end
if ARGV[2] ~= '' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  renew_entry(index, ARGV[1], ARGV[2])
end
if ARGV[3] == 'value' then return redis.call('HGET', KEYS[1], 'value') end
return 1
)lua"));
  return script;
}

// KEYS: session[, index]. ARGV: value, ttl ('' keeps the expiry), id, "set" | "compare", the
// value expected now (compare). 1 written, 0 no such session, -1 the value was not the expected one.
const Script& write_script() {
  static const Script script(with_index_functions(R"lua(
local index = session_index()
if not index then
  forget_if_gone(ARGV[3])
  return 0
end
if ARGV[4] == 'compare' and redis.call('HGET', KEYS[1], 'value') ~= ARGV[5] then return -1 end
redis.call('HSET', KEYS[1], 'value', ARGV[1])
if ARGV[2] ~= '' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  renew_entry(index, ARGV[3], ARGV[2])
end
return 1
)lua"));
  return script;
}

// KEYS: session[, index]. ARGV: id.
const Script& destroy_script() {
  static const Script script(with_index_functions(R"lua(
local index = session_index()
if not index then
  forget_if_gone(ARGV[1])
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', index, ARGV[1])
return 1
)lua"));
  return script;
}

// KEYS: index. ARGV: key prefix, key suffix. Live ids of sessions of this index, soonest-expiring first.
const Script& list_script() {
  static const Script script(with_index_functions(R"lua(
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms(now_ms()))
local live = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if owner_of(ARGV[1] .. id .. ARGV[2]) == KEYS[1] then
    live[#live + 1] = id
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return live
)lua"));
  return script;
}

// KEYS: index. ARGV: key prefix, key suffix. Ids listed here whose session belongs elsewhere are
// left alone.
const Script& destroy_all_script() {
  static const Script script(with_index_functions(R"lua(
local destroyed = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local key = ARGV[1] .. id .. ARGV[2]
  if owner_of(key) == KEYS[1] then destroyed = destroyed + redis.call('DEL', key) end
end
redis.call('DEL', KEYS[1])
return destroyed
)lua"));
  return script;
}

// KEYS: session (a kind without index: a string). ARGV: value, ttl ('' keeps the expiry), the
// value expected now. 1 written, 0 no such session, -1 the value was not the expected one.
const Script& compare_and_set_script() {
  static const Script script(R"lua(
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if current ~= ARGV[3] then return -1 end
if ARGV[2] == '' then
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1
)lua");
  return script;
}

bool indexed(const SessionRef& ref) { return ref.owner != SessionRef::Owner::none; }

// The keys of a script on one session: the session, then the index the caller names, if any.
class SessionKeys {
 public:
  explicit SessionKeys(const SessionRef& ref)
      : keys_{ref.key, ref.index}, size_(ref.owner == SessionRef::Owner::given ? 2 : 1) {}
  operator CommandArgs() const noexcept { return CommandArgs(keys_, size_); }

 private:
  std::string_view keys_[2];
  std::size_t size_;
};

std::string ttl_text(const KeySpec& spec) { return std::to_string(spec.ttl.count()); }

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

enum class Written { yes, no_session, changed_meanwhile };

Written written(const KeySpec& spec, std::string_view op, const Reply& reply) {
  const std::int64_t n = detail::expect_integer(spec, op, reply);
  return n == 1 ? Written::yes : n == 0 ? Written::no_session : Written::changed_meanwhile;
}

// Writes `bytes` when the session's value is still `expected` (or unconditionally without one).
Written write(Client& client, const KeySpec& spec, const SessionRef& ref, std::string_view bytes, bool sliding,
              const std::string* expected) {
  constexpr std::string_view op = "session.update";
  // A fixed lifetime: the session ends when it was going to, whatever is written to it.
  const std::string ttl = sliding ? ttl_text(spec) : std::string();
  if (indexed(ref)) {
    const std::string_view mode = expected ? "compare" : "set";
    const std::string_view old = expected ? std::string_view(*expected) : std::string_view();
    return written(spec, op, detail::ClientAccess::run_script(client, spec, op, write_script(), SessionKeys(ref), {bytes, ttl, ref.id, mode, old}));
  }
  if (expected) {
    return written(spec, op, detail::ClientAccess::run_script(client, spec, op, compare_and_set_script(), {ref.key}, {bytes, ttl, *expected}));
  }
  const Reply reply = sliding ? detail::ClientAccess::execute(client, spec, op, {"SET", ref.key, bytes, "XX", "PX", ttl})
                              : detail::ClientAccess::execute(client, spec, op, {"SET", ref.key, bytes, "XX", "KEEPTTL"});
  return reply.is_nil() ? Written::no_session : Written::yes;
}

}  // namespace

std::string new_id() { return random_hex(kIdBytes); }

void create_raw(Client& client, const KeySpec& spec, const SessionRef& ref, std::string_view bytes,
                std::int64_t max) {
  const std::string ttl = ttl_text(spec);
  bool created = false;
  if (!indexed(ref)) {
    created = !detail::ClientAccess::execute(client, spec, "session.create", {"SET", ref.key, bytes, "NX", "PX", ttl}).is_nil();
  } else {
    const auto [prefix, suffix] = split_at_id(spec, ref);
    const std::string max_text = std::to_string(max);
    const Reply reply = detail::ClientAccess::run_script(client, spec, "session.create", create_script(), {ref.key, ref.index},
                                          {bytes, ttl, ref.id, max_text, prefix, suffix});
    created = detail::expect_integer(spec, "session.create", reply) == 1;
  }
  // Two draws of 256 random bits never collide in practice; NX makes sure one would not
  // silently take over another user's session.
  if (!created) throw Error(fmt::format("create on {}: the new session id is taken", spec.name), spec.key_template);
}

std::optional<std::string> get_raw(Client& client, const KeySpec& spec, const SessionRef& ref, bool sliding) {
  constexpr std::string_view op = "session.get";
  const std::string ttl = sliding ? ttl_text(spec) : std::string();
  if (indexed(ref)) {
    return string_or_nil(spec, op, detail::ClientAccess::run_script(client, spec, op, read_script(), SessionKeys(ref), {ref.id, ttl, "value"}));
  }
  if (!sliding) return string_or_nil(spec, op, detail::ClientAccess::execute(client, spec, op, {"GET", ref.key}));
  return string_or_nil(spec, op, detail::ClientAccess::execute(client, spec, op, {"GETEX", ref.key, "PX", ttl}));
}

bool update_raw(Client& client, const KeySpec& spec, const SessionRef& ref, std::string_view bytes, bool sliding) {
  return write(client, spec, ref, bytes, sliding, nullptr) == Written::yes;
}

bool update_raw(Client& client, const KeySpec& spec, const SessionRef& ref,
                const std::function<std::string(const std::string&)>& fn, bool sliding) {
  for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
    const std::optional<std::string> old = get_raw(client, spec, ref, false);
    if (!old) return false;
    switch (write(client, spec, ref, fn(*old), sliding, &*old)) {
      case Written::yes: return true;
      case Written::no_session: return false;
      case Written::changed_meanwhile: break;
    }
  }
  throw UpdateConflict(fmt::format("update on {}: the session changed under each of {} attempts", spec.name,
                                   kUpdateAttempts),
                       spec.key_template);
}

bool touch(Client& client, const KeySpec& spec, const SessionRef& ref) {
  constexpr std::string_view op = "session.touch";
  const std::string ttl = ttl_text(spec);
  if (!indexed(ref)) return detail::expect_integer(spec, op, detail::ClientAccess::execute(client, spec, op, {"PEXPIRE", ref.key, ttl})) == 1;
  return !detail::ClientAccess::run_script(client, spec, op, read_script(), SessionKeys(ref), {ref.id, ttl, "touch"}).is_nil();
}

bool destroy(Client& client, const KeySpec& spec, const SessionRef& ref) {
  constexpr std::string_view op = "session.destroy";
  if (!indexed(ref)) return detail::expect_integer(spec, op, detail::ClientAccess::execute(client, spec, op, {"DEL", ref.key})) > 0;
  return detail::expect_integer(spec, op, detail::ClientAccess::run_script(client, spec, op, destroy_script(), SessionKeys(ref), {ref.id})) > 0;
}

std::vector<std::string> list(Client& client, const KeySpec& spec, const SessionRef& ref) {
  const auto [prefix, suffix] = split_at_id(spec, ref);
  const Reply reply = detail::ClientAccess::run_script(client, spec, "session.list", list_script(), {ref.index}, {prefix, suffix});
  if (reply.type != Reply::Type::array) detail::throw_unexpected_reply(spec, "session.list", reply);
  std::vector<std::string> ids;
  ids.reserve(reply.elements.size());
  for (const Reply& element : reply.elements) ids.push_back(element.str);
  return ids;
}

std::int64_t destroy_all(Client& client, const KeySpec& spec, const SessionRef& ref) {
  const auto [prefix, suffix] = split_at_id(spec, ref);
  const Reply reply = detail::ClientAccess::run_script(client, spec, "session.destroy_all", destroy_all_script(), {ref.index}, {prefix, suffix});
  return detail::expect_integer(spec, "session.destroy_all", reply);
}

}  // namespace keyspace::session
