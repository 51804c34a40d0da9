#pragma once
// The observer hook: the runtime reports every command and every cache read to an Observer set
// in Options::observer. Events carry the key *template* and the operation name, never a
// rendered key, so they can be used as metric labels of low cardinality.

#include <chrono>
#include <string_view>

#include "keyspace/key_spec.hpp"

namespace keyspace {

enum class CommandOutcome { ok, error_reply, timeout, connection_error };
// A degraded miss is a read that failed and was treated as a miss (cache `on_error: miss`), or a
// get_or_load that found an entry that does not decode and reloaded it.
// stale: a cache entry served past its TTL (`stale:`) while one caller reloads it.
enum class CacheOutcome { hit, miss, degraded_miss, stale };

struct CommandEvent {
  std::string_view key_name;      // KeySpec::name, e.g. "cache.user_profile"; empty for client-level work
  std::string_view key_template;  // KeySpec::key_template
  std::string_view op;            // e.g. "get", "get_or_load", "ping"
  std::chrono::nanoseconds latency{0};
  CommandOutcome outcome = CommandOutcome::ok;
  // How many times the command was sent (or a connection for it opened): 1, or more when an
  // idempotent read was retried (Options::retry_attempts). The latency covers all attempts.
  int attempts = 1;
};

class Observer {
 public:
  virtual ~Observer() = default;
  // Called once per command after it completed or failed, on the calling thread; must be
  // thread-safe and must not throw. Outcomes: `error_reply` for a Redis error reply
  // (CommandError), `timeout` for TimeoutError (PoolTimeout included), `connection_error` for
  // every other failure to talk to the server (ConnectionError, AuthError, a refused SELECT).
  virtual void on_command(const CommandEvent& event) noexcept = 0;
  virtual void on_cache(const KeySpec& spec, CacheOutcome outcome) noexcept { (void)spec, (void)outcome; }
};

}  // namespace keyspace
