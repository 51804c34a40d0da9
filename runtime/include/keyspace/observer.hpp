#pragma once
// The observer hook: the runtime reports every command and every cache read to an Observer set
// in Options::observer. Events carry the key *template* and the operation name, never a
// rendered key, so they can be used as metric labels of low cardinality.

#include <chrono>
#include <string_view>

#include "keyspace/key_spec.hpp"

namespace keyspace {

enum class CommandOutcome { ok, error_reply, timeout, connection_error };
// A degraded miss is a read that failed and was treated as a miss (cache `on_error: miss`).
enum class CacheOutcome { hit, miss, degraded_miss };

struct CommandEvent {
  std::string_view key_name;      // KeySpec::name, e.g. "cache.user_profile"; empty for client-level work
  std::string_view key_template;  // KeySpec::key_template
  std::string_view op;            // e.g. "get", "get_or_load", "ping"
  std::chrono::nanoseconds latency{0};
  CommandOutcome outcome = CommandOutcome::ok;
};

class Observer {
 public:
  virtual ~Observer() = default;
  // Called once per command after it completed or failed, on the calling thread; must be
  // thread-safe and must not throw.
  virtual void on_command(const CommandEvent& event) noexcept = 0;
  virtual void on_cache(const KeySpec& spec, CacheOutcome outcome) noexcept { (void)spec, (void)outcome; }
};

}  // namespace keyspace
