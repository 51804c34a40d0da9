#include "keyspace/kinds/collections.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/reply_checks.hpp"
#include "keyspace/errors.hpp"
#include "slot.hpp"

namespace keyspace::collections {

namespace {

// The one script behind every single-command write: the command, then the TTL, atomically. The
// TTL is refreshed to the schema's value on every write. Slices keep `unpack` below Lua's stack
// limit for long argument lists; their integer replies add up.
const Script& write_script() {
  static const Script script(
      "-- KEYS[1]: key; ARGV[1]: TTL ms ('0': persistent); ARGV[2]: command;\n"
      "-- ARGV[3]: slice size ('0': one call); ARGV[4..]: the arguments after the key\n"
      "local ttl = tonumber(ARGV[1])\n"
      "local slice = tonumber(ARGV[3])\n"
      "local reply\n"
      "if slice == 0 then\n"
      "  reply = redis.call(ARGV[2], KEYS[1], unpack(ARGV, 4))\n"
      "else\n"
      "  reply = 0\n"
      "  for i = 4, #ARGV, slice do\n"
      "    reply = reply + redis.call(ARGV[2], KEYS[1], unpack(ARGV, i, math.min(i + slice - 1, #ARGV)))\n"
      "  end\n"
      "end\n"
      "if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end\n"
      "return reply\n");
  return script;
}

// HSET of the given fields and HDEL of the removed ones, then the TTL.
const Script& hash_write_script() {
  static const Script script(
      "-- ARGV[1]: TTL ms; ARGV[2]: n = number of field/value arguments; ARGV[3 .. 2+n]: field, value, ...;\n"
      "-- ARGV[3+n ..]: fields to remove\n"
      "local ttl = tonumber(ARGV[1])\n"
      "local last = 2 + tonumber(ARGV[2])\n"
      "for i = 3, last, 1000 do\n"
      "  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 999, last)))\n"
      "end\n"
      "if #ARGV > last then redis.call('HDEL', KEYS[1], unpack(ARGV, last + 1)) end\n"
      "if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end\n"
      "return 0\n");
  return script;
}

// A capped list keeps the newest max_length elements: those at the end that was pushed to.
const Script& list_push_script() {
  static const Script script(
      "-- ARGV[1]: TTL ms; ARGV[2]: LPUSH | RPUSH; ARGV[3]: element; ARGV[4]: max length ('0': no cap)\n"
      "local ttl = tonumber(ARGV[1])\n"
      "local max = tonumber(ARGV[4])\n"
      "local n = redis.call(ARGV[2], KEYS[1], ARGV[3])\n"
      "if max > 0 and n > max then\n"
      "  if ARGV[2] == 'LPUSH' then redis.call('LTRIM', KEYS[1], 0, max - 1)\n"
      "  else redis.call('LTRIM', KEYS[1], -max, -1) end\n"
      "  n = max\n"
      "end\n"
      "if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end\n"
      "return n\n");
  return script;
}

std::string ttl_arg(const KeySpec& spec) { return std::to_string(spec.persistent() ? 0 : spec.ttl.count()); }

std::vector<std::pair<std::string, double>> scored_pairs(const KeySpec& spec, std::string_view op,
                                                         const Reply& reply) {
  const std::vector<std::string> flat = expect_strings(spec, op, reply);
  if (flat.size() % 2 != 0) detail::throw_unexpected_reply(spec, op, reply);
  std::vector<std::pair<std::string, double>> out;
  out.reserve(flat.size() / 2);
  for (std::size_t i = 0; i < flat.size(); i += 2) out.emplace_back(flat[i], parse_score(spec, flat[i + 1]));
  return out;
}

}  // namespace

// --- shared ----------------------------------------------------------------------------------

Reply write(Client& client, const KeySpec& spec, std::string_view op, const std::string& key,
            std::string_view command, const std::vector<std::string>& args, std::size_t batch) {
  const std::string ttl = ttl_arg(spec);
  const std::string slice = std::to_string(batch);
  std::vector<std::string_view> argv{ttl, command, slice};
  argv.insert(argv.end(), args.begin(), args.end());
  return detail::ClientAccess::run_script(client, spec, op, write_script(), {key}, argv);
}

Reply read(Client& client, const KeySpec& spec, std::string_view op, const std::string& key,
           std::string_view command, const std::vector<std::string>& args) {
  std::vector<std::string_view> argv{command, key};
  argv.insert(argv.end(), args.begin(), args.end());
  return detail::ClientAccess::execute(client, spec, op, argv);
}

std::optional<std::string> expect_optional_string(const KeySpec& spec, std::string_view op,
                                                  const Reply& reply) {
  if (reply.is_nil()) return std::nullopt;
  if (reply.type != Reply::Type::string && reply.type != Reply::Type::status) detail::throw_unexpected_reply(spec, op, reply);
  return reply.str;
}

std::vector<std::string> expect_strings(const KeySpec& spec, std::string_view op, const Reply& reply) {
  if (reply.type != Reply::Type::array) detail::throw_unexpected_reply(spec, op, reply);
  std::vector<std::string> out;
  out.reserve(reply.elements.size());
  for (const Reply& element : reply.elements) {
    if (element.type != Reply::Type::string) detail::throw_unexpected_reply(spec, op, element);
    out.push_back(element.str);
  }
  return out;
}

double parse_score(const KeySpec& spec, std::string_view text) {
  const std::string copy(text);
  char* end = nullptr;
  const double score = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size()) {
    throw CommandError(fmt::format("{}: Redis answered a score that is not a number", spec.name),
                       spec.key_template);
  }
  return score;
}

