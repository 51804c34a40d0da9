#include "keyspace/kinds/rate_limit.hpp"

#include <atomic>
#include <random>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/script.hpp"
#include "keyspace/errors.hpp"

namespace keyspace::rate_limit {

namespace {

// Every script takes the same arguments and answers {allowed, remaining, retry_ms, reset_ms}:
//   KEYS[1] the limiter key
//   ARGV[1] '1' to count the hit, '0' to only look (peek writes nothing)
//   ARGV[2] cost   ARGV[3] requests   ARGV[4] window (refill period) in ms
//   ARGV[5] token bucket capacity    ARGV[6] a token unique to this call (sliding window members)

// A counter per window. The first hit of a window creates the counter with the window as its
// TTL (SET PX), later hits INCRBY it, which keeps that TTL: no increment can ever be left
// without an expiry, and the window ends exactly `per` after its first hit. A counter found
// without expiry (someone ran PERSIST) gets the window again. A denied hit is not counted, so
// clients that keep retrying do not push their own allowance further away.
const Script& fixed_window_script() {
  static const Script script(R"lua(
local consume = ARGV[1] == '1'
local cost, limit, window = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
local allowed = used + cost <= limit
if consume and allowed then
  if ttl == -2 then
    redis.call('SET', KEYS[1], cost, 'PX', window)
    ttl = window
  else
    redis.call('INCRBY', KEYS[1], cost)
  end
  used = used + cost
end
if consume and ttl == -1 then
  redis.call('PEXPIRE', KEYS[1], window)
  ttl = window
end
if ttl < 0 then ttl = 0 end
local retry = 0
if not allowed then retry = math.max(1, ttl) end
return {allowed and 1 or 0, math.max(0, limit - used), retry, ttl}
)lua");
  return script;
}

// A log of hits in a sorted set scored by server time in microseconds. Hits older than the
// window are trimmed, the rest counted; an allowed hit adds `cost` members made unique by the
// call's token, so concurrent hits in the same microsecond are never merged into one. Every
// hit sets the TTL to the window: the log outlives its newest entry by at most one window.
const Script& sliding_window_script() {
  static const Script script(R"lua(
local consume = ARGV[1] == '1'
local cost, limit, window_ms = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local function int(x) return string.format('%.0f', x) end
local t = redis.call('TIME')
local now_text = t[1] .. string.format('%06d', tonumber(t[2]))
local now = tonumber(now_text)
local window = window_ms * 1000
local cutoff = now - window
if consume then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', int(cutoff)) end
local used = redis.call('ZCOUNT', KEYS[1], '(' .. int(cutoff), '+inf')
-- Milliseconds until the in-window entry at `rank` (0 = oldest) leaves the window.
local function until_leaves(rank)
  local e = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. int(cutoff), '+inf', 'WITHSCORES', 'LIMIT', rank, 1)
  if #e == 0 then return 0 end
  return math.max(1, math.ceil((tonumber(e[2]) + window - now) / 1000))
end
local allowed = used + cost <= limit
if consume and allowed then
  for i = 1, cost do
    redis.call('ZADD', KEYS[1], now_text, now_text .. ':' .. ARGV[6] .. ':' .. i)
  end
  used = used + cost
end
if consume and used > 0 then redis.call('PEXPIRE', KEYS[1], window_ms) end
local retry = 0
if not allowed then retry = until_leaves(used + cost - limit - 1) end
local reset = 0
if used > 0 then reset = until_leaves(used - 1) end
return {allowed and 1 or 0, math.max(0, limit - used), retry, reset}
)lua");
  return script;
}

// A bucket of `capacity` tokens refilled continuously at requests/per from server time, kept
// in a hash {tokens, ts}. A missing bucket is full. The TTL is the time the bucket needs to
// refill completely (at least 1 ms): when it expires the bucket would be full anyway, so the
// expiry loses nothing. The epsilon absorbs floating-point drift in the refill arithmetic.
const Script& token_bucket_script() {
  static const Script script(R"lua(
local consume = ARGV[1] == '1'
local cost, requests, per_ms, capacity =
  tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local eps = 1e-9
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens, ts = tonumber(state[1]), tonumber(state[2])
if tokens == nil or ts == nil then tokens, ts = capacity, now end
if now > ts then tokens = tokens + (now - ts) * requests / (per_ms * 1000) end
tokens = math.min(capacity, tokens)
local allowed = tokens + eps >= cost
if consume and allowed then tokens = math.max(0, tokens - cost) end
local retry = 0
if not allowed then retry = math.max(1, math.ceil((cost - tokens) * per_ms / requests)) end
local reset = math.max(0, math.ceil((capacity - tokens - eps) * per_ms / requests))
if consume then
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.0f', math.max(ts, now)))
  redis.call('PEXPIRE', KEYS[1], math.max(1, reset))
end
return {allowed and 1 or 0, math.floor(tokens + eps), retry, reset}
)lua");
  return script;
}

const Script& script_for(RateLimitAlgorithm algorithm) {
  switch (algorithm) {
    case RateLimitAlgorithm::fixed_window: return fixed_window_script();
    case RateLimitAlgorithm::sliding_window: return sliding_window_script();
    case RateLimitAlgorithm::token_bucket: break;
  }
  return token_bucket_script();
}

// Distinguishes the log entries of concurrent calls: random per thread, plus a process-wide
// sequence so that two threads with equal seeds still differ.
std::string unique_call_token() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static std::atomic<std::uint64_t> sequence{0};
  return fmt::format("{:016x}{:x}", random(), sequence.fetch_add(1, std::memory_order_relaxed));
}

