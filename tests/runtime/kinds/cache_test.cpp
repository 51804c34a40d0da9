// The cache kind against a real Redis: a cold entry is loaded once however many threads and
// clients ask for it, a loader failure or a crashed loader never blocks the next caller, early
// refresh reloads once, tag invalidation removes exactly the tagged entries, tag sets outlive
// their members, every write carries a TTL, and both error policies behave with Redis down.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cache_kinds/keyspace.hpp"
#include "keyspace/detail/client_access.hpp"
#include "keyspace_test/redis_server.hpp"
#include "keyspace_test/shared_redis.hpp"

namespace {

namespace ck = tests::cache_kinds;
using keyspace::CacheOutcome;
using keyspace::test::redis_cli;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr int kThreads = 16;

// Counts the cache outcomes the runtime reports.
class CountingObserver : public keyspace::Observer {
 public:
  void on_command(const keyspace::CommandEvent&) noexcept override {}
  void on_cache(const keyspace::KeySpec&, CacheOutcome outcome) noexcept override {
    if (outcome == CacheOutcome::hit) ++hits;
    if (outcome == CacheOutcome::miss) ++misses;
    if (outcome == CacheOutcome::degraded_miss) ++degraded;
    if (outcome == CacheOutcome::stale) ++stale;
  }
  std::atomic<int> hits{0}, misses{0}, degraded{0}, stale{0};
};

class CacheKind : public keyspace::test::RedisTest {
 protected:
  static long long pttl(const std::string& key) { return std::stoll(redis_cli({"PTTL", key})); }
  // Absolute expiry in ms (PEXPIRETIME), so that keys read one after the other compare exactly.
  static long long expire_time(const std::string& key) { return std::stoll(redis_cli({"PEXPIRETIME", key})); }
  static bool exists(const std::string& key) { return redis_cli({"EXISTS", key}) == "1"; }

  // Runs `body(i)` on kThreads threads released together.
  template <class Body>
  static void run_together(Body body) {
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        body(i);
      });
    }
    go = true;
    for (std::thread& t : threads) t.join();
  }

  std::shared_ptr<CountingObserver> observer = std::make_shared<CountingObserver>();
  keyspace::Client client{with_observer(options(), observer)};
  ck::Keyspace keys{client};

  static keyspace::Options with_observer(keyspace::Options o, std::shared_ptr<keyspace::Observer> obs) {
    o.observer = std::move(obs);
    return o;
  }
};

// A loader that takes ~100 ms and counts its calls.
struct SlowLoader {
  std::atomic<int>* calls;
  std::int64_t operator()() const {
    ++*calls;
    std::this_thread::sleep_for(milliseconds(100));
    return 42;
  }
};

TEST_F(CacheKind, SetGetInvalidateRoundTripAndReportHitsAndMisses) {
  EXPECT_EQ(keys.cache.profile.get(1), std::nullopt);
  keys.cache.profile.set(1, "Ada");
  EXPECT_EQ(keys.cache.profile.get(1), "Ada");
  EXPECT_TRUE(keys.cache.profile.invalidate(1));
  EXPECT_FALSE(keys.cache.profile.invalidate(1));
  EXPECT_EQ(keys.cache.profile.get(1), std::nullopt);
  EXPECT_EQ(observer->hits.load(), 1);
  EXPECT_EQ(observer->misses.load(), 2);
}

TEST_F(CacheKind, GetOrLoadReturnsTheCachedValueWithoutCallingTheLoader) {
  keys.cache.item.set(7, "pen", ck::Item{"pen", 3});
  int calls = 0;
  const ck::Item item = keys.cache.item.get_or_load(7, "pen", [&] { ++calls; return ck::Item{"other", 0}; });
  EXPECT_EQ(item, (ck::Item{"pen", 3}));
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(observer->hits.load(), 1);
}

