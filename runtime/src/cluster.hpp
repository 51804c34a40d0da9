#pragma once
// The client's view of a Redis Cluster (internal): which node serves each of the 16384 slots
// (read with CLUSTER SLOTS), and one connection pool per node.
//
// The map is read on first use, again when a command learned that it is stale (MOVED,
// CLUSTERDOWN, a connection error), and every Options::cluster_refresh_interval. One caller
// reads it while the others go on with the map they have (single flight), and never more often
// than every kRefreshCooldown, so a burst of redirects costs one CLUSTER SLOTS, not one each.
// A MOVED redirect patches its slot at once, before the whole map is read again.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connection.hpp"
#include "keyspace/health.hpp"
#include "keyspace/options.hpp"
#include "pool.hpp"
#include "slot.hpp"

namespace keyspace::detail {

inline constexpr std::chrono::milliseconds kRefreshCooldown{200};

// What an error reply tells a cluster client to do with its command: nothing (a real error, or
// no error), send it to another node (MOVED: the slot moved for good; ASK: this once, during a
// migration), or send it again a little later (TRYAGAIN: a multi-key command during a
// migration; CLUSTERDOWN; LOADING). None of these ran the command, so even writes go again.
struct Redirect {
  enum class Kind { none, moved, ask, retry_later };
  Kind kind = Kind::none;
  std::uint16_t slot = 0;
  Address address;            // moved, ask; an empty host in the reply is the answering node's
  bool cluster_down = false;  // retry_later because of CLUSTERDOWN: the map may be stale too
};
Redirect redirect_of(const RawReply& reply, const std::string& answering_host);

class ClusterRouter {
 public:
  explicit ClusterRouter(Options options);

  // The pool of the master serving `slot`; reads the slot map first when there is none yet
  // (throwing the last node's ConnectionError when no node answers) or it is due.
  Pool& pool_for_slot(std::uint16_t slot, const Context& context);
  // Options::read_from_replicas: the pool of one of the slot's replicas, in turn (READONLY
  // connections); the master's when the slot has none.
  Pool& replica_for_slot(std::uint16_t slot, const Context& context);
  // A pool for a command without keys: the node serving slot 0.
  Pool& any_node(const Context& context) { return pool_for_slot(0, context); }
  // The pool of the node at `address` (the target of a redirect), opened on first use.
  Pool& pool_at(const Address& address, bool readonly = false);

  // MOVED: `slot` is now served by `address`.
  void moved(std::uint16_t slot, const Address& address);
  // The map may be stale (a connection error, CLUSTERDOWN): read it again on the next command.
  void suspect() noexcept { stale_.store(true, std::memory_order_relaxed); }

  // The masters of the current map, each once (reading the map first as pool_for_slot does).
  std::vector<Pool*> masters(const Context& context);
  PoolStats stats() const;

 private:
  void refresh_if_due(const Context& context);
  std::vector<Pool*> current_masters();
  void refresh(const Context& context);
  bool read_slots_from(Pool& pool, const Context& context);
  const std::vector<Pool*>* replica_list(const Reply& range, const std::string& answering_host);

  const Options options_;
  mutable std::mutex pools_mutex_;
  std::map<std::string, std::unique_ptr<Pool>> pools_;  // by "host:port"; kept while the client lives
  std::array<std::atomic<Pool*>, kSlotCount> slots_{};  // null: no node known for the slot
  // Replica pools of each slot, read_from_replicas only; each distinct list is kept once, for
  // the client's life, so a slot's pointer stays valid while other callers read it.
  std::array<std::atomic<const std::vector<Pool*>*>, kSlotCount> replicas_{};
  std::map<std::string, std::unique_ptr<const std::vector<Pool*>>> replica_lists_;  // under pools_mutex_
  std::atomic<std::uint64_t> next_replica_{0};
  std::mutex refresh_mutex_;                            // held by the one caller reading the map
  std::atomic<bool> loaded_{false};
  std::atomic<bool> stale_{false};
  std::atomic<std::int64_t> refreshed_at_{0};  // steady_clock ticks of the last read
};

}  // namespace keyspace::detail
