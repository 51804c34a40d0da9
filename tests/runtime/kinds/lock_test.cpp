// The lock kind against a real Redis: mutual exclusion under contention, a holder whose lease ran
// out cannot release or extend the next holder's lock, acquire's bounded wait, fencing tokens and
// the TTL of the lock key.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace_test/shared_redis.hpp"
#include "lock_kinds/keyspace.hpp"

namespace {

namespace lk = tests::lock_kinds;
using keyspace::test::redis_cli;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

static_assert(!std::is_copy_constructible_v<keyspace::LockGuard>, "one guard, one holder");
static_assert(std::is_nothrow_move_constructible_v<keyspace::LockGuard>);

class LockKind : public keyspace::test::RedisTest {
 protected:
  static long long pttl(const std::string& key) { return std::stoll(redis_cli({"PTTL", key})); }

  keyspace::Client client{options()};
  lk::Keyspace keys{client};
};

TEST_F(LockKind, SixteenThreadsNeverHoldTheLockAtOnce) {
  constexpr int kThreads = 16, kRounds = 500;
  keyspace::Options shared = options();
  shared.pool_size = kThreads;
  keyspace::Client pooled{shared};
  lk::Keyspace pooled_keys{pooled};
  std::atomic<bool> inside{false};
  std::atomic<int> overlaps{0}, failures{0};
  long long counter = 0;  // plain on purpose: only the lock protects it
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kRounds; ++i) {
        try {
          auto guard = pooled_keys.locks.counter.acquire(milliseconds(20000));
          if (inside.exchange(true)) overlaps.fetch_add(1);
          const long long seen = counter;
          std::this_thread::yield();  // widen the window a broken lock would let others into
          counter = seen + 1;
          inside.store(false);
        } catch (const keyspace::Error&) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(counter, kThreads * kRounds);
  EXPECT_EQ(redis_cli({"EXISTS", keys.locks.counter.key()}), "0");  // every guard released
}

TEST_F(LockKind, TryAcquireFailsWhileHeldAndSucceedsAfterRelease) {
  auto first = keys.locks.named.try_acquire("report");
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->held());
  EXPECT_FALSE(keys.locks.named.try_acquire("report"));
  EXPECT_TRUE(keys.locks.named.try_acquire("other"));  // another parameter, another lock
  EXPECT_TRUE(first->release());
  EXPECT_FALSE(first->held());
  EXPECT_FALSE(first->release());  // spent
  EXPECT_TRUE(keys.locks.named.try_acquire("report"));
}

TEST_F(LockKind, GuardReleasesWhenDestroyedAndMovesWithoutReleasing) {
  {
    auto guard = keys.locks.named.try_acquire("moved");
    ASSERT_TRUE(guard);
    lk::locks::Named::Guard moved = std::move(*guard);
    EXPECT_TRUE(moved.held());
    guard.reset();  // the moved-from guard must not release the lock
    EXPECT_TRUE(moved.held());
    EXPECT_FALSE(keys.locks.named.try_acquire("moved"));
  }
  EXPECT_TRUE(keys.locks.named.try_acquire("moved"));
}

TEST_F(LockKind, ExpiredGuardCannotReleaseOrExtendTheNextHoldersLock) {
  auto old_guard = keys.locks.short_.try_acquire(7);
  ASSERT_TRUE(old_guard);
  std::this_thread::sleep_for(milliseconds(300));  // past the 200 ms lease
  EXPECT_FALSE(old_guard->held());
  auto next = keys.locks.short_.try_acquire(7);
  ASSERT_TRUE(next);
  EXPECT_FALSE(old_guard->extend(milliseconds(200)));
  EXPECT_FALSE(old_guard->release());
  old_guard.reset();  // the destructor must not delete it either
  EXPECT_TRUE(next->held());
  EXPECT_GT(pttl(keys.locks.short_.key(7)), 0);
}

TEST_F(LockKind, ExpiredGuardDestroyedDoesNotDeleteTheNextHoldersLock) {
  std::optional<lk::locks::Short::Guard> old_guard = keys.locks.short_.try_acquire(8);
  ASSERT_TRUE(old_guard);
  std::this_thread::sleep_for(milliseconds(300));
  auto next = keys.locks.short_.try_acquire(8);
  ASSERT_TRUE(next);
  old_guard.reset();
  EXPECT_TRUE(next->held());
}