TEST_F(CacheKind, SixteenThreadsOnAColdKeyRunTheLoaderOnce) {
  std::atomic<int> calls{0}, right{0};
  run_together([&](int) {
    if (keys.cache.slow.get_or_load("cold", SlowLoader{&calls}) == 42) ++right;
  });
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(right.load(), kThreads);
  EXPECT_EQ(keys.cache.slow.get("cold"), 42);
  EXPECT_FALSE(exists(keyspace::companion_key(client, keys.cache.slow.key("cold"), "_fill"))) << "the load lock is released";
}

TEST_F(CacheKind, SeparateClientsOnAColdKeyRunTheLoaderOnce) {
  constexpr int kClients = 4;
  std::vector<std::unique_ptr<keyspace::Client>> clients;
  std::vector<std::unique_ptr<ck::Keyspace>> keyspaces;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<keyspace::Client>(options()));
    keyspaces.push_back(std::make_unique<ck::Keyspace>(*clients.back()));
  }
  std::atomic<int> calls{0}, right{0};
  run_together([&](int i) {
    if (keyspaces[i % kClients]->cache.slow.get_or_load("shared", SlowLoader{&calls}) == 42) ++right;
  });
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(right.load(), kThreads);
}

// Another writer's bytes under an entry key, stored as they are.
void store_raw(keyspace::Client& client, const std::string& key, std::string bytes) {
  const keyspace::KeySpec spec{"test.raw", "raw", std::chrono::milliseconds(0)};
  keyspace::detail::ClientAccess::execute(client, spec, "set", {"SET", key, std::move(bytes), "PX", "60000"});
}

TEST_F(CacheKind, GetOrLoadReloadsAndOverwritesAnEntryThatDoesNotDecode) {
  store_raw(client, keys.cache.item.key(7, "pen"), "{\"sku\": 12");
  int calls = 0;
  const ck::Item item = keys.cache.item.get_or_load(7, "pen", [&] { ++calls; return ck::Item{"pen", 3}; });
  EXPECT_EQ(item, (ck::Item{"pen", 3}));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(observer->degraded.load(), 1);
  EXPECT_EQ(keys.cache.item.get(7, "pen"), (ck::Item{"pen", 3})) << "the corrupt entry is overwritten";
}

