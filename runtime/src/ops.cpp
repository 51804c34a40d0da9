#include "keyspace/ops.hpp"

#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "keyspace/codec.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/reply_checks.hpp"

namespace keyspace::ops {

namespace {

// SET <key> <value> [PX <ttl>] [NX]. Persistent keys (ttl: none) are the only ones written
// without PX; every other write carries the schema's TTL.
Reply send_set(Client& client, const KeySpec& spec, std::string_view op, const std::string& key,
               std::string_view value, bool only_if_absent, std::chrono::milliseconds expiry) {
  const std::string ttl = std::to_string(expiry.count());
  std::vector<std::string_view> args{"SET", key, value};
  if (expiry.count() > 0) {
    args.emplace_back("PX");
    args.emplace_back(ttl);
  }
  if (only_if_absent) args.emplace_back("NX");
  return client.execute(spec, op, args);
}

}  // namespace

// Creating the counter with its TTL and adding to it happen in one script, so no client can
// observe (or crash and leave behind) a counter without expiry. NX keeps an existing counter's
// TTL: increments never extend its life.
const Script& counter_add_script() {
  static const Script script(
      "redis.call('SET', KEYS[1], 0, 'PX', ARGV[2], 'NX')\n"
      "return redis.call('INCRBY', KEYS[1], ARGV[1])\n");
  return script;
}

bool del(Client& client, const KeySpec& spec, const std::string& key) {
  return detail::expect_integer(spec, "del", client.execute(spec, "del", {"DEL", key})) > 0;
}

bool exists(Client& client, const KeySpec& spec, const std::string& key) {
  return detail::expect_integer(spec, "exists", client.execute(spec, "exists", {"EXISTS", key})) > 0;
}

std::optional<std::chrono::milliseconds> ttl(Client& client, const KeySpec& spec,
                                             const std::string& key) {
  // PTTL answers -2 for a missing key and -1 for a key without expiry.
  const std::int64_t millis =
      detail::expect_integer(spec, "ttl", client.execute(spec, "ttl", {"PTTL", key}));
  if (millis < 0) return std::nullopt;
  return std::chrono::milliseconds(millis);
}

std::optional<std::string> get_raw(Client& client, const KeySpec& spec, const std::string& key) {
  Reply reply = client.execute(spec, "get", {"GET", key});
  if (reply.is_nil()) return std::nullopt;
  if (reply.type != Reply::Type::string) detail::throw_unexpected_reply(spec, "get", reply);
  return std::move(reply.str);
}

void set_raw(Client& client, const KeySpec& spec, const std::string& key,
             const std::string& bytes) {
  send_set(client, spec, "set", key, bytes, false, spec.ttl);
}

void check_ttl_override(const KeySpec& spec, std::chrono::milliseconds ttl) {
  if (ttl.count() <= 0) {
    throw PolicyError(fmt::format("{}: a TTL override must be positive, got {} ms", spec.name, ttl.count()),
                      spec.key_template);
  }
  if (spec.max_ttl.count() > 0 && ttl > spec.max_ttl) {
    throw PolicyError(fmt::format("{}: TTL override {} ms is above the key's maximum {} ms", spec.name, ttl.count(),
                                  spec.max_ttl.count()),
                      spec.key_template);
  }
}

void set_raw_with_ttl(Client& client, const KeySpec& spec, const std::string& key, const std::string& bytes,
                      std::chrono::milliseconds ttl) {
  check_ttl_override(spec, ttl);
  send_set(client, spec, "set", key, bytes, false, ttl);
}

bool set_raw_if_absent(Client& client, const KeySpec& spec, const std::string& key,
                       const std::string& bytes) {
  // SET NX answers +OK when it wrote and nil when the key already existed.
  return !send_set(client, spec, "set_if_absent", key, bytes, true, spec.ttl).is_nil();
}

std::int64_t counter_add(Client& client, const KeySpec& spec, const std::string& key,
                         std::int64_t by) {
  const std::string amount = std::to_string(by);
  if (spec.persistent()) {
    return detail::expect_integer(spec, "counter_add",
                          client.execute(spec, "counter_add", {"INCRBY", key, amount}));
  }
  const std::string ttl = std::to_string(spec.ttl.count());
  return detail::expect_integer(
      spec, "counter_add",
      client.run_script(spec, "counter_add", counter_add_script(), {key}, {amount, ttl}));
}

std::int64_t counter_get(Client& client, const KeySpec& spec, const std::string& key) {
  const std::optional<std::string> raw = get_raw(client, spec, key);
  return raw ? Int64Codec::decode(*raw, spec) : 0;
}

void flag_set(Client& client, const KeySpec& spec, const std::string& key) {
  send_set(client, spec, "flag_set", key, "1", false, spec.ttl);
}

}  // namespace keyspace::ops