RateLimitResult parse_result(const KeySpec& spec, std::string_view op, const Reply& reply) {
  const bool well_formed = reply.type == Reply::Type::array && reply.elements.size() == 4 &&
                           reply.elements[0].type == Reply::Type::integer &&
                           reply.elements[1].type == Reply::Type::integer &&
                           reply.elements[2].type == Reply::Type::integer &&
                           reply.elements[3].type == Reply::Type::integer;
  if (!well_formed) {
    throw CommandError(fmt::format("{} on {}: unexpected reply from the rate limit script", op, spec.name),
                       spec.key_template);
  }
  return RateLimitResult{reply.elements[0].integer != 0, reply.elements[1].integer,
                         std::chrono::milliseconds(reply.elements[2].integer),
                         std::chrono::milliseconds(reply.elements[3].integer)};
}

RateLimitResult run(Client& client, const KeySpec& spec, std::string_view op, const RateLimitSpec& limit,
                    const std::string& key, bool consume, std::int64_t cost) {
  const std::string cost_text = std::to_string(cost);
  const std::string requests = std::to_string(limit.requests);
  const std::string per = std::to_string(limit.per.count());
  const std::string capacity = std::to_string(limit.capacity());
  const std::string token = limit.algorithm == RateLimitAlgorithm::sliding_window ? unique_call_token() : "";
  const Reply reply = detail::ClientAccess::run_script(client, spec, op, script_for(limit.algorithm), {key},
                                        {consume ? "1" : "0", cost_text, requests, per, capacity, token});
  return parse_result(spec, op, reply);
}

}  // namespace

RateLimitResult hit(Client& client, const KeySpec& spec, const RateLimitSpec& limit, const std::string& key,
                    std::int64_t cost) {
  if (cost < 1) {
    throw PolicyError(fmt::format("hit on {}: cost {} must be at least 1", spec.name, cost), spec.key_template);
  }
  if (cost > limit.capacity()) {
    throw PolicyError(fmt::format("hit on {}: cost {} exceeds the limit's capacity of {}, so it could never "
                                  "be allowed",
                                  spec.name, cost, limit.capacity()),
                      spec.key_template);
  }
  return run(client, spec, "hit", limit, key, true, cost);
}

RateLimitResult peek(Client& client, const KeySpec& spec, const RateLimitSpec& limit, const std::string& key) {
  return run(client, spec, "peek", limit, key, false, 1);
}

bool reset(Client& client, const KeySpec& spec, const std::string& key) {
  const Reply reply = detail::ClientAccess::execute(client, spec, "reset", {"DEL", key});
  if (reply.type != Reply::Type::integer) {
    throw CommandError(fmt::format("reset on {}: unexpected reply type", spec.name), spec.key_template);
  }
  return reply.integer > 0;
}

}  // namespace keyspace::rate_limit
