#include "keyspace/kinds/queue.hpp"

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/reply_checks.hpp"

#include <array>
#include <cerrno>
#include <vector>

#include <sys/random.h>

#include <fmt/format.h>

namespace keyspace::queue {

namespace {

// Every script declares the three keys of the queue, KEYS[1..3] = queue, processing, in-flight,
// and ends by giving all three the queue's TTL (ARGV[1], "0" for a persistent queue), so that
// the companions live exactly as long as the queue they belong to. A list that became empty is
// gone, and PEXPIRE on a missing key does nothing.
constexpr std::string_view kPrelude =
    "local function keep_ttl()\n"
    "  local ttl = tonumber(ARGV[1])\n"
    "  if ttl > 0 then\n"
    "    for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ttl) end\n"
    "  end\n"
    "end\n"
    "local function now_ms()\n"
    "  local t = redis.call('TIME')\n"
    "  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
    "end\n";

Script make_script(std::string_view body) { return Script(std::string(kPrelude) + std::string(body)); }

// ARGV[2] = envelope, ARGV[3] = max_length (0: unbounded). The length check and the push are
// one atomic step, so concurrent producers can never overfill the queue.
const Script& push_script() {
  static const Script script = make_script(
      "local max = tonumber(ARGV[3])\n"
      "if max > 0 and redis.call('LLEN', KEYS[1]) >= max then return -1 end\n"
      "local n = redis.call('LPUSH', KEYS[1], ARGV[2])\n"
      "keep_ttl()\n"
      "return n\n");
  return script;
}

// Runs right after BLMOVE took the message: ARGV[2] = its id. The time comes from the server, as
// does requeue_stale's cut-off, so consumers' clocks never matter.
const Script& record_script() {
  static const Script script = make_script(
      "redis.call('ZADD', KEYS[3], now_ms(), ARGV[2])\n"
      "keep_ttl()\n"
      "return 1\n");
  return script;
}

// ARGV[2] = envelope, ARGV[3] = id. Processing lists hold the newest message at the head, where
// LREM starts. A message that requeue_stale returned meanwhile is withdrawn from the queue too:
// it was processed, so delivering it again would only make a duplicate.
const Script& ack_script() {
  static const Script script = make_script(
      "local removed = redis.call('LREM', KEYS[2], 1, ARGV[2])\n"
      "if removed == 0 then removed = redis.call('LREM', KEYS[1], -1, ARGV[2]) end\n"
      "redis.call('ZREM', KEYS[3], ARGV[3])\n"
      "keep_ttl()\n"
      "return removed\n");
  return script;
}

// ARGV[2] = envelope, ARGV[3] = id. Only a message still in processing goes back, so a late
// nack never duplicates a message that was acknowledged or requeued already. It goes to the
// consuming end (RPUSH): it is older than everything waiting.
const Script& nack_script() {
  static const Script script = make_script(
      "if redis.call('LREM', KEYS[2], 1, ARGV[2]) == 0 then return 0 end\n"
      "redis.call('RPUSH', KEYS[1], ARGV[2])\n"
      "redis.call('ZREM', KEYS[3], ARGV[3])\n"
      "keep_ttl()\n"
      "return 1\n");
  return script;
}

// ARGV[2] = older_than in ms. Walks the processing list once; stale messages sit at its tail,
// where LREM with a negative count starts. The id is the envelope's first 32 bytes, as in C++.
const Script& requeue_stale_script() {
  static const Script script = make_script(
      "local now = now_ms()\n"
      "local cutoff = now - tonumber(ARGV[2])\n"
      "local moved = 0\n"
      "for _, element in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do\n"
      "  local id = string.sub(element, 1, 32)\n"
      "  local since = redis.call('ZSCORE', KEYS[3], id)\n"
      "  if not since then\n"
      "    redis.call('ZADD', KEYS[3], now, id)\n"
      "  elseif tonumber(since) < cutoff then\n"
      "    redis.call('LREM', KEYS[2], -1, element)\n"
      "    redis.call('RPUSH', KEYS[1], element)\n"
      "    redis.call('ZREM', KEYS[3], id)\n"
      "    moved = moved + 1\n"
      "  end\n"
      "end\n"
      "keep_ttl()\n"
      "return moved\n");
  return script;
}

std::int64_t run(Client& client, const KeySpec& spec, std::string_view op, const Script& script,
                 const QueueKeys& keys, std::vector<std::string_view> args) {
  const std::string ttl = std::to_string(spec.ttl.count());
  args.insert(args.begin(), ttl);
  return detail::expect_integer(spec, op, detail::ClientAccess::run_script(client, spec, op, script, {keys.queue, keys.processing, keys.inflight}, args));
}

// 128 bits from the kernel's CSPRNG: unique without coordination between producers.
std::string new_message_id(const KeySpec& spec) {
  std::array<unsigned char, kIdLength / 2> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(fmt::format("push on {}: no random bytes for a message id (errno {})", spec.name, errno),
                           spec.key_template);
    filled += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(kIdLength);
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 0x0f];
  }
  return id;
}

