// update(fn): an atomic read-modify-write of a live session. Concurrent increments from threads
// and from processes lose nothing; a missing or foreign session is not written and fn is not
// called; a session that keeps changing ends in UpdateConflict naming the key template.
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "child_processes.hpp"
#include "keyspace_test/shared_redis.hpp"
#include "session_kinds/keyspace.hpp"

namespace {

namespace sk = tests::session_kinds;
using keyspace::test::redis_cli;

std::string incremented(const std::string& counter) { return std::to_string(std::stoll(counter) + 1); }

class SessionUpdate : public keyspace::test::RedisTest {
 protected:
  keyspace::Client client{options()};
  sk::Keyspace keys{client};
};

TEST_F(SessionUpdate, UpdateWithAFunctionWritesAndReturnsWhatItReturns) {
  const std::string sid = keys.auth.device.create("alice", "1");
  EXPECT_EQ(keys.auth.device.update("alice", sid, incremented), "2");
  EXPECT_EQ(keys.auth.device.update(sid, incremented), "3");
  EXPECT_EQ(keys.auth.device.get("alice", sid), "3");
  const std::string web = keys.auth.web.create(5, sk::Login{5, "laptop"});
  const auto rename = [](const sk::Login& l) { return sk::Login{l.user_id, l.device + "+"}; };
  EXPECT_EQ(keys.auth.web.update(5, web, rename), (sk::Login{5, "laptop+"}));
  const std::string short_sid = keys.auth.short_.create("7");
  EXPECT_EQ(keys.auth.short_.update(short_sid, incremented), "8");
}

TEST_F(SessionUpdate, UpdateWithAFunctionOfAMissingOrForeignSessionDoesNotCallIt) {
  int calls = 0;
  const auto counted = [&](const std::string& v) {
    ++calls;
    return v;
  };
  const std::string never = keyspace::session::new_id();
  EXPECT_FALSE(keys.auth.device.update("alice", never, counted));
  EXPECT_FALSE(keys.auth.short_.update(never, counted));
  EXPECT_FALSE(keys.auth.api.update(never, counted));
  EXPECT_EQ(redis_cli({"DBSIZE"}), "0");
  const std::string sid = keys.auth.device.create("alice", "1");
  EXPECT_FALSE(keys.auth.device.update("bob", sid, counted));
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(keys.auth.device.get(sid), "1");
}

TEST_F(SessionUpdate, UpdateWithAFunctionRenewsSlidingSessionsAndKeepsFixedExpiries) {
  const std::string sid = keys.auth.device.create("alice", "1");
  redis_cli({"PEXPIRE", keys.auth.device.key(sid), "100000"});
  ASSERT_TRUE(keys.auth.device.update(sid, incremented));
  EXPECT_GT(std::stoll(redis_cli({"PTTL", keys.auth.device.key(sid)})), 3500000);
  const std::string token = keys.auth.api.create("acme", "1");
  const std::string expiry = redis_cli({"PEXPIRETIME", keys.auth.api.key(token)});
  ASSERT_TRUE(keys.auth.api.update("acme", token, incremented));
  EXPECT_EQ(redis_cli({"PEXPIRETIME", keys.auth.api.key(token)}), expiry);
}

// 4 threads × 100 increments through one Client (pool of 4), by owner and by id alternately.
TEST_F(SessionUpdate, ConcurrentUpdatesFromThreadsLoseNoIncrement) {
  keyspace::Options o = options();
  o.pool_size = 4;
  keyspace::Client shared{o};
  const sk::Keyspace shared_keys{shared};
  const std::string sid = keys.auth.device.create("alice", "0");
  const std::string short_sid = keys.auth.short_.create("0");
  constexpr int kThreads = 4, kPerThread = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        if (i % 2 == 0) shared_keys.auth.device.update("alice", sid, incremented);
        else shared_keys.auth.device.update(sid, incremented);
        shared_keys.auth.short_.update(short_sid, incremented);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(keys.auth.device.get(sid), std::to_string(kThreads * kPerThread));
  EXPECT_EQ(keys.auth.short_.get(short_sid), std::to_string(kThreads * kPerThread));
}

TEST_F(SessionUpdate, ConcurrentUpdatesFromProcessesLoseNoIncrement) {
  const std::string sid = keys.auth.device.create("alice", "0");
  const keyspace::Options opts = options();
  constexpr int kChildren = 4, kPerChild = 100;
  const std::vector<int> codes = keyspace::test::run_in_children(kChildren, std::chrono::seconds(30), [&](int) {
    keyspace::Client own{opts};
    const sk::Keyspace own_keys{own};
    for (int i = 0; i < kPerChild; ++i) {
      if (!own_keys.auth.device.update("alice", sid, incremented)) return 1;
    }
    return 0;
  });
  EXPECT_EQ(codes, std::vector<int>(kChildren, 0));
  EXPECT_EQ(keys.auth.device.get(sid), std::to_string(kChildren * kPerChild));
}

TEST_F(SessionUpdate, ASessionChangedUnderEveryAttemptEndsInUpdateConflict) {
  const std::string sid = keys.auth.device.create("alice", "0");
  int calls = 0;
  const auto racing = [&](const std::string& v) {
    keys.auth.device.update(sid, "changed" + std::to_string(++calls));  // another writer, every time
    return v;
  };
  try {
    keys.auth.device.update("alice", sid, racing);
    FAIL() << "no UpdateConflict";
  } catch (const keyspace::UpdateConflict& e) {
    EXPECT_EQ(e.key_template(), "auth:device:{sid}");
  }
  EXPECT_EQ(calls, keyspace::session::kUpdateAttempts);
  EXPECT_EQ(keys.auth.device.get(sid), "changed" + std::to_string(calls));
}

}  // namespace
