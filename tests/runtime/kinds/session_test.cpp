// The session kind against a real Redis: eviction beyond the index's max, sliding and fixed
// TTLs, destroy_all, pruning of expired ids, unique ids, and a TTL on every key.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace_test/shared_redis.hpp"
#include "session_kinds/keyspace.hpp"

namespace {

namespace sk = tests::session_kinds;
using keyspace::test::redis_cli;
using std::chrono::milliseconds;

class SessionKind : public keyspace::test::RedisTest {
 protected:
  static long long pttl(const std::string& key) { return std::stoll(redis_cli({"PTTL", key})); }

  // Every key in the database has a TTL (no session, no index is ever left persistent).
  // (KEYS is fine in a test's inspection script, never in the runtime.)
  static void expect_every_key_has_a_ttl() {
    const std::string without_ttl = redis_cli(
        {"EVAL",
         "local n = 0 for _, k in ipairs(redis.call('KEYS', '*')) do "
         "if redis.call('PTTL', k) < 0 then n = n + 1 end end return n",
         "0"});
    EXPECT_EQ(without_ttl, "0");
    EXPECT_NE(redis_cli({"DBSIZE"}), "0");
  }

  keyspace::Client client{options()};
  sk::Keyspace keys{client};
};

sk::Login login(std::int64_t user, const std::string& device) { return sk::Login{user, device}; }

TEST_F(SessionKind, CreateThenGetReturnsTheValueUnderAHexId) {
  const std::string sid = keys.auth.web.create(42, login(42, "laptop"));
  EXPECT_EQ(sid.size(), 64u);
  EXPECT_EQ(sid.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(keys.auth.web.get(42, sid), login(42, "laptop"));
  EXPECT_EQ(keys.auth.web.key(42, sid), "auth:web:{42}:" + sid);  // the id survives escaping
  EXPECT_FALSE(keys.auth.web.get(43, sid));  // another user's key
  EXPECT_FALSE(keys.auth.web.get(42, std::string(64, '0')));
  expect_every_key_has_a_ttl();
}

TEST_F(SessionKind, CreatingBeyondMaxEvictsTheOldestSession) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(keys.auth.web.create(7, login(7, "device" + std::to_string(i))));
  EXPECT_FALSE(keys.auth.web.get(7, ids[0]));  // the oldest is gone, key and index entry
  EXPECT_EQ(redis_cli({"EXISTS", keys.auth.web.key(7, ids[0])}), "0");
  const std::vector<std::string> listed = keys.auth.web.list(7);
  EXPECT_EQ(listed, (std::vector<std::string>{ids[1], ids[2], ids[3]}));
  for (int i = 1; i < 4; ++i) EXPECT_TRUE(keys.auth.web.get(7, ids[i]));
  EXPECT_EQ(redis_cli({"ZCARD", keys.auth.web.index_key(7)}), "3");
  expect_every_key_has_a_ttl();
}

TEST_F(SessionKind, EvictionFollowsUseForSlidingSessions) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(keys.auth.web.create(8, login(8, "d")));
  ASSERT_TRUE(keys.auth.web.touch(8, ids[0]));  // now the most recently used
  const std::string fourth = keys.auth.web.create(8, login(8, "d"));
  // the least recently used went; the order is by expiry, i.e. by last use
  EXPECT_EQ(keys.auth.web.list(8), (std::vector<std::string>{ids[2], ids[0], fourth}));
  EXPECT_FALSE(keys.auth.web.get(8, ids[1]));
  EXPECT_TRUE(keys.auth.web.get(8, ids[0]));
}

TEST_F(SessionKind, SlidingGetAndTouchRenewTheTtlAndTheIndexScore) {
  const std::string sid = keys.auth.web.create(9, login(9, "d"));
  const std::string key = keys.auth.web.key(9, sid), index = keys.auth.web.index_key(9);
  redis_cli({"PEXPIRE", key, "100000"});
  redis_cli({"PEXPIRE", index, "100000"});
  EXPECT_TRUE(keys.auth.web.get(9, sid));
  EXPECT_GT(pttl(key), 3500000);  // back to the full hour
  EXPECT_GT(pttl(index), 3500000);
  const long long score_ms = std::stoll(redis_cli({"ZSCORE", index, sid}));
  const long long now_ms = std::stoll(redis_cli({"TIME"}).substr(0, 10)) * 1000;
  EXPECT_NEAR(static_cast<double>(score_ms - now_ms), 3600000.0, 2000.0);  // expiry time, in ms

  redis_cli({"PEXPIRE", key, "100000"});
  EXPECT_TRUE(keys.auth.web.touch(9, sid));
  EXPECT_GT(pttl(key), 3500000);
  EXPECT_TRUE(keys.auth.web.update(9, sid, login(9, "phone")));
  EXPECT_EQ(keys.auth.web.get(9, sid), login(9, "phone"));
}

TEST_F(SessionKind, FixedSessionsKeepTheirExpiryOnGetAndUpdate) {
  const std::string token = keys.auth.api.create("acme", "payload");
  const std::string key = keys.auth.api.key(token);
  std::this_thread::sleep_for(milliseconds(300));
  const long long before = pttl(key);
  EXPECT_EQ(keys.auth.api.get("acme", token), "payload");
  EXPECT_TRUE(keys.auth.api.update("acme", token, "changed"));
  EXPECT_LE(pttl(key), before);  // neither renewed it
  EXPECT_EQ(keys.auth.api.get("acme", token), "changed");
  EXPECT_TRUE(keys.auth.api.touch("acme", token));  // touch is the explicit renewal
  EXPECT_GT(pttl(key), before);
}

