// The shop example program (examples/shop/main.cpp) runs against a real Redis and does what it
// says: it exits 0, writes under the "dev:" prefix, reports the rejected parameter, and prints
// one line per kind of the schema (cache, session, rate limit, lock, queue, channel, collections).
#include <string>

#include <gtest/gtest.h>

#include "keyspace_test/shared_redis.hpp"
#include "subprocess.hpp"

namespace {

using keyspace::test::redis_cli;

class ShopExample : public keyspace::test::RedisTest {
 protected:
  // The example's command line: the shared server, or one node of the shared cluster.
  static keyspace::test::ProcessOutput run_example() {
    if (keyspace::test::testing_cluster()) {
      const keyspace::Options cluster = options();
      return keyspace::test::run({SHOP_EXAMPLE_PATH, std::to_string(cluster.seeds.front().port),
                                  cluster.seeds.front().host, "cluster"});
    }
    return keyspace::test::run({SHOP_EXAMPLE_PATH, std::to_string(redis().port()), redis().host()});
  }
};

TEST_F(ShopExample, RunsAgainstRedisAndWritesPrefixedKeysWithTtls) {
  const keyspace::test::ProcessOutput result = run_example();
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("profile dev:profile:user:42: Ada"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("page views: 5"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("rejected: "), std::string::npos) << result.output;
  EXPECT_EQ(redis_cli({"EXISTS", "dev:profile:user:42"}), "1");
  EXPECT_GT(std::stoll(redis_cli({"PTTL", "dev:cart:open:42"})), 0);
  EXPECT_EQ(redis_cli({"EXISTS", "dev:cart:checkout:42"}), "0");
}

TEST_F(ShopExample, ExercisesEveryKindWithOneLineEach) {
  const keyspace::test::ProcessOutput result = run_example();
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const char* line : {
           "cache: Green tea, loaded 1x; cached of 2: 1; invalidated 1",
           "session: laptop, sessions of user 42: ",
           "rate limit: 6th login attempt allowed=false, api remaining ",
           "lock: acquired, second try_acquire=false",
           "queue: order 1001 mail popped, ack=true",
           "channel: new price 399",
           "hash: cart lines 2, visits ",
           "set: wishlist has mug-3=true; sorted_set: bestseller tea-1; list: last viewed mug-3",
           "stream: order 1001 events placed paid",
           "hyperloglog: home had 2 visitors; presence: user 42 online=true",
           "geo: nearest to 42 after itself is 43 at 2.4 km",
           "tags: user 43's keys deleted: 2",
           "flag: token revoked=true; delete_all: recently viewed lists deleted 1",
           "health: reachable=true",
       }) {
    EXPECT_NE(result.output.find(line), std::string::npos) << line << "\n" << result.output;
  }
  // What the kinds leave behind: released lock, acknowledged message, TTLs on every collection.
  EXPECT_EQ(redis_cli({"EXISTS", "dev:checkout:lock:order:1001"}), "0");
  EXPECT_EQ(redis_cli({"EXISTS", "dev:catalog:product:tea-1"}), "0");
  EXPECT_EQ(redis_cli({"LLEN", "dev:mail:order-emails:_processing"}), "0");
  EXPECT_EQ(redis_cli({"EXISTS", "dev:profile:recent:42"}), "0");  // delete_all
  for (const char* key : {"dev:cart:items:42", "dev:cart:wishlist:42", "dev:profile:prefs:42",
                          "dev:catalog:bestsellers:2026-11-22", "dev:checkout:events:1001", "dev:auth:sessions:{42}",
                          "dev:auth:login:203.0.113.7", "dev:stats:visitors:{home}:2026-w47", "dev:auth:online",
                          "dev:profile:nearby:berlin", "dev:auth:revoked:tok-0123456789abcdef"}) {
    EXPECT_GT(std::stoll(redis_cli({"PTTL", key})), 0) << key;
  }
}

}  // namespace
