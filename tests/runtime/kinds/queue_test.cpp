// The queue kind against a real Redis: no message is lost when a consumer crashes between pop
// and ack, redelivery (nack, requeue_stale), the length bound, blocking pops that outlast the
// command timeout, and the TTL of the queue and its companions after every write.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace_test/shared_redis.hpp"
#include "queue_kinds/keyspace.hpp"

namespace {

namespace q = tests::queue_kinds;
using keyspace::test::redis_cli;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class QueueKind : public keyspace::test::RedisTest {
 protected:
  static long long pttl(const std::string& key) { return std::stoll(redis_cli({"PTTL", key})); }
  static long long llen(const std::string& key) { return std::stoll(redis_cli({"LLEN", key})); }

  // Every key of the queue that exists has a TTL in (0, ttl].
  static void expect_ttls(const keyspace::QueueKeys& keys, milliseconds ttl) {
    for (const std::string& key : {keys.queue, keys.processing, keys.inflight}) {
      if (redis_cli({"EXISTS", key}) == "0") continue;
      const long long left = pttl(key);
      EXPECT_GT(left, 0) << key;
      EXPECT_LE(left, ttl.count()) << key;
    }
  }
  static void persist_all(const keyspace::QueueKeys& keys) {
    for (const std::string& key : {keys.queue, keys.processing, keys.inflight}) redis_cli({"PERSIST", key});
  }

  keyspace::Client client{options()};
  q::Keyspace keys{client};
};

q::Job job(std::int64_t n) { return q::Job{n, "job-" + std::to_string(n)}; }

TEST_F(QueueKind, CrashedConsumersMessagesAreRequeuedAndEveryMessageIsAcknowledged) {
  constexpr int kMessages = 1000;
  std::set<std::string> pushed;
  for (int i = 0; i < kMessages; ++i) pushed.insert(keys.jobs.work.push("acme", job(i)));
  ASSERT_EQ(pushed.size(), static_cast<std::size_t>(kMessages));  // ids are unique

  {  // consumer A takes 100 messages and "crashes": never acks, never nacks
    keyspace::Client a{options()};
    q::Keyspace a_keys{a};
    std::vector<q::jobs::Work::Delivery> taken;
    for (int i = 0; i < 100; ++i) {
      auto delivery = a_keys.jobs.work.pop("acme", milliseconds(100));
      ASSERT_TRUE(delivery);
      taken.push_back(std::move(*delivery));
    }
  }
  EXPECT_EQ(keys.jobs.work.size("acme"), kMessages - 100);
  EXPECT_EQ(keys.jobs.work.processing("acme"), 100);

  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(keys.jobs.work.requeue_stale("acme", milliseconds(20)), 100);
  EXPECT_EQ(keys.jobs.work.size("acme"), kMessages);
  EXPECT_EQ(keys.jobs.work.processing("acme"), 0);

  keyspace::Client b{options()};  // consumer B drains the queue
  q::Keyspace b_keys{b};
  std::set<std::string> acknowledged;
  std::set<std::int64_t> numbers;
  for (int i = 0; i < 2 * kMessages; ++i) {  // bounded: twice what it needs
    auto delivery = b_keys.jobs.work.pop("acme", milliseconds(50));
    if (!delivery) break;
    numbers.insert(delivery->value().number);
    EXPECT_EQ(delivery->value().name, "job-" + std::to_string(delivery->value().number));
    acknowledged.insert(std::string(delivery->id()));
    EXPECT_TRUE(delivery->ack());
  }
  EXPECT_EQ(acknowledged, pushed);  // none lost
  EXPECT_EQ(numbers.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(keys.jobs.work.size("acme"), 0);
  EXPECT_EQ(keys.jobs.work.processing("acme"), 0);
  EXPECT_EQ(redis_cli({"EXISTS", keys.jobs.work.queue_keys("acme").inflight}), "0");
}

TEST_F(QueueKind, ConcurrentConsumersShareTheMessagesWithoutDuplicates) {
  constexpr int kMessages = 400;
  std::set<std::string> pushed;
  for (int i = 0; i < kMessages; ++i) pushed.insert(keys.jobs.work.push("acme", job(i)));
  std::vector<std::vector<std::string>> seen(4);
  std::vector<std::thread> consumers;
  for (std::size_t t = 0; t < seen.size(); ++t) {
    consumers.emplace_back([&, t] {
      for (int i = 0; i < kMessages; ++i) {
        auto delivery = keys.jobs.work.pop("acme", milliseconds(50));
        if (!delivery) return;
        seen[t].emplace_back(delivery->id());
        delivery->ack();
      }
    });
  }
  for (std::thread& c : consumers) c.join();
  std::vector<std::string> all;
  for (const auto& s : seen) all.insert(all.end(), s.begin(), s.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kMessages));  // nobody crashed: exactly once
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), pushed);
}