std::string format_score(double score) {
  if (std::isinf(score)) return score > 0 ? "+inf" : "-inf";
  return fmt::format("{}", score);
}

// --- hash ------------------------------------------------------------------------------------

std::map<std::string, std::string> hash_get_all_raw(Client& client, const KeySpec& spec,
                                                    const std::string& key) {
  const std::vector<std::string> flat = expect_strings(spec, "get_all", read(client, spec, "get_all", key, "HGETALL"));
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) out.emplace(flat[i], flat[i + 1]);
  return out;
}

std::optional<std::string> hash_get_raw(Client& client, const KeySpec& spec, const std::string& key,
                                        std::string_view field) {
  return expect_optional_string(spec, "get", read(client, spec, "get", key, "HGET", {std::string(field)}));
}

std::int64_t hash_incr(Client& client, const KeySpec& spec, const std::string& key,
                       std::string_view field, std::int64_t by) {
  return expect_integer(spec, "incr",
                        write(client, spec, "incr", key, "HINCRBY", {std::string(field), std::to_string(by)}));
}

bool hash_erase(Client& client, const KeySpec& spec, const std::string& key, std::string_view field) {
  return expect_integer(spec, "erase", write(client, spec, "erase", key, "HDEL", {std::string(field)})) > 0;
}

std::int64_t hash_size(Client& client, const KeySpec& spec, const std::string& key) {
  return expect_integer(spec, "size", read(client, spec, "size", key, "HLEN"));
}

void hash_write(Client& client, const KeySpec& spec, const std::string& key, const HashWrite& write) {
  const std::string ttl = ttl_arg(spec);
  const std::string count = std::to_string(write.set_pairs().size());
  std::vector<std::string_view> argv{ttl, count};
  argv.insert(argv.end(), write.set_pairs().begin(), write.set_pairs().end());
  argv.insert(argv.end(), write.erased().begin(), write.erased().end());
  detail::ClientAccess::run_script(client, spec, "set", hash_write_script(), {key}, argv);
}

void HashRead::missing(std::string_view name) const {
  throw DecodeError(fmt::format("stored hash of {} lacks its required field '{}'", spec_.name, name),
                    spec_.key_template);
}

// --- set -------------------------------------------------------------------------------------

std::int64_t set_add_raw(Client& client, const KeySpec& spec, const std::string& key,
                         const std::vector<std::string>& members) {
  return expect_integer(spec, "add", write(client, spec, "add", key, "SADD", members, 1000));
}

std::int64_t set_remove_raw(Client& client, const KeySpec& spec, const std::string& key,
                            const std::string& member) {
  return expect_integer(spec, "remove", write(client, spec, "remove", key, "SREM", {member}));
}

bool set_contains_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& member) {
  return expect_integer(spec, "contains", read(client, spec, "contains", key, "SISMEMBER", {member})) > 0;
}

std::vector<std::string> set_members_raw(Client& client, const KeySpec& spec, const std::string& key) {
  return expect_strings(spec, "members", read(client, spec, "members", key, "SMEMBERS"));
}