TEST_F(SessionKind, SlidingSessionWithoutIndexLivesWhileUsed) {
  const std::string sid = keys.auth.short_.create("v");
  for (int i = 0; i < 4; ++i) {  // 4 x 400 ms: longer than the 1 s TTL, kept alive by use
    std::this_thread::sleep_for(milliseconds(400));
    ASSERT_EQ(keys.auth.short_.get(sid), "v") << i;
  }
  std::this_thread::sleep_for(milliseconds(1100));
  EXPECT_FALSE(keys.auth.short_.get(sid));
  EXPECT_FALSE(keys.auth.short_.touch(sid));
}

TEST_F(SessionKind, UpdateOfAMissingSessionWritesNothing) {
  const std::string never = keyspace::session::new_id();
  EXPECT_FALSE(keys.auth.web.update(1, never, login(1, "x")));
  EXPECT_FALSE(keys.auth.short_.update(never, "x"));
  EXPECT_FALSE(keys.auth.api.update("acme", never, "x"));
  EXPECT_EQ(redis_cli({"DBSIZE"}), "0");
}

TEST_F(SessionKind, DestroyRemovesTheSessionAndItsIndexEntry) {
  const std::string a = keys.auth.api.create("acme", "a");
  const std::string b = keys.auth.api.create("acme", "b");
  EXPECT_TRUE(keys.auth.api.destroy("acme", a));
  EXPECT_FALSE(keys.auth.api.destroy("acme", a));
  EXPECT_FALSE(keys.auth.api.get("acme", a));
  EXPECT_EQ(keys.auth.api.list("acme"), std::vector<std::string>{b});
  EXPECT_EQ(redis_cli({"ZCARD", keys.auth.api.index_key("acme")}), "1");
}

TEST_F(SessionKind, DestroyAllRemovesEverySessionOfThatUserOnly) {
  std::vector<std::string> mine, theirs;
  for (int i = 0; i < 3; ++i) mine.push_back(keys.auth.web.create(100, login(100, "d")));
  for (int i = 0; i < 2; ++i) theirs.push_back(keys.auth.web.create(200, login(200, "d")));
  EXPECT_EQ(keys.auth.web.destroy_all(100), 3);
  for (const std::string& sid : mine) EXPECT_FALSE(keys.auth.web.get(100, sid));
  for (const std::string& sid : theirs) EXPECT_TRUE(keys.auth.web.get(200, sid));
  EXPECT_TRUE(keys.auth.web.list(100).empty());
  EXPECT_EQ(redis_cli({"EXISTS", keys.auth.web.index_key(100)}), "0");
  EXPECT_EQ(keys.auth.web.list(200).size(), 2u);
}

TEST_F(SessionKind, ListPrunesExpiredIds) {
  const std::string old_token = keys.auth.api.create("acme", "old");
  std::this_thread::sleep_for(milliseconds(1200));
  const std::string fresh = keys.auth.api.create("acme", "fresh");
  std::this_thread::sleep_for(milliseconds(1000));  // old (2 s TTL) expired, fresh has not
  EXPECT_EQ(keys.auth.api.list("acme"), std::vector<std::string>{fresh});
  EXPECT_EQ(redis_cli({"ZSCORE", keys.auth.api.index_key("acme"), old_token}), "");
  EXPECT_EQ(redis_cli({"ZCARD", keys.auth.api.index_key("acme")}), "1");
  expect_every_key_has_a_ttl();
}

TEST_F(SessionKind, ListDropsIdsWhoseSessionKeyVanished) {
  const std::string a = keys.auth.api.create("acme", "a");
  const std::string b = keys.auth.api.create("acme", "b");
  redis_cli({"DEL", keys.auth.api.key(a)});  // e.g. evicted by maxmemory
  EXPECT_EQ(keys.auth.api.list("acme"), std::vector<std::string>{b});
}

TEST_F(SessionKind, IndexTtlCoversTheLongestLivingSession) {
  const std::string first = keys.auth.web.create(5, login(5, "d"));
  redis_cli({"PEXPIRE", keys.auth.web.index_key(5), "1000"});  // as if it had drifted
  keys.auth.web.create(5, login(5, "d"));
  // Absolute expiry times: remaining TTLs read one after the other would drift apart.
  const auto expires_at = [](const std::string& key) { return std::stoll(redis_cli({"PEXPIRETIME", key})); };
  EXPECT_GE(expires_at(keys.auth.web.index_key(5)), expires_at(keys.auth.web.key(5, first)));
  EXPECT_GT(pttl(keys.auth.web.index_key(5)), 3500000);
}

// 4 threads × 25,000 creations through one Client (pool of 4), over 500 users: every id is new.
TEST_F(SessionKind, OneHundredThousandCreationsHaveDistinctIds) {
  keyspace::Options o = options();
  o.pool_size = 4;
  keyspace::Client shared{o};
  sk::Keyspace shared_keys{shared};
  constexpr int kThreads = 4, kPerThread = 25'000;
  std::vector<std::vector<std::string>> created(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      created[t].reserve(kPerThread);
      for (int i = 0; i < kPerThread; ++i) {
        const int user = (t * kPerThread + i) % 500;
        created[t].push_back(shared_keys.auth.web.create(user, login(user, "d")));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::unordered_set<std::string> ids;
  for (const auto& part : created) ids.insert(part.begin(), part.end());
  EXPECT_EQ(ids.size(), std::size_t{kThreads} * kPerThread);
  EXPECT_EQ(keys.auth.web.list(3).size(), 3u);  // 200 created, max 3
  expect_every_key_has_a_ttl();
}

TEST_F(SessionKind, IdsAreUniqueAcrossOneHundredThousandDraws) {
  std::unordered_set<std::string> ids;
  for (int i = 0; i < 100000; ++i) ids.insert(keyspace::session::new_id());
  EXPECT_EQ(ids.size(), 100000u);
}

}  // namespace
