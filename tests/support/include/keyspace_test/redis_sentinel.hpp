#pragma once
// A real Sentinel-managed deployment for tests: a master and its replicas (RedisServer,
// --replicaof) and Redis Sentinels watching them (RedisServer in Sentinel mode), all on free
// loopback ports, stopped (directories removed) by the destructor. Create it on the test's main
// thread, as a RedisServer.

#include <memory>
#include <string>
#include <vector>

#include "keyspace/options.hpp"
#include "keyspace_test/redis_server.hpp"

namespace keyspace::test {

class RedisSentinel {
 public:
  static constexpr const char* kMasterName = "keyspace-master";

  // Throws std::runtime_error when the replicas do not sync or the Sentinels do not see every
  // replica and each other within a bounded wait.
  explicit RedisSentinel(int replicas = 2, int sentinels = 3);
  ~RedisSentinel();
  RedisSentinel(const RedisSentinel&) = delete;
  RedisSentinel& operator=(const RedisSentinel&) = delete;

  // Options of a keyspace::Client of this deployment: Topology::sentinel, every Sentinel.
  keyspace::Options options() const;

  // The port of the master the Sentinels name now, and of the data servers that are not it.
  int master_port() const;
  std::vector<int> replica_ports() const;
  // redis-cli on the current master (RedisServer::cli), on the server listening on `port`, or
  // on the first Sentinel.
  std::string cli(const std::vector<std::string>& command) const;
  std::string cli_at(int port, const std::vector<std::string>& command) const;
  std::string sentinel_cli(const std::vector<std::string>& command) const;
  void flush_all() const;

  // SENTINEL FAILOVER, then a bounded wait until the Sentinels name another master, it answers
  // ROLE master and the other servers replicate from it. Returns the new master's port.
  int failover();

 private:
  const RedisServer& data_server(int port) const;
  void wait_until_ready(int master_port) const;
  bool ready(int master_port) const;

  std::vector<std::unique_ptr<RedisServer>> data_;       // the first was the master at start
  std::vector<std::unique_ptr<RedisServer>> sentinels_;
};

}  // namespace keyspace::test
