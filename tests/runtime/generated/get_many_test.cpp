// get_many of the value and cache kinds, through the generated accessors of examples/shop/keyspace.yaml
// against a real Redis: one MGET per call, results in the order asked, nullopt for missing keys,
// the environment prefix and parameter escaping applied, and typed decode errors.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace/metrics_observer.hpp"

#include "keyspace_test/shared_redis.hpp"
#include "shop/keyspace.hpp"

namespace {

namespace redis = shop::redis;
using keyspace::test::redis_cli;

class GetMany : public keyspace::test::RedisTest {
 protected:
  static keyspace::Options dev_options() {
    keyspace::Options o = options();
    o.environment = "dev";
    return o;
  }
  // Calls of one command since the last CONFIG RESETSTAT, from the server's own statistics.
  static int server_calls(const std::string& command) {
    const std::string stats = redis_cli({"INFO", "commandstats"});
    const std::string label = "cmdstat_" + command + ":calls=";
    const std::size_t at = stats.find(label);
    return at == std::string::npos ? 0 : std::stoi(stats.substr(at + label.size()));
  }

  keyspace::Client client{dev_options()};
  redis::Keyspace keys{client};
};

redis::UserProfile user(std::int64_t id, const std::string& name) {
  redis::UserProfile p;
  p.id = id;
  p.name = name;
  p.roles = {redis::Role::member};
  return p;
}

TEST_F(GetMany, ReturnsOneResultPerIdInOrderWithNulloptForMissingKeys) {
  keys.profile.user.set(1, user(1, "Ada"));
  keys.profile.user.set(3, user(3, "Grace"));
  const std::vector<std::optional<redis::UserProfile>> got = keys.profile.user.get_many({3, 2, 1, 3});
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], user(3, "Grace"));
  EXPECT_EQ(got[1], std::nullopt);
  EXPECT_EQ(got[2], user(1, "Ada"));
  EXPECT_EQ(got[3], user(3, "Grace"));
}

TEST_F(GetMany, ReadsAllKeysWithOneMgetAndAnEmptyListWithNoCommand) {
  std::vector<std::int64_t> ids;
  for (std::int64_t id = 0; id < 100; ++id) {
    ids.push_back(id);
    if (id % 2 == 0) keys.profile.user.set(id, user(id, "u" + std::to_string(id)));
  }
  redis_cli({"CONFIG", "RESETSTAT"});
  const auto got = keys.profile.user.get_many(ids);
  EXPECT_EQ(server_calls("mget"), 1);
  EXPECT_EQ(server_calls("get"), 0);
  ASSERT_EQ(got.size(), ids.size());
  for (std::int64_t id = 0; id < 100; ++id) {
    if (id % 2 == 0) {
      EXPECT_EQ(got[static_cast<std::size_t>(id)], user(id, "u" + std::to_string(id)));
    } else {
      EXPECT_EQ(got[static_cast<std::size_t>(id)], std::nullopt) << id;
    }
  }
  redis_cli({"CONFIG", "RESETSTAT"});
  EXPECT_TRUE(keys.profile.user.get_many({}).empty());
  EXPECT_EQ(server_calls("mget"), 0);
}

TEST_F(GetMany, ReadsUnderTheEnvironmentPrefixOnly) {
  redis_cli({"SET", "dev:profile:user:5", R"({"id":5,"name":"dev","roles":[],"addresses":[],"updated_at":0})"});
  redis_cli({"SET", "profile:user:6", R"({"id":6,"name":"none","roles":[],"addresses":[],"updated_at":0})"});
  redis_cli({"SET", "prod:profile:user:7", R"({"id":7,"name":"prod","roles":[],"addresses":[],"updated_at":0})"});
  const auto got = keys.profile.user.get_many({5, 6, 7});
  ASSERT_EQ(got.size(), 3u);
  ASSERT_TRUE(got[0]);
  EXPECT_EQ(got[0]->name, "dev");
  EXPECT_EQ(got[1], std::nullopt);
  EXPECT_EQ(got[2], std::nullopt);
}

TEST_F(GetMany, StringParamsAreEscapedAndCheckedLikeEveryOtherOperation) {
  keys.profile.role_by_email.set("a:b", redis::Role::admin);
  keys.profile.role_by_email.set("a", redis::Role::guest);
  const std::vector<std::string> emails{"a", "a:b", "b", "a*"};
  EXPECT_EQ(keys.profile.role_by_email.get_many(emails),
            (std::vector<std::optional<redis::Role>>{redis::Role::guest, redis::Role::admin, std::nullopt, std::nullopt}));
  // An invalid parameter (empty; max_length 254) is rejected before any command is sent.
  redis_cli({"CONFIG", "RESETSTAT"});
  EXPECT_THROW(keys.profile.role_by_email.get_many({"a", ""}), keyspace::InvalidKey);
  EXPECT_THROW(keys.profile.role_by_email.get_many({std::string(255, 'x')}), keyspace::InvalidKey);
  EXPECT_EQ(server_calls("mget"), 0);
}