std::int64_t set_size(Client& client, const KeySpec& spec, const std::string& key) {
  return expect_integer(spec, "size", read(client, spec, "size", key, "SCARD"));
}

// --- hyperloglog -----------------------------------------------------------------------------

namespace {

const Script& hll_merge_script() {
  static const Script script(
      "-- KEYS[1]: destination; KEYS[2..]: sources; ARGV[1]: TTL ms ('0': persistent)\n"
      "redis.call('PFMERGE', unpack(KEYS))\n"
      "local ttl = tonumber(ARGV[1])\n"
      "if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end\n"
      "return 0\n");
  return script;
}

// The hash tag of a rendered key: the text between its first '{' and the next '}' (escaping
// keeps braces out of every segment but the hash tag's), or empty.
std::string_view hash_tag_of(std::string_view key) {
  const std::size_t open = key.find('{');
  if (open == std::string_view::npos) return {};
  const std::size_t close = key.find('}', open + 1);
  return close == std::string_view::npos ? std::string_view() : key.substr(open + 1, close - open - 1);
}

}  // namespace

bool hll_add_raw(Client& client, const KeySpec& spec, const std::string& key, const std::vector<std::string>& members) {
  return expect_integer(spec, "add", write(client, spec, "add", key, "PFADD", members, 1000)) > 0;
}

std::int64_t hll_count(Client& client, const KeySpec& spec, const std::vector<std::string>& keys) {
  if (keys.empty()) return 0;
  std::vector<std::string_view> argv{"PFCOUNT"};
  argv.insert(argv.end(), keys.begin(), keys.end());
  return expect_integer(spec, "count", detail::ClientAccess::execute(client, spec, "count", argv));
}

void hll_merge(Client& client, const KeySpec& spec, const std::string& destination,
               const std::vector<std::string>& sources) {
  const std::string_view tag = hash_tag_of(destination);
  for (const std::string& source : sources) {
    if (hash_tag_of(source) != tag) {
      throw PolicyError(fmt::format("merge on {}: every source must have the destination's hash tag '{}' to share its "
                                    "cluster slot",
                                    spec.name, tag),
                        spec.key_template);
    }
  }
  // Keys without a hash tag share a slot only by chance: a cluster would refuse the script
  // with CROSSSLOT, so the client refuses it first, naming the remedy.
  if (client.options().topology == Topology::cluster) {
    for (const std::string& source : sources) {
      if (detail::key_slot(source) != detail::key_slot(destination)) {
        throw PolicyError(fmt::format("merge on {}: in a Redis Cluster the sources must share the destination's slot; "
                                      "declare a hash_tag the merged keys have in common",
                                      spec.name),
                          spec.key_template);
      }
    }
  }
  std::vector<std::string_view> keys{destination};
  keys.insert(keys.end(), sources.begin(), sources.end());
  const std::string ttl = ttl_arg(spec);
  detail::ClientAccess::run_script(client, spec, "merge", hll_merge_script(), keys, {ttl});
}

// --- presence --------------------------------------------------------------------------------

namespace {

// Scores and TTLs are written with %.0f: Lua's own number formatting would round them to six
// significant digits.
const Script& presence_script() {
  static const Script script(
      "-- KEYS[1]: the presence; ARGV[1]: mark | leave | is_present | present | count;\n"
      "-- ARGV[2]: how long a mark lasts, ms; ARGV[3]: the member\n"
      "local t = redis.call('TIME')\n"
      "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
      "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))\n"
      "local op = ARGV[1]\n"
      "if op == 'mark' then\n"
      "  local ttl = tonumber(ARGV[2])\n"
      "  local added = redis.call('ZADD', KEYS[1], string.format('%.0f', now + ttl), ARGV[3])\n"
      "  redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
      "  return added\n"
      "elseif op == 'leave' then\n"
      "  local removed = redis.call('ZREM', KEYS[1], ARGV[3])\n"
      "  local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')\n"
      "  if newest[2] then\n"
      "    redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.max(1, tonumber(newest[2]) - now)))\n"
      "  end\n"
      "  return removed\n"
      "elseif op == 'is_present' then\n"
      "  if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 1 end\n"
      "  return 0\n"
      "elseif op == 'present' then\n"
      "  return redis.call('ZRANGE', KEYS[1], 0, -1)\n"
      "end\n"
      "return redis.call('ZCARD', KEYS[1])\n");
  return script;
}

}  // namespace

