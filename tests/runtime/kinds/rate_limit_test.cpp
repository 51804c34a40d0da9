// The rate_limit kind against a real Redis: concurrent hits never exceed the limit (fixed and
// sliding window allow exactly `requests` per window, a token bucket at most `burst` at once),
// the bucket refills at its rate, every limiter key keeps a TTL, and peek/reset/cost behave.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace_test/shared_redis.hpp"
#include "rate_limit_kinds/keyspace.hpp"

namespace {

namespace rl = tests::rate_limit_kinds;
using keyspace::test::redis_cli;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr int kThreads = 8;

class RateLimitKind : public keyspace::test::RedisTest {
 protected:
  static long long pttl(const std::string& key) { return std::stoll(redis_cli({"PTTL", key})); }

  // Calls `hit` from kThreads threads released together; returns how many hits were allowed.
  template <class Hit>
  static int allowed_concurrently(Hit hit, int hits_per_thread) {
    std::atomic<int> allowed{0};
    std::atomic<int> failures{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        while (!go.load()) std::this_thread::yield();
        for (int i = 0; i < hits_per_thread; ++i) {
          try {
            if (hit().allowed) ++allowed;
          } catch (const std::exception&) {
            ++failures;
          }
        }
      });
    }
    go = true;
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    return allowed.load();
  }

  // Runs `check` on one accessor of each algorithm with a fresh key, each the same capacity
  // shape: fixed and sliding allow 50 per 10 s, the bucket holds 20 and refills 1 per 10 s.
  template <class Check>
  void for_each_algorithm(Check check) {
    {
      SCOPED_TRACE("fixed_window");
      check(keys.rate.fixed, std::int64_t{50});
    }
    {
      SCOPED_TRACE("sliding_window");
      check(keys.rate.sliding, std::int64_t{50});
    }
    {
      SCOPED_TRACE("token_bucket");
      check(keys.rate.bucket, std::int64_t{20});
    }
  }

  keyspace::Client client{options()};
  rl::Keyspace keys{client};
};

// --- concurrency -------------------------------------------------------------------------------

