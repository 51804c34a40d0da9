#include "emit/acl/commands.hpp"

#include <initializer_list>
#include <map>
#include <string>
#include <utility>

namespace keyspace::gen {
namespace {

using Commands = std::vector<std::string_view>;

// A scripted operation: SCRIPT LOAD the first time a process runs the script, then EVALSHA, and
// EVAL after NOSCRIPT (runtime/src/client.cpp run_script_on; a Batch sends EVAL), plus the
// commands the script calls.
Commands script(std::initializer_list<std::string_view> calls) {
  Commands out = {"eval", "evalsha", "script|load"};
  out.insert(out.end(), calls.begin(), calls.end());
  return out;
}

Commands with(Commands a, const Commands& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

using Table = std::map<std::pair<Kind, std::string_view>, Commands>;

void add_lifetime(Table& t, Kind kind) {
  t[{kind, "del"}] = {"del"};
  t[{kind, "exists"}] = {"exists"};
  t[{kind, "ttl"}] = {"pttl"};
}

// Traced from the runtime (runtime/src/<kind>.cpp and the scripts in them). A lock's guard
// (held, release, extend) and a queue's delivery (ack, nack) come with acquire and pop.
Table table() {
  Table t;
  t[{Kind::value, "get"}] = {"get"};
  t[{Kind::value, "set"}] = {"set"};
  t[{Kind::value, "set_if_absent"}] = {"set"};
  t[{Kind::value, "get_many"}] = {"mget"};
  add_lifetime(t, Kind::value);

  t[{Kind::counter, "incr"}] = script({"set", "incrby"});
  t[{Kind::counter, "decr"}] = script({"set", "incrby"});
  t[{Kind::counter, "get"}] = {"get"};
  t[{Kind::counter, "reset"}] = {"del"};

  t[{Kind::flag, "set"}] = {"set"};
  t[{Kind::flag, "exists"}] = {"exists"};
  t[{Kind::flag, "clear"}] = {"del"};

  const Commands cache_write = script({"set", "sadd", "pttl", "pexpire"});
  t[{Kind::cache, "get"}] = {"get"};
  t[{Kind::cache, "set"}] = cache_write;
  t[{Kind::cache, "invalidate"}] = {"unlink", "scard", "spop"};  // and the namespace's invalidate_<tag>
  // The write-back is compare-and-set: EXISTS or GET of the entry before the SET, in the script.
  t[{Kind::cache, "get_or_load"}] = with({"set"}, with(cache_write, {"get", "exists", "del"}));
  t[{Kind::cache, "tag_keys"}] = {};
  t[{Kind::cache, "get_many"}] = {"mget"};
  for (Kind kind : {Kind::value, Kind::counter, Kind::flag, Kind::hash, Kind::set, Kind::sorted_set, Kind::list,
                    Kind::stream, Kind::hyperloglog, Kind::presence, Kind::geo, Kind::cache, Kind::session, Kind::rate_limit, Kind::lock, Kind::queue}) {
    t[{kind, "delete_all"}] = {"scan", "unlink"};
  }

  t[{Kind::channel, "publish"}] = {"publish"};
  t[{Kind::channel, "subscribe"}] = {"subscribe"};

  t[{Kind::hash, "get_"}] = {"hget"};
  t[{Kind::hash, "set_"}] = script({"hset", "pexpire"});
  t[{Kind::hash, "incr_"}] = script({"hincrby", "pexpire"});
  t[{Kind::hash, "get_all"}] = {"hgetall"};
  t[{Kind::hash, "set_all"}] = script({"hset", "hdel", "pexpire"});
  t[{Kind::hash, "get"}] = {"hget"};
  t[{Kind::hash, "set"}] = script({"hset", "pexpire"});
  t[{Kind::hash, "erase"}] = script({"hdel", "pexpire"});
  t[{Kind::hash, "size"}] = {"hlen"};
  add_lifetime(t, Kind::hash);

  t[{Kind::list, "push_back"}] = script({"rpush", "ltrim", "pexpire"});
  t[{Kind::list, "push_front"}] = script({"lpush", "ltrim", "pexpire"});
  t[{Kind::list, "pop_front"}] = script({"lpop", "pexpire"});
  t[{Kind::list, "pop_back"}] = script({"rpop", "pexpire"});
  t[{Kind::list, "range"}] = {"lrange"};
  t[{Kind::list, "size"}] = {"llen"};
  add_lifetime(t, Kind::list);

  const Commands lock = script({"set", "incr", "time", "pexpire", "get", "del"});
  t[{Kind::lock, "try_acquire"}] = lock;
  t[{Kind::lock, "acquire"}] = lock;

  t[{Kind::queue, "push"}] = script({"llen", "lpush", "pexpire"});
  t[{Kind::queue, "pop"}] = with({"blmove", "lmove"}, script({"time", "zadd", "pexpire", "lrem", "rpush", "zrem"}));
  t[{Kind::queue, "requeue_stale"}] = script({"time", "lrange", "zscore", "zadd", "lrem", "rpush", "zrem", "pexpire"});
  t[{Kind::queue, "size"}] = {"llen"};
  t[{Kind::queue, "processing"}] = {"llen"};
  t[{Kind::queue, "clear"}] = {"del"};
  t[{Kind::queue, "queue_keys"}] = {};

  // One script per algorithm (fixed window, sliding window, token bucket); peek runs its reads.
  t[{Kind::rate_limit, "hit"}] = script({"get", "pttl", "set", "incrby", "pexpire", "time", "zremrangebyscore",
                                         "zcount", "zadd", "zrangebyscore", "hmget", "hset"});
  t[{Kind::rate_limit, "peek"}] = script({"get", "pttl", "time", "zcount", "zrangebyscore", "hmget"});
  t[{Kind::rate_limit, "reset"}] = {"del"};

  // Without an index a session is a string (GET, GETEX when sliding, SET, PEXPIRE, DEL); with one
  // a hash and an index, kept by scripts.
  const Commands session_read = script({"type", "hget", "exists", "zrem", "pexpire", "time", "zadd", "zrange"});
  t[{Kind::session, "create"}] = with({"set"}, script({"exists", "hset", "pexpire", "time", "zremrangebyscore", "zadd",
                                                       "zcard", "zrange", "type", "hget", "del", "zrem"}));
  t[{Kind::session, "get"}] = with({"get", "getex"}, session_read);
  t[{Kind::session, "update"}] = with({"get", "set"}, with(session_read, {"hset"}));
  t[{Kind::session, "touch"}] = with({"pexpire"}, session_read);
  t[{Kind::session, "destroy"}] = with({"del"}, script({"type", "hget", "exists", "zrem", "del"}));
  t[{Kind::session, "list"}] = script({"time", "zremrangebyscore", "zrange", "type", "hget", "zrem"});
  t[{Kind::session, "destroy_all"}] = script({"zrange", "type", "hget", "del"});
  t[{Kind::session, "index_key"}] = {};
  t[{Kind::session, "session_ref"}] = {};

  t[{Kind::set, "add"}] = script({"sadd", "pexpire"});
  t[{Kind::set, "add_many"}] = script({"sadd", "pexpire"});
  t[{Kind::set, "remove"}] = script({"srem", "pexpire"});
  t[{Kind::set, "contains"}] = {"sismember"};
  t[{Kind::set, "members"}] = {"smembers"};
  t[{Kind::set, "size"}] = {"scard"};
  add_lifetime(t, Kind::set);

  t[{Kind::hyperloglog, "add"}] = script({"pfadd", "pexpire"});
  t[{Kind::hyperloglog, "add_many"}] = script({"pfadd", "pexpire"});
  t[{Kind::hyperloglog, "merge"}] = script({"pfmerge", "pexpire"});
  t[{Kind::hyperloglog, "count"}] = {"pfcount"};
  t[{Kind::hyperloglog, "count_union"}] = {"pfcount"};
  add_lifetime(t, Kind::hyperloglog);

  // Every operation of a presence is one script: the server's TIME, the pruning, the command.
  const Commands presence = script({"time", "zremrangebyscore", "pexpire"});
  t[{Kind::presence, "mark"}] = with(presence, {"zadd"});
  t[{Kind::presence, "leave"}] = with(presence, {"zrem", "zrange"});
  t[{Kind::presence, "is_present"}] = with(presence, {"zscore"});
  t[{Kind::presence, "present"}] = with(presence, {"zrange"});
  t[{Kind::presence, "count"}] = with(presence, {"zcard"});
  add_lifetime(t, Kind::presence);

  t[{Kind::geo, "add"}] = script({"geoadd", "pexpire"});
  t[{Kind::geo, "remove"}] = script({"zrem", "pexpire"});
  t[{Kind::geo, "position"}] = {"geopos"};
  t[{Kind::geo, "distance"}] = {"geodist"};
  t[{Kind::geo, "search"}] = {"geosearch"};
  t[{Kind::geo, "size"}] = {"zcard"};
  add_lifetime(t, Kind::geo);

  t[{Kind::sorted_set, "add"}] = script({"zadd", "pexpire"});
  t[{Kind::sorted_set, "incr"}] = script({"zincrby", "pexpire"});
  t[{Kind::sorted_set, "score"}] = {"zscore"};
  t[{Kind::sorted_set, "rank"}] = {"zrank"};
  t[{Kind::sorted_set, "range"}] = {"zrange"};
  t[{Kind::sorted_set, "range_by_score"}] = {"zrangebyscore"};
  t[{Kind::sorted_set, "remove"}] = script({"zrem", "pexpire"});
  t[{Kind::sorted_set, "size"}] = {"zcard"};
  add_lifetime(t, Kind::sorted_set);

  t[{Kind::stream, "add"}] = script({"xadd", "pexpire"});
  t[{Kind::stream, "read"}] = {"xread"};
  t[{Kind::stream, "create_group"}] = script({"xgroup|create", "pexpire"});
  t[{Kind::stream, "read_group"}] = {"xreadgroup"};
  t[{Kind::stream, "ack"}] = {"xack"};
  t[{Kind::stream, "size"}] = {"xlen"};
  add_lifetime(t, Kind::stream);

  for (Kind kind : {Kind::value, Kind::hash, Kind::set, Kind::sorted_set, Kind::list, Kind::stream, Kind::session,
                    Kind::hyperloglog, Kind::presence, Kind::geo}) {
    t[{kind, "tag_keys"}] = {};
  }
  return t;
}

}  // namespace

const std::vector<std::string_view>& operation_commands(Kind kind, std::string_view operation) {
  static const Table commands = table();
  return commands.at({kind, operation});
}

// runtime/src/tags.cpp: the filing script, the sampled pruning (SRANDMEMBER, then a script of
// EXISTS and SREM), and the namespace's invalidate_<tag> (SCARD, SPOP, UNLINK).
const std::vector<std::string_view>& tag_write_commands() {
  static const Commands commands =
      with(script({"pttl", "sadd", "persist", "pexpire", "exists", "srem"}), {"srandmember", "scard", "spop", "unlink"});
  return commands;
}

// AUTH needs no permission; SELECT is sent when Options::db is not 0, PING by Client::ping().
const std::vector<std::string_view>& connection_commands() {
  static const Commands commands = {"info", "ping", "select"};  // INFO: Client::health()
  return commands;
}

// Scripts are sent with EVALSHA, whose keys Redis counts as read and written whatever the script
// does: a rate limit's peek and an indexed session's get and list are scripts. A sliding session's
// get renews its TTL (GETEX, PEXPIRE).
bool reads_write(const Key& key) {
  return key.kind == Kind::rate_limit || key.kind == Kind::presence || (key.kind == Kind::session && (key.sliding || key.index.has_value()));
}

}  // namespace keyspace::gen
