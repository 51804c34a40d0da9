// The flag kind: set (value "1" with the spec's TTL), exists, clear (DEL).

#include <string>

#include <gtest/gtest.h>

#include "specs.hpp"

namespace runtime_test {
namespace {

using keyspace::test::redis_cli;
namespace ops = keyspace::ops;

class FlagOps : public keyspace::test::RedisTest {
 protected:
  keyspace::Client client{options()};
};

TEST_F(FlagOps, SetStoresOneWithTheSpecTtl) {
  const std::string key = maintenance_key(client, "checkout");
  ops::flag_set(client, kMaintenance, key);
  EXPECT_EQ(redis_cli({"GET", key}), "1");
  expect_fresh_ttl(key, kMaintenance);
}

TEST_F(FlagOps, SetExistsClearCycle) {
  const std::string key = maintenance_key(client, "checkout");
  EXPECT_FALSE(ops::exists(client, kMaintenance, key));
  ops::flag_set(client, kMaintenance, key);
  EXPECT_TRUE(ops::exists(client, kMaintenance, key));
  EXPECT_TRUE(ops::del(client, kMaintenance, key));
  EXPECT_FALSE(ops::exists(client, kMaintenance, key));
  EXPECT_FALSE(ops::del(client, kMaintenance, key));
}

TEST_F(FlagOps, SettingAgainRestoresTheFullTtl) {
  const std::string key = maintenance_key(client, "checkout");
  ops::flag_set(client, kMaintenance, key);
  ASSERT_EQ(redis_cli({"PEXPIRE", key, "2000"}), "1");
  ops::flag_set(client, kMaintenance, key);
  expect_fresh_ttl(key, kMaintenance);
}

TEST_F(FlagOps, ParameterBreakingItsPatternIsRejectedBeforeAnyCommand) {
  try {
    maintenance_key(client, "Checkout!");
    FAIL() << "the key rendered";
  } catch (const keyspace::InvalidKey& e) {
    EXPECT_EQ(e.key_template(), "feature:{service}:maintenance");
    EXPECT_TRUE(contains(e.what(), "'service'")) << e.what();
  }
  EXPECT_EQ(redis_cli({"DBSIZE"}), "0");
}

}  // namespace
}  // namespace runtime_test
