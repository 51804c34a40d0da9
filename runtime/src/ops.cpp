#include "keyspace/kinds/ops.hpp"

#include <array>
#include <charconv>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "keyspace/codec/codec.hpp"
#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/reply_checks.hpp"
#include "keyspace/errors.hpp"

namespace keyspace::ops {

namespace {

// SET <key> <value> [PX <ttl>] [NX]. Persistent keys (ttl: none) are the only ones written
// without PX; every other write carries the schema's TTL. The words live on the stack.
// True unless the reply is nil (SET NX of a key that exists).
bool send_set(Client& client, const KeySpec& spec, std::string_view op, const std::string& key,
              std::string_view value, bool only_if_absent, std::chrono::milliseconds expiry) {
  std::array<char, 24> ttl_digits;
  const auto ttl_end = std::to_chars(ttl_digits.data(), ttl_digits.data() + ttl_digits.size(), expiry.count()).ptr;
  std::array<std::string_view, 6> args{"SET", key, value};
  std::size_t count = 3;
  if (expiry.count() > 0) {
    args[count++] = "PX";
    args[count++] = std::string_view(ttl_digits.data(), static_cast<std::size_t>(ttl_end - ttl_digits.data()));
  }
  if (only_if_absent) args[count++] = "NX";
  return !detail::ClientAccess::execute_raw(client, spec, op, CommandArgs(args.data(), count)).is_nil();
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
  return detail::expect_integer(spec, "del", detail::ClientAccess::execute(client, spec, "del", {"DEL", key})) > 0;
}

bool exists(Client& client, const KeySpec& spec, const std::string& key) {
  return detail::expect_integer(spec, "exists", detail::ClientAccess::execute(client, spec, "exists", {"EXISTS", key})) > 0;
}

std::optional<std::chrono::milliseconds> ttl(Client& client, const KeySpec& spec,
                                             const std::string& key) {
  // PTTL answers -2 for a missing key and -1 for a key without expiry.
  const std::int64_t millis =
      detail::expect_integer(spec, "ttl", detail::ClientAccess::execute(client, spec, "ttl", {"PTTL", key}));
  if (millis < 0) return std::nullopt;
  return std::chrono::milliseconds(millis);
}

RawReply get_in_place(Client& client, const KeySpec& spec, const std::string& key) {
  RawReply reply = detail::ClientAccess::execute_raw(client, spec, "get", {"GET", key});
  const Reply::Type type = reply.type();
  if (type != Reply::Type::nil && type != Reply::Type::string) detail::throw_unexpected_reply(spec, "get", reply.copy());
  return reply;
}

std::optional<std::string> get_raw(Client& client, const KeySpec& spec, const std::string& key) {
  const RawReply reply = get_in_place(client, spec, key);
  if (reply.is_nil()) return std::nullopt;
  return std::string(reply.str());
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
  return send_set(client, spec, "set_if_absent", key, bytes, true, spec.ttl);
}

std::int64_t counter_add(Client& client, const KeySpec& spec, const std::string& key,
                         std::int64_t by) {
  const std::string amount = std::to_string(by);
  if (spec.persistent()) {
    return detail::expect_integer(spec, "counter_add",
                          detail::ClientAccess::execute(client, spec, "counter_add", {"INCRBY", key, amount}));
  }
  const std::string ttl = std::to_string(spec.ttl.count());
  return detail::expect_integer(
      spec, "counter_add",
      detail::ClientAccess::run_script(client, spec, "counter_add", counter_add_script(), {key}, {amount, ttl}));
}

std::int64_t counter_get(Client& client, const KeySpec& spec, const std::string& key) {
  const std::optional<std::string> raw = get_raw(client, spec, key);
  return raw ? Int64Codec::decode(*raw, spec) : 0;
}

void flag_set(Client& client, const KeySpec& spec, const std::string& key) {
  send_set(client, spec, "flag_set", key, "1", false, spec.ttl);
}

void flag_set_with_ttl(Client& client, const KeySpec& spec, const std::string& key, std::chrono::milliseconds ttl) {
  check_ttl_override(spec, ttl);
  send_set(client, spec, "flag_set", key, "1", false, ttl);
}

}  // namespace keyspace::ops