TEST_F(GetMany, MsgpackValuesDecode) {
  redis::Cart cart;
  cart.lines = {{"sku-1", 2, 1999}};
  keys.cart.open.set(8, cart);
  EXPECT_EQ(keys.cart.open.get_many({9, 8}), (std::vector<std::optional<redis::Cart>>{std::nullopt, cart}));
}

TEST_F(GetMany, AValueThatDoesNotDecodeIsADecodeErrorNamingTheTemplate) {
  keys.profile.user.set(1, user(1, "Ada"));
  redis_cli({"SET", keys.profile.user.key(2), "{not json"});
  try {
    keys.profile.user.get_many({1, 2});
    FAIL() << "expected DecodeError";
  } catch (const keyspace::DecodeError& e) {
    EXPECT_EQ(e.key_template(), "profile:user:{user_id}");
  }
  redis_cli({"SET", keys.profile.role_by_email.key("x"), R"("superuser")"});
  EXPECT_THROW(keys.profile.role_by_email.get_many({"x"}), keyspace::DecodeError);
}

TEST_F(GetMany, AKeyHoldingAnotherRedisTypeReadsAsMissing) {
  // MGET answers nil for a key of another type, where GET fails with WRONGTYPE: get_many cannot
  // tell the two apart, so such a key is reported as missing rather than failing the batch.
  redis_cli({"HSET", keys.profile.user.key(4), "f", "v"});
  keys.profile.user.set(5, user(5, "Ada"));
  EXPECT_EQ(keys.profile.user.get_many({4, 5}),
            (std::vector<std::optional<redis::UserProfile>>{std::nullopt, user(5, "Ada")}));
}

}  // namespace

namespace {

redis::Product product(const std::string& sku, std::int64_t price) { return redis::Product{sku, "Tea " + sku, price}; }

// Cache keys have get_many too: one MGET, each read counted as a hit or a miss.
TEST_F(GetMany, CacheEntriesAreReadWithOneMgetAndCountedAsHitsAndMisses) {
  keyspace::Options o = dev_options();
  auto metrics = std::make_shared<keyspace::MetricsObserver>();
  o.observer = metrics;
  keyspace::Client observed(o);
  redis::Keyspace cached{observed};
  cached.catalog.product.set("tea-1", product("tea-1", 450));
  cached.catalog.product.set("tea-3", product("tea-3", 990));
  redis_cli({"CONFIG", "RESETSTAT"});
  const std::vector<std::optional<redis::Product>> got = cached.catalog.product.get_many({"tea-1", "tea-2", "tea-3"});
  EXPECT_EQ(server_calls("mget"), 1);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], product("tea-1", 450));
  EXPECT_FALSE(got[1]);
  EXPECT_EQ(got[2], product("tea-3", 990));
  EXPECT_EQ(metrics->cache_reads("catalog.product", keyspace::CacheOutcome::hit), 2u);
  EXPECT_EQ(metrics->cache_reads("catalog.product", keyspace::CacheOutcome::miss), 1u);
  EXPECT_THROW(cached.catalog.product.get_many({"Not A Sku"}), keyspace::InvalidKey);
}

// Batched cache reads and invalidations go with the batch's other commands.
TEST_F(GetMany, CacheGetAndInvalidateJoinABatch) {
  keys.catalog.product.set("tea-1", product("tea-1", 450));
  redis_cli({"CONFIG", "RESETSTAT"});
  keyspace::Batch batch = keys.batch();
  auto before = keys.catalog.product.get(batch, "tea-1");
  auto dropped = keys.catalog.product.invalidate(batch, "tea-1");
  auto missing = keys.catalog.product.invalidate(batch, "tea-2");
  auto after = keys.catalog.product.get(batch, "tea-1");
  batch.execute();
  EXPECT_EQ(before.get(), product("tea-1", 450));
  EXPECT_TRUE(dropped.get());
  EXPECT_FALSE(missing.get());
  EXPECT_FALSE(after.get());
  EXPECT_EQ(server_calls("get"), 2);
  EXPECT_EQ(server_calls("unlink"), 2);
}

}  // namespace
