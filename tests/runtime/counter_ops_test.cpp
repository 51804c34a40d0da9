// The counter kind: created with its TTL in the same atomic step as the first increment,
// never extended by later increments, and never left without a TTL.

#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "specs.hpp"

namespace runtime_test {
namespace {

using keyspace::test::redis_cli;
namespace ops = keyspace::ops;

class CounterOps : public keyspace::test::RedisTest {
 protected:
  keyspace::Client client{options()};
};

TEST_F(CounterOps, FirstIncrementCreatesTheCounterWithTheSpecTtl) {
  const std::string key = page_views_key(client, "home");
  EXPECT_EQ(ops::counter_add(client, kPageViews, key, 1), 1);
  EXPECT_EQ(redis_cli({"GET", key}), "1");
  expect_fresh_ttl(key, kPageViews);
}

TEST_F(CounterOps, IncrementsAndDecrementsAccumulate) {
  const std::string key = page_views_key(client, "home");
  EXPECT_EQ(ops::counter_add(client, kPageViews, key, 5), 5);
  EXPECT_EQ(ops::counter_add(client, kPageViews, key, -2), 3);
  EXPECT_EQ(ops::counter_add(client, kPageViews, key, -10), -7);
  EXPECT_EQ(ops::counter_get(client, kPageViews, key), -7);
}

TEST_F(CounterOps, GetOfAMissingCounterIsZero) {
  EXPECT_EQ(ops::counter_get(client, kPageViews, page_views_key(client, "nowhere")), 0);
}

TEST_F(CounterOps, LaterIncrementsDoNotExtendTheTtl) {
  const std::string key = page_views_key(client, "home");
  ops::counter_add(client, kPageViews, key, 1);
  ASSERT_EQ(redis_cli({"PEXPIRE", key, "3000"}), "1");
  ops::counter_add(client, kPageViews, key, 1);
  ops::counter_add(client, kPageViews, key, -1);
  const std::int64_t pttl = raw_pttl(key);
  EXPECT_GT(pttl, 0);
  EXPECT_LE(pttl, 3000);
}

TEST_F(CounterOps, ACounterThatExpiredStartsAgainWithAFreshTtl) {
  const std::string key = page_views_key(client, "home");
  ops::counter_add(client, kPageViews, key, 5);
  ASSERT_EQ(redis_cli({"PEXPIRE", key, "1"}), "1");
  std::this_thread::sleep_for(20ms);
  ASSERT_EQ(redis_cli({"EXISTS", key}), "0");
  EXPECT_EQ(ops::counter_add(client, kPageViews, key, 2), 2);
  expect_fresh_ttl(key, kPageViews);
}

TEST_F(CounterOps, PersistentCounterHasNoTtl) {
  const std::string key = total_orders_key(client);
  EXPECT_EQ(ops::counter_add(client, kTotalOrders, key, 3), 3);
  EXPECT_EQ(ops::counter_add(client, kTotalOrders, key, 1), 4);
  EXPECT_EQ(redis_cli({"PTTL", key}), "-1");
}

TEST_F(CounterOps, KeepsWorkingAfterTheServerForgetsItsScripts) {
  const std::string key = page_views_key(client, "home");
  ops::counter_add(client, kPageViews, key, 1);
  ASSERT_EQ(redis_cli({"SCRIPT", "FLUSH"}), "OK");
  EXPECT_EQ(ops::counter_add(client, kPageViews, key, 1), 2);  // NOSCRIPT, then EVAL
  EXPECT_EQ(ops::counter_add(client, kPageViews, key, 1), 3);  // EVALSHA again
  expect_fresh_ttl(key, kPageViews);
}

TEST_F(CounterOps, CorruptStoredValueIsADecodeErrorNamingTheTemplate) {
  const std::string key = page_views_key(client, "home");
  redis_cli({"SET", key, "many"});
  try {
    ops::counter_get(client, kPageViews, key);
    FAIL() << "'many' decoded as a counter";
  } catch (const keyspace::DecodeError& e) {
    EXPECT_EQ(e.key_template(), "stats:page:{page}:views");
    EXPECT_TRUE(contains(e.what(), "stats:page:{page}:views")) << e.what();
  }
}

TEST_F(CounterOps, IncrementingANonIntegerIsACommandErrorNamingTheTemplate) {
  const std::string key = page_views_key(client, "home");
  redis_cli({"SET", key, "many"});
  try {
    ops::counter_add(client, kPageViews, key, 1);
    FAIL() << "INCRBY on 'many' succeeded";
  } catch (const keyspace::CommandError& e) {
    EXPECT_EQ(e.key_template(), "stats:page:{page}:views");
    EXPECT_TRUE(contains(e.what(), "not an integer")) << e.what();
  }
}

}  // namespace
}  // namespace runtime_test