TEST_F(RateLimitKind, FixedWindowAllowsExactlyRequestsToConcurrentClients) {
  // The window starts with the key's first hit and lasts 10 s: every hit below lands in it.
  const auto start = Clock::now();
  const int allowed = allowed_concurrently([&] { return keys.rate.fixed.hit("client-a"); }, 25);
  ASSERT_LT(Clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(allowed, 50);
  EXPECT_EQ(redis_cli({"GET", keys.rate.fixed.key("client-a")}), "50");  // denied hits not counted
}

TEST_F(RateLimitKind, SlidingWindowAllowsExactlyRequestsToConcurrentClients) {
  const auto start = Clock::now();
  const int allowed = allowed_concurrently([&] { return keys.rate.sliding.hit("client-a"); }, 25);
  ASSERT_LT(Clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(allowed, 50);
  // Every allowed hit is its own log entry: concurrent hits in one microsecond are not merged.
  EXPECT_EQ(redis_cli({"ZCARD", keys.rate.sliding.key("client-a")}), "50");
}

TEST_F(RateLimitKind, SlidingWindowCountsConcurrentMultiCostHitsSeparately) {
  const int allowed = allowed_concurrently([&] { return keys.rate.sliding.hit("client-b", 3); }, 4);
  EXPECT_EQ(allowed, 16);  // 16 * 3 = 48 <= 50, a 17th would need 51
  EXPECT_EQ(redis_cli({"ZCARD", keys.rate.sliding.key("client-b")}), "48");
}

TEST_F(RateLimitKind, TokenBucketNeverAllowsMoreThanBurstFromAFullBucket) {
  // Refill is 1 token per 10 s, so within this test the bucket gains less than one token.
  const auto start = Clock::now();
  const int allowed = allowed_concurrently([&] { return keys.rate.bucket.hit("client-a"); }, 10);
  ASSERT_LT(Clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(allowed, 20);
}

// --- timing ------------------------------------------------------------------------------------

TEST_F(RateLimitKind, TokenBucketRefillsAtItsConfiguredRate) {
  // 4 tokens per second, burst 5: one token every 250 ms.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(keys.rate.refill.hit(7).allowed);
  const auto drained = Clock::now();
  const keyspace::RateLimitResult empty = keys.rate.refill.hit(7);
  EXPECT_FALSE(empty.allowed);
  EXPECT_EQ(empty.remaining, 0);
  EXPECT_GT(empty.retry_after.count(), 0);
  EXPECT_LE(empty.retry_after.count(), 250);

  std::this_thread::sleep_for(milliseconds(600));
  int refilled = 0;
  while (refilled < 10 && keys.rate.refill.hit(7).allowed) ++refilled;
  const auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - drained).count();
  EXPECT_GE(refilled, 2);                                          // 600 ms bring at least 2 tokens
  EXPECT_LE(refilled, std::min<long long>(5, elapsed / 250 + 1));  // and no more than time allows
}

TEST_F(RateLimitKind, TokenBucketReportsTimeToRefillCompletely) {
  const keyspace::RateLimitResult first = keys.rate.refill.hit(8, 2);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.remaining, 3);
  EXPECT_EQ(first.retry_after.count(), 0);
  EXPECT_GT(first.reset_after.count(), 400);  // two tokens take 500 ms to come back
  EXPECT_LE(first.reset_after.count(), 500);
  const keyspace::RateLimitResult fresh = keys.rate.refill.peek(9);
  EXPECT_EQ(fresh.remaining, 5);
  EXPECT_EQ(fresh.reset_after.count(), 0);
}

TEST_F(RateLimitKind, FixedWindowDeniesUntilTheWindowEndsThenOpensAgain) {
  const keyspace::RateLimitResult first = keys.rate.short_fixed.hit(1);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.remaining, 1);
  EXPECT_GT(first.reset_after.count(), 0);
  EXPECT_LE(first.reset_after.count(), 1000);
  EXPECT_TRUE(keys.rate.short_fixed.hit(1).allowed);

  const keyspace::RateLimitResult denied = keys.rate.short_fixed.hit(1);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.remaining, 0);
  EXPECT_GT(denied.retry_after.count(), 0);
  EXPECT_LE(denied.retry_after.count(), 1000);
  EXPECT_EQ(redis_cli({"GET", keys.rate.short_fixed.key(1)}), "2");  // the denied hit was not counted

  std::this_thread::sleep_for(denied.retry_after + milliseconds(20));
  const keyspace::RateLimitResult next = keys.rate.short_fixed.hit(1);
  EXPECT_TRUE(next.allowed);
  EXPECT_EQ(next.remaining, 1);
}

TEST_F(RateLimitKind, SlidingWindowRetryAfterIsWhenTheOldestHitLeavesTheWindow) {
  // 2 per 1 s. Hits at t=0 and t≈400 ms; a third must wait for the first to leave (t=1 s).
  const auto first_hit = Clock::now();
  ASSERT_TRUE(keys.rate.short_sliding.hit(1).allowed);
  std::this_thread::sleep_for(milliseconds(400));
  ASSERT_TRUE(keys.rate.short_sliding.hit(1).allowed);

  const keyspace::RateLimitResult denied = keys.rate.short_sliding.hit(1);
  const auto since_first = std::chrono::duration_cast<milliseconds>(Clock::now() - first_hit).count();
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.remaining, 0);
  EXPECT_GT(denied.retry_after.count(), 0);
  EXPECT_LE(denied.retry_after.count(), 1000 - 400);
  EXPECT_GE(denied.retry_after.count(), 1000 - since_first - 50);
  EXPECT_GT(denied.reset_after, denied.retry_after);  // the second hit leaves later

  std::this_thread::sleep_for(denied.retry_after + milliseconds(20));
  EXPECT_TRUE(keys.rate.short_sliding.hit(1).allowed);   // the first hit has left the window
  EXPECT_FALSE(keys.rate.short_sliding.hit(1).allowed);  // the second is still in it
}

