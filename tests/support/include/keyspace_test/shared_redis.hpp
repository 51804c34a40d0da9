#pragma once
// One redis-server per test binary: started on first use, stopped by a gtest Environment when
// the binary's tests are done. Tests that need a differently configured server (password,
// unix socket) start their own RedisServer instead.
//
// With KEYSPACE_TEST_TOPOLOGY=cluster in the environment (the ctest tests named cluster.*),
// RedisTest and redis_cli() use one shared RedisCluster (3 masters, 3 replicas) instead: the
// same test bodies then run against a Redis Cluster. With KEYSPACE_TEST_TOPOLOGY=sentinel
// (sentinel.*) they use one shared RedisSentinel (a master, 2 replicas, 3 Sentinels) through a
// Topology::sentinel client.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace_test/redis_cluster.hpp"
#include "keyspace_test/redis_sentinel.hpp"
#include "keyspace_test/redis_server.hpp"

namespace keyspace::test {

// The shared server; throws (failing the calling test) when it cannot be started. The first
// call must come from the main thread (fixtures do), see RedisServer.
RedisServer& shared_redis();

// Whether this run is against a Redis Cluster (KEYSPACE_TEST_TOPOLOGY=cluster).
bool testing_cluster();
// The shared cluster; throws as shared_redis() does. The first call must come from the main
// thread.
RedisCluster& shared_cluster();
// The same for a Sentinel-managed deployment (KEYSPACE_TEST_TOPOLOGY=sentinel).
bool testing_sentinel();
RedisSentinel& shared_sentinel();

// redis-cli against the shared server, the shared cluster (RedisCluster::cli) or the shared
// deployment's master.
std::string redis_cli(const std::vector<std::string>& command);

// Options of a client of the shared server, cluster or Sentinel deployment (RedisTest::options).
keyspace::Options test_options();

// Fixture for tests against the shared server: every test starts with an empty database.
class RedisTest : public ::testing::Test {
 protected:
  void SetUp() override;
  static RedisServer& redis() { return shared_redis(); }
  // Of the shared server, cluster or Sentinel deployment.
  static keyspace::Options options() { return test_options(); }
};

}  // namespace keyspace::test
