// keys.batch() through the generated accessors of examples/shop/keyspace.yaml against a real
// Redis: typed operations of several accessors queued, sent in one round trip, results typed;
// per-operation errors stay with their operation; a failed round trip reaches every result.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace_test/shared_redis.hpp"
#include "shop/keyspace.hpp"

namespace {

namespace redis = shop::redis;
using keyspace::test::redis_cli;

class CountingObserver : public keyspace::Observer {
 public:
  void on_command(const keyspace::CommandEvent& event) noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back(std::string(event.key_name) + "/" + std::string(event.op));
  }
  std::vector<std::string> events() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
};

class Batch : public keyspace::test::RedisTest {
 protected:
  static keyspace::Options dev_options(std::shared_ptr<keyspace::Observer> observer) {
    keyspace::Options o = options();
    o.environment = "dev";
    o.observer = std::move(observer);
    return o;
  }
  static long long pttl(const std::string& raw_key) { return std::stoll(redis_cli({"PTTL", raw_key})); }

  std::shared_ptr<CountingObserver> observer = std::make_shared<CountingObserver>();
  keyspace::Client client{dev_options(observer)};
  redis::Keyspace keys{client};
};

redis::UserProfile user(std::int64_t id) {
  redis::UserProfile p;
  p.id = id;
  p.name = "user " + std::to_string(id);
  p.email = "u" + std::to_string(id) + "@example.com";
  return p;
}

TEST_F(Batch, OperationsOfSeveralAccessorsRunInOneRoundTripWithTypedResults) {
  keys.profile.user.set(1, user(1));
  keyspace::Batch batch = keys.batch();
  const keyspace::Pending<std::optional<redis::UserProfile>> first = keys.profile.user.get(batch, 1);
  const keyspace::Pending<std::optional<redis::UserProfile>> missing = keys.profile.user.get(batch, 2);
  const keyspace::Pending<void> written = keys.profile.user.set(batch, 3, user(3));
  const keyspace::Pending<std::int64_t> views = keys.stats.page_views.incr(batch, "home", "2026-11-22", 5);
  const keyspace::Pending<std::int64_t> more = keys.stats.page_views.incr(batch, "home", "2026-11-22");
  const keyspace::Pending<std::int64_t> orders = keys.stats.total_orders.incr(batch);
  const keyspace::Pending<void> flagged = keys.cart.checkout_started.set(batch, 7);
  const keyspace::Pending<bool> flag_seen = keys.cart.checkout_started.exists(batch, 7);
  const keyspace::Pending<bool> deleted = keys.profile.user.del(batch, 1);
  EXPECT_EQ(batch.size(), 9u);
  EXPECT_FALSE(first.executed());
  const std::size_t before = observer->events().size();

  batch.execute();

  const std::vector<std::string> events = observer->events();
  ASSERT_EQ(events.size(), before + 1);
  EXPECT_EQ(events.back(), "batch/execute");
  EXPECT_EQ(batch.size(), 0u);
  EXPECT_EQ(first.get(), user(1));
  EXPECT_EQ(missing.get(), std::nullopt);
  EXPECT_NO_THROW(written.get());
  EXPECT_EQ(keys.profile.user.get(3), user(3));
  EXPECT_EQ(views.get(), 5);
  EXPECT_EQ(more.get(), 6);
  EXPECT_EQ(orders.get(), 1);
  EXPECT_NO_THROW(flagged.get());
  EXPECT_TRUE(flag_seen.get());
  EXPECT_TRUE(deleted.get());
  EXPECT_FALSE(keys.profile.user.exists(1));
}

TEST_F(Batch, WritesInABatchApplyTheSchemaTtl) {
  keyspace::Batch batch = keys.batch();
  keys.profile.user.set(batch, 1, user(1));                         // ttl: 2h
  keys.stats.page_views.incr(batch, "home", "2026-11-22");          // 2d, set on creation
  keys.cart.checkout_started.set(batch, 1);                          // 15m
  keys.stats.total_orders.incr(batch);                              // persistent
  batch.execute();
  EXPECT_NEAR(pttl(keys.profile.user.key(1)), 7'200'000, 5'000);
  EXPECT_NEAR(pttl(keys.stats.page_views.key("home", "2026-11-22")), 172'800'000, 5'000);
  EXPECT_NEAR(pttl(keys.cart.checkout_started.key(1)), 900'000, 5'000);
  EXPECT_EQ(pttl(keys.stats.total_orders.key()), -1);
}

TEST_F(Batch, AFailingOperationFailsAloneAndNamesItsTemplate) {
  redis_cli({"RPUSH", keys.profile.user.key(9), "not a string"});
  redis_cli({"SET", keys.profile.user.key(8), "{not json"});
  keyspace::Batch batch = keys.batch();
  const auto wrong_type = keys.profile.user.get(batch, 9);
  const auto corrupt = keys.profile.user.get(batch, 8);
  const auto counted = keys.stats.page_views.incr(batch, "home", "2026-11-22");
  batch.execute();
  try {
    wrong_type.get();
    FAIL() << "expected keyspace::CommandError";
  } catch (const keyspace::CommandError& e) {
    EXPECT_EQ(e.key_template(), "profile:user:{user_id}");
    EXPECT_NE(std::string(e.what()).find("WRONGTYPE"), std::string::npos) << e.what();
  }
  EXPECT_THROW(corrupt.get(), keyspace::DecodeError);
  EXPECT_EQ(counted.get(), 1);
}

TEST_F(Batch, ResultReadBeforeExecuteIsABatchError) {
  keyspace::Batch batch = keys.batch();
  const auto pending = keys.profile.user.get(batch, 1);
  EXPECT_THROW(pending.get(), keyspace::BatchError);
}

TEST_F(Batch, EmptyBatchSendsNothing) {
  keyspace::Batch batch = keys.batch();
  const std::size_t before = observer->events().size();
  batch.execute();
  EXPECT_EQ(observer->events().size(), before);
}

TEST_F(Batch, BatchCanBeFilledAgainAfterExecute) {
  keyspace::Batch batch = keys.batch();
  keys.stats.total_orders.incr(batch);
  batch.execute();
  const auto second = keys.stats.total_orders.incr(batch, 10);
  batch.execute();
  EXPECT_EQ(second.get(), 11);
}

TEST_F(Batch, FailedRoundTripReachesEveryResult) {
  keyspace::test::RedisServer server;
  keyspace::Options o = server.options();
  o.environment = "dev";
  keyspace::Client own{o};
  redis::Keyspace own_keys{own};
  own_keys.profile.user.set(1, user(1));
  server.stop();
  keyspace::Batch batch = own_keys.batch();
  const auto read = own_keys.profile.user.get(batch, 1);
  const auto count = own_keys.stats.total_orders.incr(batch);
  EXPECT_THROW(batch.execute(), keyspace::ConnectionError);
  EXPECT_THROW(read.get(), keyspace::ConnectionError);
  EXPECT_THROW(count.get(), keyspace::ConnectionError);
}

}  // namespace