// --- TTLs --------------------------------------------------------------------------------------

TEST_F(RateLimitKind, EveryLimiterKeyHasATtlAfterEveryHit) {
  for_each_algorithm([&](const auto& limiter, std::int64_t capacity) {
    // Never longer than the window; a bucket's TTL is its time to refill completely.
    constexpr keyspace::RateLimitSpec limit = std::decay_t<decltype(limiter)>::limit;
    const long long longest = limit.algorithm == keyspace::RateLimitAlgorithm::token_bucket
                                  ? limit.per.count() * limit.capacity() / limit.requests
                                  : limit.per.count();
    const std::string key = limiter.key("ttl");
    for (std::int64_t i = 0; i < capacity + 3; ++i) {  // allowed and denied hits alike
      limiter.hit("ttl");
      const long long left = pttl(key);
      ASSERT_GT(left, 0) << "hit " << i;
      ASSERT_LE(left, longest) << "hit " << i;
    }
  });
}

TEST_F(RateLimitKind, ALimiterKeyThatLostItsExpiryGetsOneOnTheNextHit) {
  for_each_algorithm([&](const auto& limiter, std::int64_t) {
    const std::string key = limiter.key("persisted");
    limiter.hit("persisted");
    ASSERT_EQ(redis_cli({"PERSIST", key}), "1");
    limiter.hit("persisted");
    EXPECT_GT(pttl(key), 0);
  });
}

TEST_F(RateLimitKind, FullBucketsAndEmptyWindowsLeaveNoKeyBehind) {
  // A bucket's TTL is its time to refill completely: 1 token at 4 tokens/s lives ~250 ms.
  keys.rate.refill.hit(3);
  const long long left = pttl(keys.rate.refill.key(3));
  EXPECT_GT(left, 0);
  EXPECT_LE(left, 250);
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(redis_cli({"EXISTS", keys.rate.refill.key(3)}), "0");
  EXPECT_EQ(keys.rate.refill.peek(3).remaining, 5);  // an expired bucket is a full one
}

// --- peek, reset, cost -------------------------------------------------------------------------

TEST_F(RateLimitKind, PeekDoesNotConsume) {
  for_each_algorithm([&](const auto& limiter, std::int64_t capacity) {
    const keyspace::RateLimitResult fresh = limiter.peek("peek");
    EXPECT_TRUE(fresh.allowed);
    EXPECT_EQ(fresh.remaining, capacity);
    EXPECT_EQ(redis_cli({"EXISTS", limiter.key("peek")}), "0");  // peek writes nothing

    limiter.hit("peek", 2);
    for (int i = 0; i < 5; ++i) {
      const keyspace::RateLimitResult looked = limiter.peek("peek");
      EXPECT_TRUE(looked.allowed);
      EXPECT_EQ(looked.remaining, capacity - 2);
    }
    EXPECT_EQ(limiter.hit("peek").remaining, capacity - 3);
  });
}

TEST_F(RateLimitKind, PeekOfAnExhaustedLimiterSaysWhenToRetry) {
  for_each_algorithm([&](const auto& limiter, std::int64_t capacity) {
    ASSERT_TRUE(limiter.hit("full", capacity).allowed);
    const keyspace::RateLimitResult looked = limiter.peek("full");
    EXPECT_FALSE(looked.allowed);
    EXPECT_EQ(looked.remaining, 0);
    EXPECT_GT(looked.retry_after.count(), 0);
    EXPECT_LE(looked.retry_after.count(), 10000);
    EXPECT_GE(looked.reset_after, looked.retry_after);
  });
}

