#pragma once
// One redis-server per test binary: started on first use, stopped by a gtest Environment when
// the binary's tests are done. Tests that need a differently configured server (password,
// unix socket) start their own RedisServer instead.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace_test/redis_server.hpp"

namespace keyspace::test {

// The shared server; throws (failing the calling test) when it cannot be started. The first
// call must come from the main thread (fixtures do), see RedisServer.
RedisServer& shared_redis();

// redis-cli against the shared server.
std::string redis_cli(const std::vector<std::string>& command);

// Fixture for tests against the shared server: every test starts with an empty database.
class RedisTest : public ::testing::Test {
 protected:
  void SetUp() override;
  static RedisServer& redis() { return shared_redis(); }
  static keyspace::Options options() { return shared_redis().options(); }
};

}  // namespace keyspace::test
