#pragma once
// What the fault tests share: an observer that records every event, clocks, and Options for a
// client of a test's own server.

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "keyspace/keyspace.hpp"
#include "keyspace_test/redis_server.hpp"
#include "specs.hpp"

namespace fault_test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using runtime_test::contains;
using runtime_test::kPageViews;
using runtime_test::kUserName;

inline constexpr keyspace::KeySpec kNoKey{"", "", std::chrono::milliseconds(0)};

// An owned copy of a CommandEvent (the event's views die with the call).
struct RecordedEvent {
  std::string key_name;
  std::string key_template;
  std::string op;
  keyspace::CommandOutcome outcome = keyspace::CommandOutcome::ok;
  int attempts = 0;
  std::chrono::nanoseconds latency{0};
};

class RecordingObserver final : public keyspace::Observer {
 public:
  void on_command(const keyspace::CommandEvent& event) noexcept override;
  void on_cache(const keyspace::KeySpec& spec, keyspace::CacheOutcome outcome) noexcept override;
  std::vector<RecordedEvent> events() const;
  std::vector<std::pair<std::string, keyspace::CacheOutcome>> cache_events() const;
  // The last event of `op`; fails the test when there is none.
  RecordedEvent last(const std::string& op) const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<RecordedEvent> events_;
  std::vector<std::pair<std::string, keyspace::CacheOutcome>> cache_events_;
};

// Milliseconds since `start`, for messages and bounds.
inline long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// The runtime's key for user `id` of kUserName.
inline std::string user_key(const keyspace::Client& client, std::int64_t id) {
  return runtime_test::user_name_key(client, id);
}

// Options for a client of `server` with short, explicit timeouts.
keyspace::Options options_for(const keyspace::test::RedisServer& server,
                              std::chrono::milliseconds command_timeout = 500ms);

// Holds `count` pooled connections open at once (concurrent short blocking pops), so that the
// pool has exactly that many idle connections afterwards.
void open_connections(keyspace::Client& client, int count);

// The ids of the normal clients connected to `server`, redis-cli itself excluded.
std::vector<std::string> client_ids(const keyspace::test::RedisServer& server);

}  // namespace fault_test
