#pragma once
// The client's view of a Sentinel-managed deployment (internal): which server is the master
// now, and which replicas may serve reads. One connection pool per server, kept while the
// client lives.
//
// The master is asked of the Sentinels (SENTINEL GET-MASTER-ADDR-BY-NAME) on first use and
// again when a command learned that the answer is stale: a connection error, a connection whose
// ROLE is not master, a READONLY reply. One caller asks while the others go on with the master
// they have (single flight), at most every kRefreshCooldown. A thread subscribed to
// +switch-master on the Sentinels switches to the new master as soon as a failover ends, and
// closes the idle connections to the old one.

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "keyspace/health.hpp"
#include "keyspace/options.hpp"
#include "pool.hpp"

namespace keyspace::detail {

inline constexpr std::chrono::milliseconds kSentinelCooldown{200};

class Subscriber;

class SentinelRouter {
 public:
  explicit SentinelRouter(Options options);
  ~SentinelRouter();
  SentinelRouter(const SentinelRouter&) = delete;
  SentinelRouter& operator=(const SentinelRouter&) = delete;

  // The master's pool; asks the Sentinels first when none is known or the one known is
  // suspect. Throws ConnectionError when no Sentinel answers, ConfigError when none knows the
  // master's name.
  Pool& master(const Context& context);
  // A replica's pool, in turn among those the Sentinels report healthy; the master's when none.
  Pool& replica(const Context& context);
  // The master may have changed: ask the Sentinels again on the next command.
  void suspect() noexcept { stale_.store(true, std::memory_order_relaxed); }
  // A +switch-master message ("<name> <old-ip> <old-port> <new-ip> <new-port>").
  void switched(std::string_view message);

  PoolStats stats() const;

 private:
  void resolve(const Context& context);
  Reply ask(const Address& sentinel, CommandArgs args, const Context& context);
  void start_watching();
  Pool& pool_at(const Address& address, Connection::Handshake handshake);
  void use_master(Pool& pool);

  const Options options_;
  mutable std::mutex pools_mutex_;
  std::map<std::string, std::unique_ptr<Pool>> pools_;  // by "host:port"
  std::vector<Pool*> replicas_;                         // under pools_mutex_
  std::atomic<std::uint64_t> next_replica_{0};
  std::atomic<Pool*> master_{nullptr};
  std::atomic<bool> stale_{false};
  std::mutex resolve_mutex_;       // held by the one caller asking the Sentinels
  std::size_t answered_ = 0;       // the Sentinel that answered last (under resolve_mutex_)
  std::int64_t resolved_at_ = 0;   // steady_clock ticks (under resolve_mutex_)
  std::unique_ptr<Subscriber> watcher_;  // +switch-master; destroyed first (declared last)
};

}  // namespace keyspace::detail