TEST_F(CacheKind, MessagePackNestedTooDeepIsADecodeErrorForGetAndAReloadForGetOrLoad) {
  // A map whose one member (unknown to the type, so skipped) is 200,000 one-element arrays around
  // a nil: a stack overflow for a recursive decoder.
  store_raw(client, keys.cache.packed.key(1), std::string("\x81\xa1x") + std::string(200'000, '\x91') + '\xc0');
  try {
    (void)keys.cache.packed.get(1);
    ADD_FAILURE() << "the value decoded";
  } catch (const keyspace::DecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("cache:packed:{id}"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("256"), std::string::npos) << e.what();
  }
  int calls = 0;
  EXPECT_EQ(keys.cache.packed.get_or_load(1, [&] { ++calls; return ck::Item{"pen", 3}; }), (ck::Item{"pen", 3}));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(keys.cache.packed.get(1), (ck::Item{"pen", 3}));
}

TEST_F(CacheKind, SixteenThreadsOnACorruptEntryRunTheLoaderOnce) {
  store_raw(client, keys.cache.slow.key("corrupt"), "not an int64");
  std::atomic<int> calls{0}, right{0};
  run_together([&](int) {
    if (keys.cache.slow.get_or_load("corrupt", SlowLoader{&calls}) == 42) ++right;
  });
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(right.load(), kThreads);
  EXPECT_EQ(keys.cache.slow.get("corrupt"), 42);
}

TEST_F(CacheKind, LoaderExceptionReleasesTheLoadLockForTheNextCaller) {
  EXPECT_THROW(keys.cache.slow.get_or_load("boom", []() -> std::int64_t { throw std::runtime_error("db down"); }),
               std::runtime_error);
  EXPECT_FALSE(exists(keyspace::companion_key(client, keys.cache.slow.key("boom"), "_fill")));
  const Clock::time_point start = Clock::now();
  EXPECT_EQ(keys.cache.slow.get_or_load("boom", [] { return std::int64_t{5}; }), 5);
  EXPECT_LT(Clock::now() - start, milliseconds(500)) << "the next caller did not wait for a lock";
}

TEST_F(CacheKind, WaiterLoadsItselfWhenTheLockHolderCrashed) {
  // A holder that died: its lock stays until its TTL ends, and no value ever comes.
  redis_cli({"SET", keyspace::companion_key(client, keys.cache.slow.key("orphan"), "_fill"), "dead-token", "PX", "300"});
  const Clock::time_point start = Clock::now();
  EXPECT_EQ(keys.cache.slow.get_or_load("orphan", [] { return std::int64_t{9}; }), 9);
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, milliseconds(250));
  EXPECT_LT(waited, milliseconds(3000));
  EXPECT_EQ(keys.cache.slow.get("orphan"), 9);
}

TEST_F(CacheKind, ALoaderThatOutlivesItsLockDoesNotReleaseTheNextHoldersLock) {
  const std::string lock = keyspace::companion_key(client, keys.cache.slow.key("late"), "_fill");
  std::int64_t value = keys.cache.slow.get_or_load("late", [&] {
    // Our lock expires and someone else takes it while we are still loading.
    redis_cli({"SET", lock, "someone-else", "PX", "60000"});
    return std::int64_t{1};
  });
  EXPECT_EQ(value, 1);
  EXPECT_EQ(redis_cli({"GET", lock}), "someone-else");
}

TEST_F(CacheKind, HitInsideTheRefreshWindowIsReloadedByOneCaller) {
  keys.cache.fresh.set(1, 10);
  redis_cli({"PEXPIRE", keys.cache.fresh.key(1), "3000"});  // 3 s left of 1 min: inside the last 10%
  std::atomic<int> calls{0}, seen_old{0}, seen_new{0};
  run_together([&](int) {
    const std::int64_t v = keys.cache.fresh.get_or_load(1, [&] {
      ++calls;
      std::this_thread::sleep_for(milliseconds(100));
      return std::int64_t{11};
    });
    ++(v == 10 ? seen_old : seen_new);
  });
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(seen_old.load() + seen_new.load(), kThreads);
  EXPECT_GE(seen_old.load(), 1) << "callers that did not reload kept the current value";
  EXPECT_EQ(keys.cache.fresh.get(1), 11);
  EXPECT_GT(pttl(keys.cache.fresh.key(1)), 50'000) << "the reload wrote a full TTL";
}

TEST_F(CacheKind, HitOutsideTheRefreshWindowIsNotReloaded) {
  keys.cache.fresh.set(2, 10);
  int calls = 0;
  EXPECT_EQ(keys.cache.fresh.get_or_load(2, [&] { ++calls; return std::int64_t{11}; }), 10);
  EXPECT_EQ(calls, 0);
}

TEST_F(CacheKind, TagInvalidationRemovesEveryTaggedEntryOfBothKeysAndNothingElse) {
  for (std::int64_t user : {42, 43}) {
    keys.cache.profile.set(user, "name");
    keys.cache.item.set(user, "pen", ck::Item{"pen", 1});
    keys.cache.item.get_or_load(user, "cup", [] { return ck::Item{"cup", 2}; });
    keys.cache.plain.set(user, "untagged");
  }
  EXPECT_EQ(keys.cache.invalidate_user(42), 3);
  EXPECT_EQ(keys.cache.profile.get(42), std::nullopt);
  EXPECT_EQ(keys.cache.item.get(42, "pen"), std::nullopt);
  EXPECT_EQ(keys.cache.item.get(42, "cup"), std::nullopt);
  EXPECT_EQ(keys.cache.plain.get(42), "untagged");
  EXPECT_EQ(keys.cache.profile.get(43), "name");
  EXPECT_EQ(keys.cache.item.get(43, "pen"), (ck::Item{"pen", 1}));
  EXPECT_EQ(keys.cache.item.get(43, "cup"), (ck::Item{"cup", 2}));
  EXPECT_FALSE(exists("cache:_tag:user:42"));
  EXPECT_EQ(keys.cache.invalidate_user(42), 0);

  EXPECT_EQ(keys.cache.invalidate_items(), 2);
  EXPECT_EQ(keys.cache.item.get(43, "pen"), std::nullopt);
  EXPECT_EQ(keys.cache.profile.get(43), "name");
}

TEST_F(CacheKind, TagOverAStringParameterIsCheckedAndInvalidatesAcrossUsers) {
  keys.cache.item.set(1, "pen", ck::Item{"pen", 1});
  keys.cache.item.set(2, "pen", ck::Item{"pen", 2});
  keys.cache.item.set(2, "cup", ck::Item{"cup", 3});
  EXPECT_THROW(keys.cache.invalidate_sku("Not Valid"), keyspace::InvalidKey);
  EXPECT_EQ(keys.cache.invalidate_sku("pen"), 2);
  EXPECT_EQ(keys.cache.item.get(1, "pen"), std::nullopt);
  EXPECT_EQ(keys.cache.item.get(2, "cup"), (ck::Item{"cup", 3}));
}

TEST_F(CacheKind, TagInvalidationDeletesMoreEntriesThanOneBatch) {
  const int entries = static_cast<int>(keyspace::tags::kInvalidateBatch) * 2 + 7;
  for (int i = 0; i < entries; ++i) keys.cache.item.set(5, "s" + std::to_string(i), ck::Item{"x", i});
  EXPECT_EQ(keys.cache.invalidate_user(5), entries);
  EXPECT_EQ(keys.cache.item.get(5, "s0"), std::nullopt);
  EXPECT_FALSE(exists("cache:_tag:user:5"));
}

TEST_F(CacheKind, TagSetTtlIsAtLeastTheLongestMemberTtl) {
  keys.cache.profile.set(42, "name");                  // 1 h
  keys.cache.item.set(42, "pen", ck::Item{"pen", 1});  // 10 min, written later
  EXPECT_GE(expire_time("cache:_tag:user:42"), expire_time(keys.cache.profile.key(42)))
      << "a shorter member written later must not shorten the set";
  EXPECT_GE(expire_time("cache:_tag:items"), expire_time(keys.cache.item.key(42, "pen")));
  // A cluster files the entry before writing it, as other kinds' tagged writes do: the set gets
  // the filing margin on top (keyspace/kinds/tags.hpp).
  const long long margin = keyspace::test::testing_cluster() ? keyspace::tags::kFilingMargin.count() : 0;
  EXPECT_LE(pttl("cache:_tag:items"), 600'000 + margin);
  keys.cache.item.set(42, "cup", ck::Item{"cup", 1});  // a newer member extends the set
  EXPECT_GE(expire_time("cache:_tag:items"), expire_time(keys.cache.item.key(42, "cup")));
}

TEST_F(CacheKind, EveryWrittenKeyHasATtl) {
  std::atomic<long long> lock_ttl{-3};
  keys.cache.profile.set(1, "a");
  keys.cache.item.get_or_load(1, "pen", [&] {
    lock_ttl = pttl(keyspace::companion_key(client, keys.cache.item.key(1, "pen"), "_fill"));
    return ck::Item{"pen", 1};
  });
  keys.cache.fresh.get_or_load(1, [] { return std::int64_t{1}; });
  EXPECT_GT(lock_ttl.load(), 0);
  EXPECT_LE(lock_ttl.load(), 10'000);
  const std::string keys_list = redis_cli({"KEYS", "*"});
  std::size_t start = 0, count = 0;
  while (start < keys_list.size()) {
    std::size_t end = keys_list.find('\n', start);
    if (end == std::string::npos) end = keys_list.size();
    const std::string key = keys_list.substr(start, end - start);
    EXPECT_GT(pttl(key), 0) << key;
    ++count;
    start = end + 1;
  }
  EXPECT_EQ(count, 6u);  // profile, item, fresh, three tag sets
}

// A client of a server that is stopped before it is used.
class StoppedRedis : public ::testing::Test {
 protected:
  void SetUp() override {
    keyspace::Options o = server.options();
    o.observer = observer;
    o.connect_timeout = milliseconds(200);
    o.command_timeout = milliseconds(200);
    client = std::make_unique<keyspace::Client>(o);
    keys = std::make_unique<ck::Keyspace>(*client);
    server.stop();
  }
  keyspace::test::RedisServer server;
  std::shared_ptr<CountingObserver> observer = std::make_shared<CountingObserver>();
  std::unique_ptr<keyspace::Client> client;
  std::unique_ptr<ck::Keyspace> keys;
};

TEST_F(StoppedRedis, MissOnErrorTurnsFailuresIntoReportedMisses) {
  EXPECT_EQ(keys->cache.degraded.get(1), std::nullopt);
  int calls = 0;
  EXPECT_EQ(keys->cache.degraded.get_or_load(1, [&] { ++calls; return std::string("from db"); }), "from db");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(observer->degraded.load(), 2);
  EXPECT_EQ(observer->hits.load() + observer->misses.load(), 0);
}

TEST_F(StoppedRedis, ThrowOnErrorPropagatesConnectionErrors) {
  EXPECT_THROW(keys->cache.strict.get(1), keyspace::ConnectionError);
  int calls = 0;
  EXPECT_THROW(keys->cache.strict.get_or_load(1, [&] { ++calls; return std::string("x"); }), keyspace::ConnectionError);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(observer->degraded.load(), 0);
}

}  // namespace

namespace {

// --- stale-while-revalidate, XFetch and compare-and-set write-back ----------------------------

constexpr int kManyThreads = 32;

// A loader that counts its calls, checks that no two run at once and returns a new version each
// time.
struct VersionLoader {
  std::atomic<int>* calls;
  std::atomic<int>* running;
  std::atomic<int>* overlapping;
  std::atomic<std::int64_t>* version;
  milliseconds takes;
  std::int64_t operator()() const {
    ++*calls;
    if (running->fetch_add(1) > 0) ++*overlapping;
    std::this_thread::sleep_for(takes);
    --*running;
    return ++*version;
  }
};

class CacheRefresh : public CacheKind {
 protected:
  // kManyThreads callers of get_or_load(1) for `how_long`; each must see versions that never go
  // back.
  template <class Accessor>
  void hammer(const Accessor& accessor, milliseconds how_long, VersionLoader loader) {
    std::atomic<int> went_back{0};
    std::vector<std::thread> threads;
    const Clock::time_point end = Clock::now() + how_long;
    for (int i = 0; i < kManyThreads; ++i) {
      threads.emplace_back([&] {
        std::int64_t last = 0;
        while (Clock::now() < end) {
          const std::int64_t v = accessor.get_or_load(1, loader);
          if (v < last) ++went_back;
          last = v;
          std::this_thread::sleep_for(milliseconds(1));
        }
      });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(went_back.load(), 0);
  }

  static keyspace::Options wide(keyspace::Options o) {
    o.pool_size = kManyThreads;
    return o;
  }
  keyspace::Client wide_client{with_observer(wide(options()), observer)};
  ck::Keyspace wide_keys{wide_client};
  std::atomic<int> calls{0}, running{0}, overlapping{0};
  std::atomic<std::int64_t> version{0};
};

TEST_F(CacheRefresh, EntriesAreStoredForTheirTtlPlusTheStaleAllowance) {
  wide_keys.cache.stale.set(1, 7);
  const long long ms = pttl(wide_keys.cache.stale.key(1));
  EXPECT_GT(ms, 2500);
  EXPECT_LE(ms, 3000);
}

TEST_F(CacheRefresh, AnEntryPastItsTtlIsServedStaleWhileOneCallerReloads) {
  wide_keys.cache.stale.set(2, 10);
  redis_cli({"PEXPIRE", wide_keys.cache.stale.key(2), "1500"});  // 0.5 s past its 1 s TTL
  std::atomic<int> seen_stale{0}, seen_new{0};
  run_together([&](int) {
    const std::int64_t v = wide_keys.cache.stale.get_or_load(2, [&] {
      ++calls;
      std::this_thread::sleep_for(milliseconds(200));
      return std::int64_t{11};
    });
    ++(v == 10 ? seen_stale : seen_new);
  });
  EXPECT_EQ(calls.load(), 1);
  EXPECT_GE(seen_stale.load(), 1) << "callers other than the reloader get the stale value at once";
  EXPECT_EQ(seen_stale.load() + seen_new.load(), kThreads);
  EXPECT_EQ(observer->stale.load(), kThreads);
  EXPECT_EQ(observer->misses.load(), 0);
  EXPECT_EQ(wide_keys.cache.stale.get(2), 11);
  EXPECT_GT(pttl(wide_keys.cache.stale.key(2)), 2500) << "the reload wrote TTL + stale";
}

TEST_F(CacheRefresh, ThirtyTwoThreadsAcrossTheTtlNeverMissAndTheLoaderRunsOncePerRefresh) {
  const VersionLoader loader{&calls, &running, &overlapping, &version, milliseconds(50)};
  EXPECT_EQ(wide_keys.cache.stale.get_or_load(1, loader), 1);
  observer->misses = 0;
  hammer(wide_keys.cache.stale, milliseconds(2600), loader);
  EXPECT_EQ(observer->misses.load(), 0);
  EXPECT_GT(observer->stale.load(), 0);
  EXPECT_EQ(overlapping.load(), 0);
  // One reload at each soft expiry: after about 1 s, then 1.05 s later (the reload's own TTL).
  EXPECT_GE(calls.load(), 3);  // the first fill and two refreshes
  EXPECT_LE(calls.load(), 4);
}

TEST_F(CacheRefresh, XFetchReloadsBeforeTheTtlEndsSoNoCallerEverMisses) {
  const VersionLoader loader{&calls, &running, &overlapping, &version, milliseconds(100)};
  EXPECT_EQ(wide_keys.cache.xfetch.get_or_load(1, loader), 1);  // measures the load time
  observer->misses = 0;
  hammer(wide_keys.cache.xfetch, milliseconds(3000), loader);
  EXPECT_EQ(observer->misses.load(), 0) << "every refresh began while the entry was still there";
  EXPECT_EQ(observer->stale.load(), 0);
  EXPECT_EQ(overlapping.load(), 0);
  EXPECT_GE(calls.load(), 4);  // a refresh before each of the ~3 expiries
}

TEST_F(CacheRefresh, ASlowReloadNeverOverwritesANewerWrite) {
  wide_keys.cache.stale.set(5, 1);
  redis_cli({"PEXPIRE", wide_keys.cache.stale.key(5), "1500"});  // stale: the next get_or_load reloads
  std::int64_t reloaded = 0;
  std::thread reload([&] {
    reloaded = wide_keys.cache.stale.get_or_load(5, [] {
      std::this_thread::sleep_for(milliseconds(300));
      return std::int64_t{2};
    });
  });
  std::this_thread::sleep_for(milliseconds(100));
  wide_keys.cache.stale.set(5, 3);  // the newer write, while the reload runs
  reload.join();
  EXPECT_EQ(reloaded, 2);  // the reloader's caller gets what it loaded
  EXPECT_EQ(wide_keys.cache.stale.get(5), 3);
}

TEST_F(CacheRefresh, ALoadOfAMissingEntryKeepsAValueWrittenMeanwhile) {
  std::thread load([&] {
    wide_keys.cache.slow.get_or_load("meanwhile", [] {
      std::this_thread::sleep_for(milliseconds(300));
      return std::int64_t{1};
    });
  });
  std::this_thread::sleep_for(milliseconds(100));
  wide_keys.cache.slow.set("meanwhile", 5);
  load.join();
  EXPECT_EQ(wide_keys.cache.slow.get("meanwhile"), 5);
}

}  // namespace