TEST_F(QueueKind, MessageTakenWithoutInFlightRecordIsRecordedThenRequeued) {
  keys.jobs.work.push("acme", job(7));
  const keyspace::QueueKeys k = keys.jobs.work.queue_keys("acme");
  // A consumer that died right after BLMOVE, before recording the pop.
  redis_cli({"LMOVE", k.queue, k.processing, "RIGHT", "LEFT"});
  EXPECT_EQ(redis_cli({"ZCARD", k.inflight}), "0");

  EXPECT_EQ(keys.jobs.work.requeue_stale("acme", milliseconds(0)), 0);  // records it as taken now
  EXPECT_EQ(redis_cli({"ZCARD", k.inflight}), "1");
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_EQ(keys.jobs.work.requeue_stale("acme", milliseconds(10)), 1);
  auto delivery = keys.jobs.work.pop("acme", milliseconds(100));
  ASSERT_TRUE(delivery);
  EXPECT_EQ(delivery->value(), job(7));
  EXPECT_TRUE(delivery->ack());
}

TEST_F(QueueKind, RequeueStaleLeavesRecentDeliveriesAlone) {
  keys.jobs.work.push("acme", job(1));
  auto delivery = keys.jobs.work.pop("acme", milliseconds(100));
  ASSERT_TRUE(delivery);
  EXPECT_EQ(keys.jobs.work.requeue_stale("acme"), 0);  // default: the visibility timeout, 30s
  EXPECT_EQ(keys.jobs.work.requeue_stale("acme", milliseconds(60'000)), 0);
  EXPECT_EQ(keys.jobs.work.processing("acme"), 1);
  EXPECT_TRUE(delivery->ack());
}

TEST_F(QueueKind, PushBeyondMaxLengthThrowsQueueFull) {
  for (int i = 0; i < 3; ++i) keys.jobs.bounded.push("m" + std::to_string(i));
  EXPECT_THROW(keys.jobs.bounded.push("m3"), keyspace::QueueFull);
  try {
    keys.jobs.bounded.push("m3");
  } catch (const keyspace::QueueFull& e) {
    EXPECT_EQ(e.key_template(), "jobs:bounded");
    EXPECT_NE(std::string(e.what()).find("max_length of 3"), std::string::npos) << e.what();
  }
  EXPECT_EQ(keys.jobs.bounded.size(), 3);
  auto delivery = keys.jobs.bounded.pop(milliseconds(100));
  ASSERT_TRUE(delivery);
  EXPECT_EQ(delivery->value(), "m0");  // first in, first out
  keys.jobs.bounded.push("m3");        // room again
  EXPECT_EQ(keys.jobs.bounded.size(), 3);
}

TEST_F(QueueKind, PopOnAnEmptyQueueWaitsForTheTimeoutEvenBeyondTheCommandTimeout) {
  keyspace::Options o = options();
  o.command_timeout = milliseconds(200);
  keyspace::Client impatient{o};
  q::Keyspace k{impatient};
  const auto start = Clock::now();
  std::optional<q::jobs::Work::Delivery> delivery;
  EXPECT_NO_THROW(delivery = k.jobs.work.pop("acme", milliseconds(500)));
  const auto waited = Clock::now() - start;
  EXPECT_FALSE(delivery);
  EXPECT_GE(waited, milliseconds(450));
  EXPECT_LT(waited, milliseconds(3000));

  const auto again = Clock::now();
  EXPECT_FALSE(k.jobs.work.pop("acme", milliseconds(0)));  // zero: does not wait
  EXPECT_LT(Clock::now() - again, milliseconds(150));
}

TEST_F(QueueKind, PopReturnsAMessagePushedWhileWaiting) {
  std::thread producer([&] {
    std::this_thread::sleep_for(milliseconds(100));
    keys.jobs.work.push("acme", job(5));
  });
  auto delivery = keys.jobs.work.pop("acme", milliseconds(2000));
  producer.join();
  ASSERT_TRUE(delivery);
  EXPECT_EQ(delivery->value(), job(5));
  EXPECT_TRUE(delivery->ack());
}

TEST_F(QueueKind, NackRedeliversTheMessageFirst) {
  const std::string first = keys.jobs.work.push("acme", job(1));
  keys.jobs.work.push("acme", job(2));
  auto delivery = keys.jobs.work.pop("acme", milliseconds(100));
  ASSERT_TRUE(delivery);
  EXPECT_EQ(delivery->id(), first);
  EXPECT_TRUE(delivery->nack());
  EXPECT_FALSE(delivery->nack());  // already back in the queue: no duplicate
  EXPECT_EQ(keys.jobs.work.size("acme"), 2);
  EXPECT_EQ(keys.jobs.work.processing("acme"), 0);

  auto again = keys.jobs.work.pop("acme", milliseconds(100));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id(), first);
  EXPECT_EQ(again->value(), job(1));
  EXPECT_TRUE(again->ack());
  EXPECT_FALSE(again->nack());  // acknowledged: stays gone
  auto second = keys.jobs.work.pop("acme", milliseconds(100));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->value(), job(2));
  EXPECT_TRUE(second->ack());
  EXPECT_FALSE(second->ack());
}

TEST_F(QueueKind, LateAckWithdrawsTheRequeuedCopy) {
  keys.jobs.work.push("acme", job(3));
  auto slow = keys.jobs.work.pop("acme", milliseconds(100));
  ASSERT_TRUE(slow);
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_EQ(keys.jobs.work.requeue_stale("acme", milliseconds(10)), 1);
  EXPECT_TRUE(slow->ack());  // processed after all: the redelivery is not needed
  EXPECT_EQ(keys.jobs.work.size("acme"), 0);
  EXPECT_EQ(keys.jobs.work.processing("acme"), 0);
}

TEST_F(QueueKind, EveryWriteKeepsTheTtlOnAllThreeKeys) {
  const keyspace::QueueKeys k = keys.jobs.bounded.queue_keys();
  const std::string queue = keyspace::test::testing_cluster() ? "{jobs:bounded}" : "jobs:bounded";
  EXPECT_EQ(k.processing, queue + ":_processing");
  EXPECT_EQ(k.inflight, queue + ":_inflight");
  const milliseconds ttl(600'000);
  keys.jobs.bounded.push("a");
  keys.jobs.bounded.push("b");
  keys.jobs.bounded.push("c");
  expect_ttls(k, ttl);
  persist_all(k);
  auto a = keys.jobs.bounded.pop(milliseconds(100));
  ASSERT_TRUE(a);
  ASSERT_EQ(llen(k.processing), 1);
  expect_ttls(k, ttl);
  EXPECT_GT(pttl(k.processing), 0);
  EXPECT_GT(pttl(k.inflight), 0);
  persist_all(k);
  auto b = keys.jobs.bounded.pop(milliseconds(0));
  ASSERT_TRUE(b);
  persist_all(k);
  EXPECT_TRUE(a->nack());
  expect_ttls(k, ttl);
  persist_all(k);
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(keys.jobs.bounded.requeue_stale(milliseconds(5)), 1);
  expect_ttls(k, ttl);
  persist_all(k);
  auto next = keys.jobs.bounded.pop(milliseconds(0));
  ASSERT_TRUE(next);
  persist_all(k);
  EXPECT_TRUE(next->ack());
  expect_ttls(k, ttl);
  EXPECT_EQ(redis_cli({"EXISTS", k.queue}), "1");
  EXPECT_GT(pttl(k.queue), 0);
}

TEST_F(QueueKind, PersistentQueueKeysNeverGetATtl) {
  keys.jobs.forever.push(1);
  keys.jobs.forever.push(2);
  auto d = keys.jobs.forever.pop(milliseconds(100));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->value(), 1);
  const keyspace::QueueKeys k = keys.jobs.forever.queue_keys();
  for (const std::string& key : {k.queue, k.processing, k.inflight}) EXPECT_EQ(pttl(key), -1) << key;
  EXPECT_TRUE(d->ack());
}

TEST_F(QueueKind, UndecodableMessageIsDeliveredSoItCanBeAcknowledgedAway) {
  const keyspace::QueueKeys k = keys.jobs.work.queue_keys("acme");
  redis_cli({"LPUSH", k.queue, "not an envelope"});
  redis_cli({"LPUSH", k.queue, "0123456789abcdef0123456789abcdef:{\"number\":\"x\"}"});
  for (int i = 0; i < 2; ++i) {
    auto delivery = keys.jobs.work.pop("acme", milliseconds(100));
    ASSERT_TRUE(delivery);
    EXPECT_THROW(delivery->value(), keyspace::DecodeError);
    EXPECT_TRUE(delivery->ack());
  }
  EXPECT_EQ(keys.jobs.work.processing("acme"), 0);
  EXPECT_EQ(redis_cli({"EXISTS", k.inflight}), "0");
}

TEST_F(QueueKind, QueuesOfDifferentParametersAreIndependent) {
  keys.jobs.work.push("acme", job(1));
  keys.jobs.work.push("globex", job(2));
  EXPECT_EQ(keys.jobs.work.key("acme"), "jobs:work:acme");
  auto d = keys.jobs.work.pop("globex", milliseconds(100));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->value(), job(2));
  EXPECT_TRUE(d->ack());
  EXPECT_EQ(keys.jobs.work.size("acme"), 1);
  EXPECT_TRUE(keys.jobs.work.clear("acme"));
  EXPECT_EQ(keys.jobs.work.size("acme"), 0);
}

TEST_F(QueueKind, MessageIdsAre128BitHex) {
  const std::string id = keys.jobs.work.push("acme", job(1));
  EXPECT_EQ(id.size(), 32u);
  EXPECT_TRUE(std::all_of(id.begin(), id.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) && !std::isupper(static_cast<unsigned char>(c)); }));
}

}  // namespace