TEST_F(LockKind, ExtendRenewsTheLeaseWhileHeldAndFailsAfterLoss) {
  auto guard = keys.locks.short_.try_acquire(9);
  ASSERT_TRUE(guard);
  for (int i = 0; i < 4; ++i) {  // 4 x 100 ms: twice the lease, kept alive by extend
    std::this_thread::sleep_for(milliseconds(100));
    EXPECT_TRUE(guard->extend());
  }
  EXPECT_TRUE(guard->held());
  EXPECT_FALSE(keys.locks.short_.try_acquire(9));
  EXPECT_TRUE(guard->extend(milliseconds(50)));
  EXPECT_LE(pttl(keys.locks.short_.key(9)), 50);
  std::this_thread::sleep_for(milliseconds(120));
  EXPECT_FALSE(guard->extend());
  EXPECT_FALSE(guard->held());
}

TEST_F(LockKind, ExtendBeyondTheKeysTtlIsAPolicyErrorBeforeAnyCommand) {
  auto guard = keys.locks.short_.try_acquire(10);
  ASSERT_TRUE(guard);
  EXPECT_THROW(guard->extend(milliseconds(201)), keyspace::PolicyError);
  EXPECT_THROW(guard->extend(milliseconds(0)), keyspace::PolicyError);
  EXPECT_LE(pttl(keys.locks.short_.key(10)), 200);
  EXPECT_TRUE(guard->held());
}

TEST_F(LockKind, AcquireTimesOutWithLockTimeoutAfterTheWait) {
  auto holder = keys.locks.named.try_acquire("busy");
  ASSERT_TRUE(holder);
  const Clock::time_point start = Clock::now();
  EXPECT_THROW((void)keys.locks.named.acquire("busy", milliseconds(150)), keyspace::LockTimeout);
  const auto waited = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  EXPECT_GE(waited.count(), 150);
  EXPECT_LT(waited.count(), 150 + 100);
}

TEST_F(LockKind, AcquireWaitsForTheLockToComeFree) {
  auto holder = keys.locks.short_.try_acquire(11);
  ASSERT_TRUE(holder);
  std::thread releaser([&] {
    std::this_thread::sleep_for(milliseconds(50));
    holder->release();
  });
  auto guard = keys.locks.short_.acquire(11, milliseconds(1000));
  releaser.join();
  EXPECT_TRUE(guard.held());
}

TEST_F(LockKind, FencingTokensStrictlyIncreaseEvenAfterTheCounterIsLost) {
  std::int64_t last = 0;
  for (int i = 0; i < 20; ++i) {
    auto guard = keys.locks.named.try_acquire("fenced");
    ASSERT_TRUE(guard);
    EXPECT_GT(guard->fencing_token(), last);
    last = guard->fencing_token();
  }
  const std::string fence = keyspace::companion_key(client, keys.locks.named.key("fenced"), "_fence");
  EXPECT_GT(pttl(fence), 0);  // the counter has a TTL too
  redis_cli({"DEL", fence});  // as if it had expired, or a failover had lost it
  auto guard = keys.locks.named.try_acquire("fenced");
  ASSERT_TRUE(guard);
  EXPECT_GT(guard->fencing_token(), last);
}

TEST_F(LockKind, LockKeyAlwaysHasTheLeaseAsTtl) {
  auto guard = keys.locks.counter.try_acquire();
  ASSERT_TRUE(guard);
  const long long left = pttl(keys.locks.counter.key());
  EXPECT_GT(left, 0);
  EXPECT_LE(left, 10000);
  std::this_thread::sleep_for(milliseconds(300));
  const long long before = pttl(keys.locks.counter.key());
  EXPECT_LE(before, left - 300);
  ASSERT_TRUE(guard->extend());
  EXPECT_GT(pttl(keys.locks.counter.key()), before);
}

TEST_F(LockKind, DestructorSwallowsErrorsWhenRedisIsUnreachable) {
  keyspace::test::RedisServer server;
  keyspace::Client own{server.options()};
  lk::Keyspace own_keys{own};
  auto guard = own_keys.locks.named.try_acquire("gone");
  ASSERT_TRUE(guard);
  server.stop();
  EXPECT_THROW(guard->held(), keyspace::ConnectionError);
  EXPECT_NO_THROW(guard.reset());
}

}  // namespace