TEST_F(RateLimitKind, ResetClearsTheLimit) {
  for_each_algorithm([&](const auto& limiter, std::int64_t capacity) {
    EXPECT_FALSE(limiter.reset("reset"));  // nothing to forget yet
    ASSERT_TRUE(limiter.hit("reset", capacity).allowed);
    ASSERT_FALSE(limiter.hit("reset").allowed);
    EXPECT_TRUE(limiter.reset("reset"));
    const keyspace::RateLimitResult after = limiter.hit("reset");
    EXPECT_TRUE(after.allowed);
    EXPECT_EQ(after.remaining, capacity - 1);
  });
}

TEST_F(RateLimitKind, HitsCostingMoreThanOneConsumeThatMany) {
  for_each_algorithm([&](const auto& limiter, std::int64_t capacity) {
    const keyspace::RateLimitResult first = limiter.hit("cost", 3);
    EXPECT_TRUE(first.allowed);
    EXPECT_EQ(first.remaining, capacity - 3);

    // A hit larger than what is left is denied and consumes nothing...
    const keyspace::RateLimitResult too_big = limiter.hit("cost", capacity - 2);
    EXPECT_FALSE(too_big.allowed);
    EXPECT_EQ(too_big.remaining, capacity - 3);
    EXPECT_GT(too_big.retry_after.count(), 0);
    // ...so what is left can still be taken exactly.
    const keyspace::RateLimitResult rest = limiter.hit("cost", capacity - 3);
    EXPECT_TRUE(rest.allowed);
    EXPECT_EQ(rest.remaining, 0);
  });
}

TEST_F(RateLimitKind, HitsThatCouldNeverBeAllowedAreRefusedBeforeReachingRedis) {
  for_each_algorithm([&](const auto& limiter, std::int64_t capacity) {
    EXPECT_THROW(limiter.hit("never", capacity + 1), keyspace::PolicyError);
    EXPECT_THROW(limiter.hit("never", 0), keyspace::PolicyError);
    EXPECT_THROW(limiter.hit("never", -1), keyspace::PolicyError);
    EXPECT_EQ(redis_cli({"EXISTS", limiter.key("never")}), "0");
  });
  try {
    keys.rate.bucket.hit("never", 21);
    FAIL() << "expected PolicyError";
  } catch (const keyspace::PolicyError& e) {
    EXPECT_NE(std::string(e.what()).find("capacity of 20"), std::string::npos) << e.what();
  }
}

TEST_F(RateLimitKind, LimitersOfDifferentParametersAreIndependent) {
  ASSERT_TRUE(keys.rate.fixed.hit("one", 50).allowed);
  EXPECT_FALSE(keys.rate.fixed.hit("one").allowed);
  EXPECT_TRUE(keys.rate.fixed.hit("two").allowed);
  EXPECT_NE(keys.rate.fixed.key("one"), keys.rate.fixed.key("two"));
}

TEST_F(RateLimitKind, BurstDefaultsToRequestsAndTheLimitIsCompileTimeData) {
  static_assert(rl::rate::Global::limit.capacity() == 3, "burst 0 means requests");
  static_assert(rl::rate::Refill::limit.capacity() == 5, "burst is the bucket's capacity");
  static_assert(rl::rate::Sliding::limit.algorithm == keyspace::RateLimitAlgorithm::sliding_window, "");
  static_assert(rl::rate::Fixed::limit.per == std::chrono::seconds(10), "");
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(keys.rate.global.hit().allowed);
  EXPECT_FALSE(keys.rate.global.hit().allowed);
  EXPECT_GT(pttl(keys.rate.global.key()), 0);
}

TEST_F(RateLimitKind, AKeyOfTheWrongTypeIsACommandError) {
  redis_cli({"SET", keys.rate.sliding.key("typed"), "text"});
  EXPECT_THROW(keys.rate.sliding.hit("typed"), keyspace::CommandError);
}

}  // namespace
