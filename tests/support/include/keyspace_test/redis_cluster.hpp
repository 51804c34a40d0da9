#pragma once
// A real Redis Cluster for tests: redis-server nodes (RedisServer, --cluster-enabled) on free
// loopback ports, joined by `redis-cli --cluster create`, every master with its replicas, and
// stopped (directories removed) by the destructor. Create it on the test's main thread, as a
// RedisServer.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "keyspace/options.hpp"
#include "keyspace_test/redis_server.hpp"

namespace keyspace::test {

class RedisCluster {
 public:
  struct Node {
    std::string id;
    int port = 0;
    bool master = false;
    std::string master_id;                     // of a replica
    std::vector<std::pair<int, int>> slots;   // of a master: first and last of each range
  };

  // Throws std::runtime_error (with redis-cli's output) when the cluster does not form, every
  // node agreeing on the slot map and every replica in sync, within a bounded wait.
  explicit RedisCluster(int masters = 3, int replicas_per_master = 1);
  ~RedisCluster();
  RedisCluster(const RedisCluster&) = delete;
  RedisCluster& operator=(const RedisCluster&) = delete;

  // Options of a keyspace::Client of this cluster: every node a seed.
  keyspace::Options options() const;

  // Runs one command through `redis-cli -c` (following redirects) and returns its raw output,
  // as RedisServer::cli. Commands about the whole dataset answer for the whole cluster:
  // DBSIZE is the sum over the masters, KEYS their union; FLUSHALL, CONFIG and SCRIPT run on
  // every node (answering what the first answered); PUBSUB and CLIENT answer for every node
  // (CLIENT KILL with the sum); PUBLISH goes to the master of the channel's slot.
  std::string cli(const std::vector<std::string>& command) const;
  // The same on the node listening on `port`, without following redirects.
  std::string cli_at(int port, const std::vector<std::string>& command) const;
  void flush_all() const;

  // The nodes as CLUSTER NODES tells them now, and the master serving `slot`.
  std::vector<Node> nodes() const;
  int master_port_for_slot(int slot) const;
  int key_slot(const std::string& key) const;  // CLUSTER KEYSLOT
  RedisServer& server(int port);

  // Waits (bounded) until every node says cluster_state:ok, knows every other node and agrees
  // on CLUSTER SLOTS, and every replica's link to its master is up.
  void wait_until_stable() const;

 private:
  bool stable() const;

  std::vector<std::unique_ptr<RedisServer>> servers_;
};

}  // namespace keyspace::test