// BLMOVE takes its timeout in seconds; milliseconds are written as a decimal fraction.
std::string seconds_text(std::chrono::milliseconds timeout) {
  return fmt::format("{}.{:03}", timeout.count() / 1000, timeout.count() % 1000);
}

}  // namespace

std::string_view envelope_id(std::string_view element) noexcept { return element.substr(0, kIdLength); }

std::optional<std::string_view> envelope_payload(std::string_view element) noexcept {
  if (element.size() <= kIdLength || element[kIdLength] != ':') return std::nullopt;
  return element.substr(kIdLength + 1);
}

std::string push(Client& client, const KeySpec& spec, const QueueKeys& keys, std::string_view payload,
                 std::int64_t max_length) {
  std::string id = new_message_id(spec);
  std::string element;
  element.reserve(kIdLength + 1 + payload.size());
  element.append(id).append(1, ':').append(payload);
  const std::string max = std::to_string(max_length);
  if (run(client, spec, "push", push_script(), keys, {element, max}) < 0) {
    throw QueueFull(fmt::format("push on {}: the queue already holds its max_length of {} messages", spec.name,
                                max_length),
                    spec.key_template);
  }
  return id;
}

std::optional<std::string> pop_raw(Client& client, const KeySpec& spec, const QueueKeys& keys,
                                   std::chrono::milliseconds timeout) {
  Reply reply = timeout.count() > 0
                    ? detail::ClientAccess::execute_blocking(client, spec, "pop",
                                              {"BLMOVE", keys.queue, keys.processing, "RIGHT", "LEFT", seconds_text(timeout)},
                                              timeout)
                    : detail::ClientAccess::execute(client, spec, "pop", {"LMOVE", keys.queue, keys.processing, "RIGHT", "LEFT"});
  if (reply.is_nil()) return std::nullopt;
  if (reply.type != Reply::Type::string) detail::throw_unexpected_reply(spec, "pop", reply);
  // Should this fail (or the process die) now, the message sits in processing without a record;
  // requeue_stale records it then and returns it later, so it is delayed, never lost.
  run(client, spec, "pop", record_script(), keys, {envelope_id(reply.str)});
  return std::move(reply.str);
}

bool ack(Client& client, const KeySpec& spec, const QueueKeys& keys, const std::string& element) {
  return run(client, spec, "ack", ack_script(), keys, {element, envelope_id(element)}) > 0;
}

bool nack(Client& client, const KeySpec& spec, const QueueKeys& keys, const std::string& element) {
  return run(client, spec, "nack", nack_script(), keys, {element, envelope_id(element)}) > 0;
}

std::int64_t requeue_stale(Client& client, const KeySpec& spec, const QueueKeys& keys,
                           std::chrono::milliseconds older_than) {
  const std::string millis = std::to_string(older_than.count() < 0 ? 0 : older_than.count());
  return run(client, spec, "requeue_stale", requeue_stale_script(), keys, {millis});
}

std::int64_t size(Client& client, const KeySpec& spec, const QueueKeys& keys) {
  return detail::expect_integer(spec, "size", detail::ClientAccess::execute(client, spec, "size", {"LLEN", keys.queue}));
}

std::int64_t processing(Client& client, const KeySpec& spec, const QueueKeys& keys) {
  return detail::expect_integer(spec, "processing", detail::ClientAccess::execute(client, spec, "processing", {"LLEN", keys.processing}));
}

bool clear(Client& client, const KeySpec& spec, const QueueKeys& keys) {
  return detail::expect_integer(spec, "clear", detail::ClientAccess::execute(client, spec, "clear", {"DEL", keys.queue, keys.processing, keys.inflight})) > 0;
}

}  // namespace keyspace::queue
