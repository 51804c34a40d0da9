// The generated accessors of examples/shop/keyspace.yaml against a real Redis: every operation of
// the value, counter and flag kinds, the TTLs the schema declares, the environment prefix,
// escaping of parameters, and typed errors.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "keyspace_test/shared_redis.hpp"
#include "shop/keyspace.hpp"

namespace {

namespace redis = shop::redis;
using keyspace::test::redis_cli;
using std::chrono::milliseconds;

class ShopKeys : public keyspace::test::RedisTest {
 protected:
  static keyspace::Options dev_options() {
    keyspace::Options o = options();
    o.environment = "dev";
    return o;
  }
  static long long pttl(const std::string& raw_key) { return std::stoll(redis_cli({"PTTL", raw_key})); }

  keyspace::Client client{dev_options()};
  redis::Keyspace keys{client};
};

redis::UserProfile ada() {
  redis::UserProfile p;
  p.id = 42;
  p.name = "Ada";
  p.email = "ada@example.com";
  p.roles = {redis::Role::admin, redis::Role::member};
  p.addresses = {{"1 Main St", "Springfield", std::nullopt}};
  p.updated_at = keyspace::Timestamp(milliseconds(1'700'000'000'123));
  return p;
}

TEST_F(ShopKeys, ValueRoundTripsAStructUnderTheEnvironmentPrefix) {
  EXPECT_FALSE(keys.profile.user.get(42));
  keys.profile.user.set(42, ada());
  EXPECT_EQ(keys.profile.user.get(42), ada());
  EXPECT_EQ(keys.profile.user.key(42), "dev:profile:user:42");
  EXPECT_EQ(redis_cli({"EXISTS", "dev:profile:user:42"}), "1");
  EXPECT_EQ(redis_cli({"EXISTS", "profile:user:42"}), "0");
}

TEST_F(ShopKeys, EveryWriteAppliesTheSchemaTtl) {
  keys.profile.user.set(1, ada());                         // ttl: 2h on the key
  keys.profile.role_by_email.set("a@b.c", redis::Role::guest);  // namespace default 1h
  keys.cart.checkout_started.set(1);                       // 15m
  keys.stats.page_views.incr("home", "2026-11-22");       // 2d
  keys.stats.views_by_role.incr(redis::Role::admin);      // schema default 1h
  const std::pair<std::string, long long> expected[] = {
      {keys.profile.user.key(1), 7'200'000},
      {keys.profile.role_by_email.key("a@b.c"), 3'600'000},
      {keys.cart.checkout_started.key(1), 900'000},
      {keys.stats.page_views.key("home", "2026-11-22"), 172'800'000},
      {keys.stats.views_by_role.key(redis::Role::admin), 3'600'000},
  };
  for (const auto& [key, ttl] : expected) {
    const long long left = pttl(key);
    EXPECT_GT(left, ttl - 5'000) << key;
    EXPECT_LE(left, ttl) << key;
  }
  const auto reported = keys.profile.user.ttl(1);
  ASSERT_TRUE(reported);
  EXPECT_GT(reported->count(), 7'200'000 - 5'000);
}

TEST_F(ShopKeys, SetIfAbsentDelAndExists) {
  EXPECT_TRUE(keys.profile.user.set_if_absent(7, ada()));
  redis::UserProfile other = ada();
  other.name = "Grace";
  EXPECT_FALSE(keys.profile.user.set_if_absent(7, other));
  EXPECT_EQ(keys.profile.user.get(7)->name, "Ada");
  EXPECT_GT(pttl(keys.profile.user.key(7)), 0);
  EXPECT_TRUE(keys.profile.user.exists(7));
  EXPECT_TRUE(keys.profile.user.del(7));
  EXPECT_FALSE(keys.profile.user.del(7));
  EXPECT_FALSE(keys.profile.user.exists(7));
  EXPECT_FALSE(keys.profile.user.ttl(7));
}

TEST_F(ShopKeys, MsgpackEncodedValueRoundTrips) {
  redis::Cart cart;
  cart.lines = {{"sku-1", 2, 1999}, {"sku-2", 1, 500}};
  cart.coupons = {{"WELCOME", 10}};
  keys.cart.open.set(3, cart);
  EXPECT_EQ(keys.cart.open.get(3), cart);
  const std::string raw = redis_cli({"--no-raw", "GET", keys.cart.open.key(3)});
  // A MessagePack map of two entries (0x82), not JSON text.
  EXPECT_EQ(raw.rfind("\"\\x82", 0), 0u) << raw;
}

TEST_F(ShopKeys, CounterIncrDecrGetReset) {
  EXPECT_EQ(keys.stats.page_views.get("home", "2026-11-22"), 0);
  EXPECT_EQ(keys.stats.page_views.incr("home", "2026-11-22"), 1);
  EXPECT_EQ(keys.stats.page_views.incr("home", "2026-11-22", 10), 11);
  EXPECT_EQ(keys.stats.page_views.decr("home", "2026-11-22", 3), 8);
  EXPECT_EQ(keys.stats.page_views.get("home", "2026-11-22"), 8);
  EXPECT_TRUE(keys.stats.page_views.reset("home", "2026-11-22"));
  EXPECT_EQ(keys.stats.page_views.get("home", "2026-11-22"), 0);
}

TEST_F(ShopKeys, CounterTtlIsSetOnCreationAndNotExtended) {
  keys.stats.page_views.incr("p", "2026-11-22");
  const std::string key = keys.stats.page_views.key("p", "2026-11-22");
  redis_cli({"PEXPIRE", key, "60000"});
  keys.stats.page_views.incr("p", "2026-11-22");
  EXPECT_LE(pttl(key), 60'000);
  EXPECT_GT(pttl(key), 0);
}

TEST_F(ShopKeys, PersistentCounterHasNoTtl) {
  keys.stats.total_orders.incr();
  EXPECT_EQ(pttl(keys.stats.total_orders.key()), -1);
}

TEST_F(ShopKeys, FlagSetExistsClear) {
  EXPECT_FALSE(keys.cart.checkout_started.exists(5));
  keys.cart.checkout_started.set(5);
  EXPECT_TRUE(keys.cart.checkout_started.exists(5));
  EXPECT_GT(pttl(keys.cart.checkout_started.key(5)), 0);
  EXPECT_TRUE(keys.cart.checkout_started.clear(5));
  EXPECT_FALSE(keys.cart.checkout_started.clear(5));
}

TEST_F(ShopKeys, CorruptStoredValueIsADecodeErrorNamingTheTemplate) {
  redis_cli({"SET", keys.profile.user.key(9), "{not json"});
  try {
    keys.profile.user.get(9);
    FAIL() << "expected DecodeError";
  } catch (const keyspace::DecodeError& e) {
    EXPECT_EQ(e.key_template(), "profile:user:{user_id}");
    EXPECT_NE(std::string(e.what()).find("profile:user:{user_id}"), std::string::npos) << e.what();
  }
  redis_cli({"SET", keys.profile.user.key(10), R"({"id": "not a number"})"});
  EXPECT_THROW(keys.profile.user.get(10), keyspace::DecodeError);
  redis_cli({"SET", keys.profile.role_by_email.key("x"), R"("superuser")"});
  EXPECT_THROW(keys.profile.role_by_email.get("x"), keyspace::DecodeError);
  redis_cli({"SET", keys.stats.total_orders.key(), "12abc"});
  EXPECT_THROW(keys.stats.total_orders.get(), keyspace::DecodeError);
}

TEST_F(ShopKeys, ParamsWithSeparatorsRoundTripAndNeverCollide) {
  const std::string tricky[] = {"a:b", "a", "b", "a*", "{a}", "a b", "a%3Ab", "[x]?", "a\\b"};
  for (std::size_t i = 0; i < std::size(tricky); ++i) {
    keys.profile.role_by_email.set(tricky[i], i % 2 ? redis::Role::admin : redis::Role::guest);
  }
  EXPECT_EQ(redis_cli({"DBSIZE"}), std::to_string(std::size(tricky)));
  for (std::size_t i = 0; i < std::size(tricky); ++i) {
    EXPECT_EQ(keys.profile.role_by_email.get(tricky[i]), i % 2 ? redis::Role::admin : redis::Role::guest) << tricky[i];
    const std::string key = keys.profile.role_by_email.key(tricky[i]);
    const std::string segment = key.substr(std::string("dev:profile:role:").size());
    EXPECT_EQ(segment.find_first_of(":*?{}[] \\"), std::string::npos) << key;
  }
}

TEST_F(ShopKeys, ParamBreakingItsPatternIsRejectedBeforeAnyCommand) {
  EXPECT_THROW(keys.stats.page_views.incr("Home Page!", "2026-11-22"), keyspace::InvalidKey);
  EXPECT_THROW(keys.stats.page_views.incr("home", "yesterday"), keyspace::InvalidKey);
  EXPECT_THROW(keys.profile.role_by_email.set("", redis::Role::guest), keyspace::InvalidKey);
  EXPECT_THROW(keys.profile.role_by_email.set(std::string(255, 'a'), redis::Role::guest), keyspace::InvalidKey);
  EXPECT_EQ(redis_cli({"DBSIZE"}), "0");
}

TEST_F(ShopKeys, TtlOverrideWithinTheMaximumReplacesTheSchemaTtl) {
  keys.profile.user.set(1, ada(), keyspace::ttl<6, std::chrono::hours>{});  // namespace max 6h
  EXPECT_NEAR(pttl(keys.profile.user.key(1)), 21'600'000, 5'000);
  keys.profile.user.set(2, ada(), std::chrono::minutes(5));
  EXPECT_NEAR(pttl(keys.profile.user.key(2)), 300'000, 5'000);
}

// A revoked token stays revoked for what is left of its own lifetime, not the schema's hour.
TEST_F(ShopKeys, FlagSetWithATtlOverrideKeepsItThatLong) {
  const std::string token = "tok_0123456789abcdef";
  keys.auth.revoked_token.set(token, std::chrono::minutes(10));
  EXPECT_TRUE(keys.auth.revoked_token.exists(token));
  EXPECT_NEAR(pttl(keys.auth.revoked_token.key(token)), 600'000, 5'000);
  keys.auth.revoked_token.set(token, keyspace::ttl<2, std::chrono::hours>{});  // no maximum in auth
  EXPECT_NEAR(pttl(keys.auth.revoked_token.key(token)), 7'200'000, 5'000);
  EXPECT_THROW(keys.auth.revoked_token.set(token, milliseconds(0)), keyspace::PolicyError);
  EXPECT_THROW(keys.auth.revoked_token.set(token, milliseconds(-5)), keyspace::PolicyError);
  EXPECT_THROW(keys.auth.revoked_token.set("short", std::chrono::minutes(1)), keyspace::InvalidKey);
}

TEST_F(ShopKeys, RunTimeTtlOverrideAboveTheMaximumIsAPolicyErrorBeforeAnyCommand) {
  keys.profile.user.set(1, ada());
  const std::string before = redis_cli({"INFO", "commandstats"});
  try {
    keys.profile.user.set(1, ada(), std::chrono::hours(7));
    FAIL() << "expected keyspace::PolicyError";
  } catch (const keyspace::PolicyError& e) {
    EXPECT_EQ(e.key_template(), "profile:user:{user_id}");
    EXPECT_NE(std::string(e.what()).find("maximum"), std::string::npos) << e.what();
  }
  EXPECT_THROW(keys.profile.user.set(1, ada(), milliseconds(0)), keyspace::PolicyError);
  // Only redis-cli's own INFO calls happened in between: no SET reached the server.
  const std::string after = redis_cli({"INFO", "commandstats"});
  const auto set_calls = [](const std::string& stats) {
    const auto at = stats.find("cmdstat_set:calls=");
    return at == std::string::npos ? std::string() : stats.substr(at, stats.find(',', at) - at);
  };
  EXPECT_EQ(set_calls(after), set_calls(before));
  EXPECT_NEAR(pttl(keys.profile.user.key(1)), 7'200'000, 5'000);
}

TEST_F(ShopKeys, KeyspaceRejectsAnEnvironmentTheSchemaDoesNotDeclare) {
  keyspace::Options o = options();
  o.environment = "qa";
  keyspace::Client qa{o};
  EXPECT_THROW(redis::Keyspace{qa}, keyspace::ConfigError);
  keyspace::Client none{options()};
  EXPECT_THROW(redis::Keyspace{none}, keyspace::ConfigError);
}

}  // namespace

namespace {

// Keyspace::health() knows the schema: under an evicting policy it names the shop's locks, rate
// limits and queues.
TEST_F(ShopKeys, HealthWarnsWhenThePolicyMayEvictTheSchemasLocksRateLimitsAndQueues) {
  EXPECT_TRUE(keys.health().warnings.empty());
  redis_cli({"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"});
  const keyspace::Health health = keys.health();
  redis_cli({"CONFIG", "SET", "maxmemory-policy", "noeviction"});
  ASSERT_EQ(health.warnings.size(), 1u);
  for (const char* at_risk : {"auth:login:{ip}", "auth:api:{client_id}", "checkout:lock:order:{order_id}",
                              "mail:order-emails"}) {
    EXPECT_NE(health.warnings[0].find(at_risk), std::string::npos) << at_risk << " in " << health.warnings[0];
  }
  EXPECT_EQ(health.warnings[0].find("profile:user"), std::string::npos);
}

}  // namespace

namespace {

// delete_all: every key of a template by SCAN + UNLINK, nothing of another template or
// environment, progress after each round trip.
TEST_F(ShopKeys, DeleteAllRemovesEveryKeyOfTheTemplateAndNothingElse) {
  for (std::int64_t id = 0; id < 1200; ++id) keys.profile.user.set(id, ada());
  keys.profile.preferences.set_theme(7, "dark");
  redis_cli({"SET", "staging:profile:user:1", "another environment"});
  std::vector<keyspace::DeleteProgress> reports;
  const std::int64_t deleted = keys.profile.user.delete_all([&](const keyspace::DeleteProgress& p) { reports.push_back(p); });
  EXPECT_EQ(deleted, 1200);
  ASSERT_FALSE(reports.empty());
  EXPECT_GE(reports.size(), 2u);  // 1,200 keys at about 500 per page
  EXPECT_TRUE(reports.back().done);
  EXPECT_EQ(reports.back().deleted, 1200);
  for (std::size_t i = 0; i + 1 < reports.size(); ++i) EXPECT_FALSE(reports[i].done);
  EXPECT_EQ(redis_cli({"EXISTS", "dev:profile:user:5"}), "0");
  EXPECT_EQ(redis_cli({"EXISTS", "staging:profile:user:1"}), "1");
  EXPECT_EQ(keys.profile.preferences.get_theme(7), "dark");
  EXPECT_EQ(keys.profile.user.delete_all(), 0);
}

// The leading parameters narrow it: one user's sessions, not another's.
TEST_F(ShopKeys, DeleteAllOfTheLeadingParametersGivenNarrowsToThoseKeys) {
  redis_cli({"SET", "dev:auth:session:{1}:a", "x"});
  redis_cli({"SET", "dev:auth:session:{1}:b", "x"});
  redis_cli({"SET", "dev:auth:session:{2}:a", "x"});
  EXPECT_EQ(keys.auth.session.delete_all(1), 2);
  EXPECT_EQ(redis_cli({"EXISTS", "dev:auth:session:{2}:a"}), "1");
  // A cache's entries go with their load locks (catalog:product:{sku}:_fill), not its tag sets.
  redis_cli({"SET", "dev:catalog:product:tea-1", "x"});
  redis_cli({"SET", "dev:catalog:product:tea-2", "x"});
  redis_cli({"SET", "dev:catalog:product:tea-2:_fill", "token"});
  redis_cli({"SADD", "dev:catalog:_tag:catalog", "dev:catalog:product:tea-1"});
  EXPECT_EQ(keys.catalog.product.delete_all(), 3);
  EXPECT_EQ(redis_cli({"EXISTS", "dev:catalog:_tag:catalog"}), "1");
}

}  // namespace