Reply presence_raw(Client& client, const KeySpec& spec, PresenceOp op, const std::string& key,
                   const std::string& member) {
  static constexpr std::string_view kOps[] = {"mark", "leave", "is_present", "present", "count"};
  const std::string_view name = kOps[static_cast<int>(op)];
  if (spec.persistent()) throw PolicyError(fmt::format("{} on {}: a presence needs a TTL", name, spec.name), spec.key_template);
  const std::string ttl = std::to_string(spec.ttl.count());
  return detail::ClientAccess::run_script(client, spec, name, presence_script(), {key}, {name, ttl, member});
}

// --- sorted set ------------------------------------------------------------------------------

bool zset_add_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& member,
                  double score) {
  return expect_integer(spec, "add", write(client, spec, "add", key, "ZADD", {format_score(score), member})) > 0;
}

double zset_incr_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& member,
                     double by) {
  const Reply reply = write(client, spec, "incr", key, "ZINCRBY", {format_score(by), member});
  const std::optional<std::string> text = expect_optional_string(spec, "incr", reply);
  if (!text) detail::throw_unexpected_reply(spec, "incr", reply);
  return parse_score(spec, *text);
}

std::optional<double> zset_score_raw(Client& client, const KeySpec& spec, const std::string& key,
                                     const std::string& member) {
  const std::optional<std::string> text =
      expect_optional_string(spec, "score", read(client, spec, "score", key, "ZSCORE", {member}));
  if (!text) return std::nullopt;
  return parse_score(spec, *text);
}

std::optional<std::int64_t> zset_rank_raw(Client& client, const KeySpec& spec, const std::string& key,
                                          const std::string& member) {
  const Reply reply = read(client, spec, "rank", key, "ZRANK", {member});
  if (reply.is_nil()) return std::nullopt;
  return expect_integer(spec, "rank", reply);
}

bool zset_remove_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& member) {
  return expect_integer(spec, "remove", write(client, spec, "remove", key, "ZREM", {member})) > 0;
}

std::vector<std::pair<std::string, double>> zset_range_raw(Client& client, const KeySpec& spec,
                                                           const std::string& key, std::int64_t start,
                                                           std::int64_t stop) {
  const Reply reply =
      read(client, spec, "range", key, "ZRANGE", {std::to_string(start), std::to_string(stop), "WITHSCORES"});
  return scored_pairs(spec, "range", reply);
}

std::vector<std::pair<std::string, double>> zset_range_by_score_raw(Client& client, const KeySpec& spec,
                                                                    const std::string& key, double min,
                                                                    double max, std::size_t limit) {
  if (limit == 0) return {};
  const Reply reply = read(client, spec, "range_by_score", key, "ZRANGEBYSCORE",
                           {format_score(min), format_score(max), "WITHSCORES", "LIMIT", "0", std::to_string(limit)});
  return scored_pairs(spec, "range_by_score", reply);
}

std::int64_t zset_size(Client& client, const KeySpec& spec, const std::string& key) {
  return expect_integer(spec, "size", read(client, spec, "size", key, "ZCARD"));
}

// --- list ------------------------------------------------------------------------------------

std::int64_t list_push_raw(Client& client, const KeySpec& spec, const std::string& key, End end,
                           const std::string& element, std::int64_t max_length) {
  const std::string ttl = ttl_arg(spec);
  const std::string max = std::to_string(std::max<std::int64_t>(max_length, 0));
  const std::string_view command = end == End::front ? "LPUSH" : "RPUSH";
  return expect_integer(spec, "push",
                        detail::ClientAccess::run_script(client, spec, "push", list_push_script(), {key}, {ttl, command, element, max}));
}

std::optional<std::string> list_pop_raw(Client& client, const KeySpec& spec, const std::string& key, End end) {
  return expect_optional_string(spec, "pop", write(client, spec, "pop", key, end == End::front ? "LPOP" : "RPOP", {}));
}

std::vector<std::string> list_range_raw(Client& client, const KeySpec& spec, const std::string& key,
                                        std::int64_t start, std::int64_t stop) {
  return expect_strings(spec, "range",
                        read(client, spec, "range", key, "LRANGE", {std::to_string(start), std::to_string(stop)}));
}

std::int64_t list_size(Client& client, const KeySpec& spec, const std::string& key) {
  return expect_integer(spec, "size", read(client, spec, "size", key, "LLEN"));
}

}  // namespace keyspace::collections
