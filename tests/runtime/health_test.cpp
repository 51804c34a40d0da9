// Client::health() against a real redis-server: the figures INFO gives, the pool's, warnings
// for an evicting maxmemory-policy and for memory near maxmemory, and a report, not an
// exception, when the server is down or refuses INFO.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keyspace_test/redis_server.hpp"
#include "specs.hpp"

namespace runtime_test {
namespace {

TEST(Health, ReportsTheServerAndThePool) {
  keyspace::test::RedisServer server;
  keyspace::Client client(server.options());
  server.cli({"SET", "k", "v"});
  server.cli({"GET", "k"});
  server.cli({"GET", "missing"});
  const keyspace::Health health = client.health({"lock:{id}"});
  EXPECT_TRUE(health.reachable);
  EXPECT_TRUE(health.error.empty());
  EXPECT_GT(health.round_trip.count(), 0);
  EXPECT_EQ(health.role, "master");
  EXPECT_FALSE(health.redis_version.empty());
  EXPECT_GT(health.used_memory, 0);
  EXPECT_EQ(health.maxmemory_policy, "noeviction");
  EXPECT_GE(health.connected_clients, 1);
  ASSERT_TRUE(health.hit_ratio.has_value());
  EXPECT_DOUBLE_EQ(*health.hit_ratio, 0.5);
  EXPECT_EQ(health.pool.size, client.options().pool_size);
  EXPECT_EQ(health.pool.open, 1u);
  EXPECT_EQ(health.pool.idle, 1u);
  EXPECT_TRUE(health.warnings.empty());
  const nlohmann::json json = nlohmann::json::parse(health.to_json());
  EXPECT_EQ(json["reachable"], true);
  EXPECT_EQ(json["role"], "master");
  EXPECT_EQ(json["error"], nullptr);
  EXPECT_EQ(json["hit_ratio"], 0.5);
  EXPECT_EQ(json["pool"]["open"], 1);
  EXPECT_EQ(json["warnings"], nlohmann::json::array());
}

TEST(Health, AnEvictingPolicyIsAWarningNamingTheKeysAtRisk) {
  keyspace::test::RedisServer server;
  server.cli({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"});
  keyspace::Client client(server.options());
  const keyspace::Health health = client.health({"lock:order:{id}", "limit:api:{key}"});
  ASSERT_EQ(health.warnings.size(), 1u);
  EXPECT_TRUE(contains(health.warnings[0], "allkeys-lru")) << health.warnings[0];
  EXPECT_TRUE(contains(health.warnings[0], "lock:order:{id}, limit:api:{key}")) << health.warnings[0];
  EXPECT_TRUE(client.health({}).warnings.empty());  // nothing at risk: a cache-only schema
  server.cli({"CONFIG", "SET", "maxmemory-policy", "volatile-ttl"});
  EXPECT_EQ(client.health({"lock:{id}"}).warnings.size(), 1u);  // locks have TTLs: volatile-* evicts them
}

TEST(Health, MemoryNearMaxmemoryIsAWarning) {
  keyspace::test::RedisServer server;
  keyspace::Client client(server.options());
  const std::int64_t used = client.health().used_memory;
  server.cli({"CONFIG", "SET", "maxmemory", std::to_string(used + used / 20)});  // ~95% used
  const keyspace::Health health = client.health();
  ASSERT_EQ(health.warnings.size(), 1u) << health.to_json();
  EXPECT_TRUE(contains(health.warnings[0], "of maxmemory")) << health.warnings[0];
}

TEST(Health, AnUnreachableServerIsAReportNotAnException) {
  keyspace::test::RedisServer server;
  keyspace::Options options = server.options();
  options.retry_attempts = 0;
  server.stop();
  keyspace::Client client(options);
  keyspace::Health health;
  EXPECT_NO_THROW(health = client.health({"lock:{id}"}));
  EXPECT_FALSE(health.reachable);
  EXPECT_TRUE(contains(health.error, "Connection refused") || contains(health.error, "connect")) << health.error;
  const nlohmann::json json = nlohmann::json::parse(health.to_json());
  EXPECT_EQ(json["reachable"], false);
  EXPECT_EQ(json["round_trip_us"], nullptr);
}

TEST(Health, AUserWithoutInfoGetsTheRoundTripAndAWarning) {
  keyspace::test::RedisServer server;
  server.cli({"ACL", "SETUSER", "app", "on", ">pw", "~*", "+ping"});
  keyspace::Options options = server.options();
  options.username = "app";
  options.password = "pw";
  keyspace::Client client(options);
  const keyspace::Health health = client.health();
  EXPECT_TRUE(health.reachable);
  EXPECT_TRUE(health.role.empty());
  ASSERT_EQ(health.warnings.size(), 1u);
  EXPECT_TRUE(contains(health.warnings[0], "INFO was refused")) << health.warnings[0];
}

}  // namespace
}  // namespace runtime_test
