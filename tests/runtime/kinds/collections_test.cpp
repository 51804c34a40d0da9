// The collection kinds (hash, set, sorted_set, list, stream) against a real redis-server: every
// operation, the TTL after every write, reads that never create keys, capped lists and streams,
// and consumer groups.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "collections_kinds/keyspace.hpp"
#include "keyspace/detail/client_access.hpp"
#include "keyspace_test/shared_redis.hpp"

namespace {

namespace t = tests::collections_kinds;
namespace coll = keyspace::collections;
using namespace std::chrono_literals;
using keyspace::test::redis_cli;

constexpr std::int64_t kTtlMs = 600000;  // every key of collections.yaml but coll.forever: 10m
constexpr keyspace::KeySpec kRaw{"test.raw", "test:raw", std::chrono::milliseconds{0}};

class Collections : public keyspace::test::RedisTest {
 protected:
  std::int64_t pttl(const std::string& key) { return keyspace::detail::ClientAccess::execute(client, kRaw, "pttl", {"PTTL", key}).integer; }
  // The key exists with a TTL of about the schema's: set by the last write, never extended beyond it.
  void expect_schema_ttl(const std::string& key) {
    const std::int64_t ms = pttl(key);
    EXPECT_GT(ms, kTtlMs - 60000) << key;
    EXPECT_LE(ms, kTtlMs) << key;
  }
  std::int64_t db_size() { return keyspace::detail::ClientAccess::execute(client, kRaw, "dbsize", {"DBSIZE"}).integer; }
  void expire_soon(const std::string& key) { keyspace::detail::ClientAccess::execute(client, kRaw, "pexpire", {"PEXPIRE", key, "5000"}); }

  keyspace::Client client{options()};
  t::Keyspace keys{client};
};

t::Item item(std::string sku, std::int64_t quantity) { return t::Item{std::move(sku), quantity}; }

t::coll::Profile::Fields ada() {
  t::coll::Profile::Fields f;
  f.name = "Ada";
  f.email = "ada@example.com";
  f.visits = 3;
  f.plan = t::Plan::pro;
  f.balance = 12.5;
  f.last_item = item("book", 2);
  return f;
}

// ---- hash ------------------------------------------------------------------------------------

TEST_F(Collections, HashFieldsRoundTripAsOneStruct) {
  const auto& profile = keys.coll.profile;
  EXPECT_EQ(profile.get_all(7), std::nullopt);
  profile.set_all(7, ada());
  expect_schema_ttl(profile.key(7));
  EXPECT_EQ(profile.get_all(7), ada());
  EXPECT_EQ(redis_cli({"HGET", profile.key(7), "visits"}), "3");  // scalar fields stay readable
  EXPECT_TRUE(profile.exists(7));
  EXPECT_TRUE(profile.ttl(7).has_value());
  EXPECT_TRUE(profile.del(7));
  EXPECT_FALSE(profile.exists(7));
}

TEST_F(Collections, HashFieldAccessorsReadAndWriteOneFieldKeepingTheTtl) {
  const auto& profile = keys.coll.profile;
  EXPECT_EQ(profile.get_name(1), std::nullopt);
  profile.set_name(1, "Grace");
  expect_schema_ttl(profile.key(1));
  EXPECT_EQ(profile.get_name(1), "Grace");
  EXPECT_EQ(profile.incr_visits(1), 1);
  EXPECT_EQ(profile.incr_visits(1, 5), 6);
  expect_schema_ttl(profile.key(1));
  profile.set_plan(1, t::Plan::free);
  profile.set_balance(1, -0.25);
  profile.set_last_item(1, item("pen", 1));
  EXPECT_EQ(profile.get_plan(1), t::Plan::free);
  EXPECT_EQ(profile.get_balance(1), -0.25);
  EXPECT_EQ(profile.get_last_item(1), item("pen", 1));
  EXPECT_EQ(profile.get_visits(1), 6);
  expect_schema_ttl(profile.key(1));
}

TEST_F(Collections, HashWithoutARequiredFieldIsADecodeErrorNamingTheField) {
  keys.coll.profile.set_name(2, "Linus");
  try {
    keys.coll.profile.get_all(2);
    FAIL() << "expected DecodeError";
  } catch (const keyspace::DecodeError& e) {
    // email is optional: the first missing required field is visits.
    EXPECT_NE(std::string(e.what()).find("'visits'"), std::string::npos) << e.what();
    EXPECT_EQ(e.key_template(), "coll:profile:{user_id}");
  }
}

TEST_F(Collections, HashWriteRemovesAbsentOptionalFieldsInTheSameStep) {
  const std::string key = keys.coll.profile.key(3);
  keys.coll.profile.set_all(3, ada());
  const std::optional<std::string> no_email;
  coll::HashWrite write;
  write.field<keyspace::StringCodec>("name", "Ada L.").optional_field<keyspace::StringCodec>("email", no_email);
  coll::hash_write(client, t::coll::Profile::spec, key, write);
  expect_schema_ttl(key);
  EXPECT_EQ(redis_cli({"HEXISTS", key, "email"}), "0");
  const auto stored = coll::hash_get_all_raw(client, t::coll::Profile::spec, key);
  std::optional<std::string> email = "stale";
  std::string name;
  coll::HashRead read{stored, t::coll::Profile::spec};
  read.optional<keyspace::StringCodec>("email", email);
  read.required<keyspace::StringCodec>("name", name);
  EXPECT_EQ(email, std::nullopt);
  EXPECT_EQ(name, "Ada L.");
}

TEST_F(Collections, HashOptionalFieldAbsentFromTheStructIsRemovedBySetAll) {
  const auto& profile = keys.coll.profile;
  profile.set_all(4, ada());
  t::coll::Profile::Fields without_email = ada();
  without_email.email = std::nullopt;
  profile.set_all(4, without_email);
  EXPECT_EQ(redis_cli({"HEXISTS", profile.key(4), "email"}), "0");
  EXPECT_EQ(profile.get_all(4), without_email);
  EXPECT_EQ(profile.get_email(4), std::nullopt);
  expect_schema_ttl(profile.key(4));
}

TEST_F(Collections, HashMapFormGetsSetsAndErasesFields) {
  const auto& prices = keys.coll.prices;
  EXPECT_EQ(prices.get("north", "tea"), std::nullopt);
  prices.set("north", "tea", 2.5);
  prices.set("north", "coffee", 3.25);
  expect_schema_ttl(prices.key("north"));
  EXPECT_EQ(prices.get("north", "tea"), 2.5);
  EXPECT_EQ(prices.size("north"), 2);
  EXPECT_EQ(prices.get_all("north"), (std::map<std::string, double>{{"coffee", 3.25}, {"tea", 2.5}}));
  expire_soon(prices.key("north"));
  EXPECT_TRUE(prices.erase("north", "tea"));
  expect_schema_ttl(prices.key("north"));
  EXPECT_FALSE(prices.erase("north", "tea"));
  EXPECT_EQ(prices.size("north"), 1);
  EXPECT_TRUE(prices.del("north"));
  EXPECT_TRUE(prices.get_all("north").empty());
}

// ---- set -------------------------------------------------------------------------------------

TEST_F(Collections, SetAddsRemovesAndListsTypedMembers) {
  const auto& tags = keys.coll.tags;
  EXPECT_TRUE(tags.add(5, "red"));
  EXPECT_FALSE(tags.add(5, "red"));
  expect_schema_ttl(tags.key(5));
  EXPECT_EQ(tags.add_many(5, {"red", "green", "blue"}), 2);
  EXPECT_EQ(tags.add_many(5, {}), 0);
  EXPECT_TRUE(tags.contains(5, "green"));
  EXPECT_FALSE(tags.contains(5, "pink"));
  std::vector<std::string> members = tags.members(5);
  std::sort(members.begin(), members.end());
  EXPECT_EQ(members, (std::vector<std::string>{"blue", "green", "red"}));
  EXPECT_EQ(tags.size(5), 3);
  expire_soon(tags.key(5));
  EXPECT_TRUE(tags.remove(5, "green"));
  expect_schema_ttl(tags.key(5));
  EXPECT_FALSE(tags.remove(5, "green"));
  EXPECT_EQ(tags.size(5), 2);
  EXPECT_TRUE(tags.del(5));
  EXPECT_EQ(tags.size(5), 0);
}

TEST_F(Collections, AddManyBeyondLuasUnpackLimitAddsEveryMemberAtomically) {
  std::vector<std::string> many;
  for (int i = 0; i < 10000; ++i) many.push_back("m" + std::to_string(i));
  EXPECT_EQ(keys.coll.tags.add_many(9, many), 10000);
  EXPECT_EQ(keys.coll.tags.size(9), 10000);
  expect_schema_ttl(keys.coll.tags.key(9));
}

TEST_F(Collections, SetOfStructsUsesTheKeysCodecAsStableMemberBytes) {
  const auto& carts = keys.coll.carts;
  EXPECT_TRUE(carts.add(1, item("book", 2)));
  EXPECT_FALSE(carts.add(1, item("book", 2)));  // same value, same bytes
  EXPECT_TRUE(carts.contains(1, item("book", 2)));
  EXPECT_FALSE(carts.contains(1, item("book", 3)));
  EXPECT_EQ(carts.members(1), std::vector<t::Item>{item("book", 2)});
  expect_schema_ttl(carts.key(1));
}

TEST_F(Collections, PersistentCollectionsAreWrittenWithoutExpiry) {
  EXPECT_TRUE(keys.coll.forever.add(42));
  EXPECT_EQ(pttl(keys.coll.forever.key()), -1);
  EXPECT_EQ(keys.coll.forever.members(), std::vector<std::int64_t>{42});
}

// ---- sorted set ------------------------------------------------------------------------------

TEST_F(Collections, SortedSetKeepsScoresRanksAndRanges) {
  const auto& scores = keys.coll.scores;
  using M = t::coll::Scores::scored_member;
  EXPECT_TRUE(scores.add("b1", "ann", 10));
  EXPECT_FALSE(scores.add("b1", "ann", 15));
  expect_schema_ttl(scores.key("b1"));
  EXPECT_TRUE(scores.add("b1", "bob", 20));
  EXPECT_TRUE(scores.add("b1", "cat", -std::numeric_limits<double>::infinity()));
  expire_soon(scores.key("b1"));
  EXPECT_EQ(scores.incr("b1", "ann", 0.5), 15.5);
  expect_schema_ttl(scores.key("b1"));
  EXPECT_EQ(scores.incr("b1", "dan"), 1);
  EXPECT_EQ(scores.score("b1", "bob"), 20);
  EXPECT_EQ(scores.score("b1", "nobody"), std::nullopt);
  EXPECT_EQ(scores.rank("b1", "bob"), 3);
  EXPECT_EQ(scores.rank("b1", "nobody"), std::nullopt);
  const double neg_inf = -std::numeric_limits<double>::infinity();
  EXPECT_EQ(scores.range("b1"), (std::vector<M>{{"cat", neg_inf}, {"dan", 1}, {"ann", 15.5}, {"bob", 20}}));
  EXPECT_EQ(scores.range("b1", -2, -1), (std::vector<M>{{"ann", 15.5}, {"bob", 20}}));
  EXPECT_EQ(scores.range_by_score("b1", 1, 16), (std::vector<M>{{"dan", 1}, {"ann", 15.5}}));
  EXPECT_EQ(scores.range_by_score("b1", neg_inf, std::numeric_limits<double>::infinity(), 2),
            (std::vector<M>{{"cat", neg_inf}, {"dan", 1}}));
  EXPECT_TRUE(scores.range_by_score("b1", 0, 100, 0).empty());
  EXPECT_TRUE(scores.remove("b1", "cat"));
  EXPECT_FALSE(scores.remove("b1", "cat"));
  EXPECT_EQ(scores.size("b1"), 3);
  expect_schema_ttl(scores.key("b1"));
  EXPECT_TRUE(scores.del("b1"));
}

// ---- list ------------------------------------------------------------------------------------

TEST_F(Collections, CappedListKeepsTheNewestElementsAtTheEndPushedTo) {
  const auto& recent = keys.coll.recent;
  for (int i = 1; i <= 5; ++i) EXPECT_EQ(recent.push_back(1, item("s" + std::to_string(i), i)), std::min(i, 3));
  expect_schema_ttl(recent.key(1));
  EXPECT_EQ(recent.range(1), (std::vector<t::Item>{item("s3", 3), item("s4", 4), item("s5", 5)}));
  EXPECT_EQ(recent.push_front(1, item("s0", 0)), 3);  // the newest is now at the front
  EXPECT_EQ(recent.range(1), (std::vector<t::Item>{item("s0", 0), item("s3", 3), item("s4", 4)}));
  EXPECT_EQ(recent.size(1), 3);
  expect_schema_ttl(recent.key(1));
}

TEST_F(Collections, ListPopsFromBothEndsKeepingTheTtl) {
  const auto& jobs = keys.coll.jobs;
  EXPECT_EQ(jobs.push_back("b"), 1);
  EXPECT_EQ(jobs.push_back("c"), 2);
  EXPECT_EQ(jobs.push_front("a"), 3);
  EXPECT_EQ(jobs.range(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(jobs.range(1, 1), std::vector<std::string>{"b"});
  expire_soon(jobs.key());
  EXPECT_EQ(jobs.pop_front(), "a");
  expect_schema_ttl(jobs.key());
  EXPECT_EQ(jobs.pop_back(), "c");
  EXPECT_EQ(jobs.size(), 1);
  EXPECT_EQ(jobs.pop_back(), "b");
  EXPECT_EQ(jobs.pop_front(), std::nullopt);
  EXPECT_FALSE(jobs.exists());
}

// ---- stream ----------------------------------------------------------------------------------

TEST_F(Collections, StreamEntriesAreReadInOrderAfterAnId) {
  const auto& events = keys.coll.events;
  const std::string first = events.add("orders", item("a", 1));
  expect_schema_ttl(events.key("orders"));
  events.add("orders", item("b", 2));
  expire_soon(events.key("orders"));
  events.add("orders", item("c", 3));
  expect_schema_ttl(events.key("orders"));
  const auto all = events.read("orders");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, first);
  EXPECT_EQ(all[2].value, item("c", 3));
  const auto after_first = events.read("orders", first, 1);
  ASSERT_EQ(after_first.size(), 1u);
  EXPECT_EQ(after_first[0].value, item("b", 2));
  EXPECT_TRUE(events.read("orders", all[2].id).empty());
  EXPECT_EQ(events.size("orders"), 3);
  // The encoded value is the entry's one field, `v`.
  EXPECT_NE(redis_cli({"XRANGE", events.key("orders"), "-", "+", "COUNT", "1"}).find("\nv\n"), std::string::npos);
  EXPECT_TRUE(events.del("orders"));
}

TEST_F(Collections, CappedStreamIsTrimmedApproximatelyToMaxLength) {
  // MAXLEN ~ trims whole radix-tree nodes (at most 100 entries each by default): the stream keeps
  // at least max_length entries and less than max_length + 100.
  const auto& capped = keys.coll.capped_events;
  for (int i = 0; i < 400; ++i) capped.add(i);
  const std::int64_t length = capped.size();
  EXPECT_GE(length, 50);
  EXPECT_LT(length, 150);
  const auto newest = capped.read("0", 1000);
  ASSERT_FALSE(newest.empty());
  EXPECT_EQ(newest.back().value, 399);
  expect_schema_ttl(capped.key());
}

TEST_F(Collections, ConsumerGroupSplitsEntriesAndAckClearsPending) {
  const auto& events = keys.coll.events;
  EXPECT_TRUE(events.create_group("jobs", "workers", "0"));
  expect_schema_ttl(events.key("jobs"));  // MKSTREAM created the stream with its TTL
  EXPECT_FALSE(events.create_group("jobs", "workers"));
  for (int i = 0; i < 4; ++i) events.add("jobs", item("j" + std::to_string(i), i));
  const auto first = events.read_group("jobs", "workers", "c1", 2);
  const auto second = events.read_group("jobs", "workers", "c2", 10);
  ASSERT_EQ(first.size(), 2u);
  ASSERT_EQ(second.size(), 2u);
  std::set<std::string> ids;
  for (const auto& e : first) ids.insert(e.id);
  for (const auto& e : second) ids.insert(e.id);
  EXPECT_EQ(ids.size(), 4u);  // every entry delivered to exactly one consumer
  EXPECT_TRUE(events.read_group("jobs", "workers", "c1", 10).empty());
  const std::string key = events.key("jobs");
  EXPECT_EQ(redis_cli({"XPENDING", key, "workers"}).substr(0, 2), "4\n");
  EXPECT_EQ(events.ack("jobs", "workers", std::vector<std::string>{first[0].id, first[1].id}), 2);
  EXPECT_EQ(events.ack("jobs", "workers", first[0].id), 0);
  EXPECT_EQ(redis_cli({"XPENDING", key, "workers"}).substr(0, 2), "2\n");
  EXPECT_EQ(events.ack("jobs", "workers", second[0].id), 1);
  EXPECT_EQ(events.ack("jobs", "workers", second[1].id), 1);
  EXPECT_EQ(redis_cli({"XPENDING", key, "workers"}).substr(0, 2), "0\n");
  expect_schema_ttl(key);
}

TEST_F(Collections, ReadGroupBlocksUntilAnEntryArrivesOrTheWaitEnds) {
  const auto& events = keys.coll.events;
  ASSERT_TRUE(events.create_group("live", "g"));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(events.read_group("live", "g", "c", 1, 200ms).empty());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  std::thread producer([&] {
    std::this_thread::sleep_for(100ms);
    keyspace::Client other{options()};
    t::Keyspace(other).coll.events.add("live", item("late", 1));
  });
  const auto got = events.read_group("live", "g", "c", 1, 5000ms);
  producer.join();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].value, item("late", 1));
}

TEST_F(Collections, EmptyGroupOrConsumerNamesAreRejectedBeforeAnyCommand) {
  const auto& events = keys.coll.events;
  EXPECT_THROW(events.create_group("x", ""), keyspace::InvalidKey);
  EXPECT_THROW(events.read_group("x", "g", ""), keyspace::InvalidKey);
  EXPECT_THROW(events.ack("x", "", "1-1"), keyspace::InvalidKey);
  EXPECT_EQ(db_size(), 0);
}

// ---- every kind ------------------------------------------------------------------------------

TEST_F(Collections, ReadsNeverCreateKeys) {
  EXPECT_EQ(keys.coll.profile.get_name(1), std::nullopt);
  EXPECT_EQ(keys.coll.profile.get_all(1), std::nullopt);
  EXPECT_TRUE(keys.coll.prices.get_all("s").empty());
  EXPECT_EQ(keys.coll.prices.size("s"), 0);
  EXPECT_FALSE(keys.coll.tags.contains(1, "x"));
  EXPECT_TRUE(keys.coll.tags.members(1).empty());
  EXPECT_EQ(keys.coll.scores.score("b", "x"), std::nullopt);
  EXPECT_TRUE(keys.coll.scores.range("b").empty());
  EXPECT_TRUE(keys.coll.scores.range_by_score("b", 0, 1).empty());
  EXPECT_TRUE(keys.coll.jobs.range().empty());
  EXPECT_EQ(keys.coll.jobs.pop_front(), std::nullopt);
  EXPECT_TRUE(keys.coll.events.read("e").empty());
  EXPECT_EQ(keys.coll.events.size("e"), 0);
  EXPECT_FALSE(keys.coll.events.ttl("e").has_value());
  EXPECT_EQ(db_size(), 0);
}

TEST_F(Collections, WritesToAKeyOfAnotherTypeAreCommandErrorsAndLeaveItAlone) {
  redis_cli({"SET", keys.coll.tags.key(1), "plain"});
  redis_cli({"SET", keys.coll.events.key("e"), "plain"});
  EXPECT_THROW(keys.coll.tags.add(1, "x"), keyspace::CommandError);
  EXPECT_THROW(keys.coll.events.create_group("e", "g"), keyspace::CommandError);
  EXPECT_EQ(redis_cli({"GET", keys.coll.tags.key(1)}), "plain");
  EXPECT_EQ(pttl(keys.coll.tags.key(1)), -1);  // the failed script stopped before its PEXPIRE
  EXPECT_EQ(pttl(keys.coll.events.key("e")), -1);
}

// --- hyperloglog -------------------------------------------------------------------------------

TEST_F(Collections, HyperloglogCountsDistinctMembersAndKeepsItsTtl) {
  EXPECT_EQ(keys.coll.visitors.count("home", "2026-12-07"), 0);
  EXPECT_TRUE(keys.coll.visitors.add("home", "2026-12-07", 42));
  EXPECT_FALSE(keys.coll.visitors.add("home", "2026-12-07", 42));  // seen already
  std::vector<std::int64_t> many;
  for (std::int64_t id = 0; id < 10000; ++id) many.push_back(id);
  EXPECT_TRUE(keys.coll.visitors.add_many("home", "2026-12-07", many));
  EXPECT_FALSE(keys.coll.visitors.add_many("home", "2026-12-07", {}));
  const std::int64_t count = keys.coll.visitors.count("home", "2026-12-07");
  EXPECT_NEAR(static_cast<double>(count), 10000.0, 10000 * 0.03);  // 0.81% standard error
  expect_schema_ttl(keys.coll.visitors.key("home", "2026-12-07"));
  EXPECT_EQ(keys.coll.visitors.key("home", "2026-12-07"), "coll:visitors:{home}:2026-12-07");
}

TEST_F(Collections, HyperloglogMergeAndUnionCountAcrossKeysOfOneSlot) {
  std::vector<std::int64_t> monday, tuesday;
  for (std::int64_t id = 0; id < 1000; ++id) monday.push_back(id);
  for (std::int64_t id = 500; id < 1500; ++id) tuesday.push_back(id);
  keys.coll.visitors.add_many("home", "mon", monday);
  keys.coll.visitors.add_many("home", "tue", tuesday);
  const std::int64_t union_count = keys.coll.visitors.count_union({{"home", "mon"}, {"home", "tue"}});
  EXPECT_NEAR(static_cast<double>(union_count), 1500.0, 1500 * 0.03);
  EXPECT_EQ(keys.coll.visitors.count_union({}), 0);
  keys.coll.visitors.merge("home", "week", {{"home", "mon"}, {"home", "tue"}});
  EXPECT_EQ(keys.coll.visitors.count("home", "week"), union_count);
  expect_schema_ttl(keys.coll.visitors.key("home", "week"));
  // Another page's key has another hash tag: another cluster slot, refused before sending.
  EXPECT_THROW(keys.coll.visitors.merge("home", "week", {{"about", "mon"}}), keyspace::PolicyError);
  keys.coll.all_visitors.add("mon", "ada");
  keys.coll.all_visitors.add("tue", "bob");
  // Without a hash tag, merges of any keys of the template work on a standalone server; in a
  // cluster the days hash to different slots, refused before sending.
  if (keyspace::test::testing_cluster()) {
    EXPECT_THROW(keys.coll.all_visitors.merge("week", {{"mon"}, {"tue"}}), keyspace::PolicyError);
  } else {
    keys.coll.all_visitors.merge("week", {{"mon"}, {"tue"}});
    EXPECT_EQ(keys.coll.all_visitors.count("week"), 2);
  }
}

TEST_F(Collections, HyperloglogReadsOfAnotherTypeAreTypedErrors) {
  redis_cli({"SET", keys.coll.all_visitors.key("x"), "not a hyperloglog"});
  EXPECT_THROW(keys.coll.all_visitors.count("x"), keyspace::CommandError);
  EXPECT_THROW(keys.coll.all_visitors.add("x", "ada"), keyspace::CommandError);
}

// --- presence ----------------------------------------------------------------------------------

TEST_F(Collections, PresenceMembersExpireOneByOneAndTheKeyFollowsTheNewest) {
  EXPECT_EQ(keys.coll.online.count("lobby"), 0);
  EXPECT_TRUE(keys.coll.online.present("lobby").empty());
  EXPECT_EQ(db_size(), 0);  // reads create nothing
  EXPECT_TRUE(keys.coll.online.mark("lobby", 1));
  EXPECT_FALSE(keys.coll.online.mark("lobby", 1));  // present already: its time is renewed
  std::this_thread::sleep_for(1200ms);
  EXPECT_TRUE(keys.coll.online.mark("lobby", 2));
  EXPECT_GT(pttl(keys.coll.online.key("lobby")), 1000);  // the newest member's 2 s
  EXPECT_EQ(keys.coll.online.count("lobby"), 2);
  std::this_thread::sleep_for(1000ms);                   // member 1's 2 s are over, not 2's
  EXPECT_FALSE(keys.coll.online.is_present("lobby", 1));
  EXPECT_TRUE(keys.coll.online.is_present("lobby", 2));
  EXPECT_EQ(keys.coll.online.present("lobby"), std::vector<std::int64_t>{2});
  EXPECT_EQ(keys.coll.online.count("lobby"), 1);
  std::this_thread::sleep_for(1200ms);
  EXPECT_EQ(keys.coll.online.count("lobby"), 0);
  EXPECT_EQ(db_size(), 0);  // the key expired with its last member
}

TEST_F(Collections, PresenceLeaveRemovesAMemberAndKeepsTheOthersTtl) {
  keys.coll.online.mark("room", 1);
  keys.coll.online.mark("room", 2);
  EXPECT_TRUE(keys.coll.online.leave("room", 1));
  EXPECT_FALSE(keys.coll.online.leave("room", 1));
  EXPECT_EQ(keys.coll.online.present("room"), std::vector<std::int64_t>{2});
  const std::int64_t ttl = pttl(keys.coll.online.key("room"));
  EXPECT_GT(ttl, 1500);
  EXPECT_LE(ttl, 2000);
  EXPECT_TRUE(keys.coll.online.leave("room", 2));
  EXPECT_EQ(db_size(), 0);  // ZREM of the last member removes the key
}

// --- geo ---------------------------------------------------------------------------------------

using keyspace::geo::Position;
using keyspace::geo::Unit;
using Nearby = t::coll::Nearby;

constexpr Position kGate{13.377704, 52.516275};   // member 1
constexpr Position kAlex{13.412, 52.5219};        // member 2, about 2.4 km east of 1
constexpr Position kPotsdam{13.0645, 52.3906};    // member 3, about 26 km south-west
constexpr Position kHamburg{9.9937, 53.5511};     // member 4, about 255 km north-west

class Geo : public Collections {
 protected:
  void add_all() {
    keys.coll.nearby.add("berlin", 1, kGate);
    keys.coll.nearby.add("berlin", 2, kAlex);
    keys.coll.nearby.add("berlin", 3, kPotsdam);
    keys.coll.nearby.add("berlin", 4, kHamburg);
  }
  static std::vector<std::int64_t> members(const std::vector<Nearby::match>& matches) {
    std::vector<std::int64_t> out;
    for (const Nearby::match& m : matches) out.push_back(m.member);
    return out;
  }
};

TEST_F(Geo, SearchFindsTheMembersWithinARadiusNearestFirst) {
  add_all();
  const std::string key = keys.coll.nearby.key("berlin");
  expect_schema_ttl(key);
  EXPECT_EQ(members(keys.coll.nearby.search("berlin", Nearby::query::around_member(1).within_radius(5, Unit::km))),
            (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(members(keys.coll.nearby.search("berlin", Nearby::query::around(kGate).within_radius(30, Unit::km))),
            (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(members(keys.coll.nearby.search(
                "berlin", Nearby::query::around(kGate).within_radius(300, Unit::km).farthest_first())),
            (std::vector<std::int64_t>{4, 3, 2, 1}));
  EXPECT_EQ(members(keys.coll.nearby.search("berlin",
                                            Nearby::query::around(kPotsdam).within_radius(300, Unit::km).nearest(2))),
            (std::vector<std::int64_t>{3, 1}));
  EXPECT_EQ(keys.coll.nearby.search("berlin", Nearby::query::around(kGate).within_radius(300, Unit::km).first_found(2))
                .size(),
            2u);
  // A 10 km square around the gate holds it and Alexanderplatz, not Potsdam.
  EXPECT_EQ(members(keys.coll.nearby.search("berlin", Nearby::query::around(kGate).within_box(10, 10, Unit::km))),
            (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(keys.coll.nearby.size("berlin"), 4);
}

TEST_F(Geo, DistancesAndPositionsComeOnlyWhenAsked) {
  add_all();
  const auto plain = keys.coll.nearby.search("berlin", Nearby::query::around_member(1).within_radius(5, Unit::km));
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_FALSE(plain[1].distance.has_value());
  EXPECT_FALSE(plain[1].position.has_value());
  const auto full = keys.coll.nearby.search(
      "berlin", Nearby::query::around_member(1).within_radius(5, Unit::km).with_distance().with_position());
  ASSERT_EQ(full.size(), 2u);
  EXPECT_EQ(full[0].member, 1);
  EXPECT_NEAR(*full[0].distance, 0.0, 1e-3);
  EXPECT_NEAR(*full[1].distance, 2.4, 0.1);  // in the query's unit
  EXPECT_NEAR(full[1].position->longitude, kAlex.longitude, 1e-5);  // the geohash keeps ~0.6 m
  EXPECT_NEAR(full[1].position->latitude, kAlex.latitude, 1e-5);
  const auto in_miles = keys.coll.nearby.search(
      "berlin", Nearby::query::around_member(1).within_radius(3, Unit::mi).with_distance());
  ASSERT_EQ(in_miles.size(), 2u);
  EXPECT_NEAR(*in_miles[1].distance, 1.5, 0.07);
  EXPECT_FALSE(in_miles[1].position.has_value());

  EXPECT_NEAR(*keys.coll.nearby.distance("berlin", 1, 2, Unit::km), 2.4, 0.1);
  EXPECT_NEAR(*keys.coll.nearby.distance("berlin", 1, 2), 2400, 100);  // metres by default
  EXPECT_NEAR(*keys.coll.nearby.distance("berlin", 1, 4, Unit::mi), 158, 5);
  EXPECT_FALSE(keys.coll.nearby.distance("berlin", 1, 99).has_value());
  EXPECT_NEAR(keys.coll.nearby.position("berlin", 3)->latitude, kPotsdam.latitude, 1e-5);
  EXPECT_FALSE(keys.coll.nearby.position("berlin", 99).has_value());
}

TEST_F(Geo, CoordinatesOutsideTheIndexableRangeAreRefusedBeforeSending) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (const Position bad : {Position{180.5, 0}, Position{-181, 0}, Position{0, 85.1}, Position{0, -90},
                             Position{nan, 0}, Position{0, inf}}) {
    EXPECT_THROW(keys.coll.nearby.add("berlin", 1, bad), keyspace::InvalidArgument);
    EXPECT_THROW(keys.coll.nearby.search("berlin", Nearby::query::around(bad).within_radius(1, Unit::km)),
                 keyspace::InvalidArgument);
  }
  for (const double extent : {0.0, -1.0, nan, inf}) {
    EXPECT_THROW(keys.coll.nearby.search("berlin", Nearby::query::around(kGate).within_radius(extent, Unit::m)),
                 keyspace::InvalidArgument);
    EXPECT_THROW(keys.coll.nearby.search("berlin", Nearby::query::around(kGate).within_box(extent, 1, Unit::m)),
                 keyspace::InvalidArgument);
  }
  try {
    keys.coll.nearby.add("berlin", 1, {200, 0});
    FAIL();
  } catch (const keyspace::InvalidArgument& e) {
    EXPECT_EQ(e.key_template(), "coll:nearby:{region}");
    EXPECT_NE(std::string(e.what()).find("longitude 200"), std::string::npos) << e.what();
  }
  EXPECT_EQ(db_size(), 0);
  // The edges themselves are stored.
  EXPECT_TRUE(keys.coll.nearby.add("berlin", 1, {180, 85.05112878}));
  EXPECT_TRUE(keys.coll.nearby.add("berlin", 2, {-180, -85.05112878}));
}

TEST_F(Geo, RemovingTheLastMemberRemovesTheKeyAndReadsCreateNothing) {
  EXPECT_TRUE(keys.coll.nearby.search("berlin", Nearby::query::around(kGate).within_radius(1, Unit::km)).empty());
  EXPECT_EQ(keys.coll.nearby.size("berlin"), 0);
  EXPECT_EQ(db_size(), 0);
  EXPECT_TRUE(keys.coll.nearby.add("berlin", 1, kGate));
  EXPECT_FALSE(keys.coll.nearby.add("berlin", 1, kAlex));  // moved, not new
  EXPECT_NEAR(keys.coll.nearby.position("berlin", 1)->longitude, kAlex.longitude, 1e-5);
  EXPECT_FALSE(keys.coll.nearby.remove("berlin", 2));
  EXPECT_TRUE(keys.coll.nearby.remove("berlin", 1));
  EXPECT_EQ(db_size(), 0);
}

TEST_F(Geo, SearchAroundAMemberTheKeyLacksIsACommandError) {
  keys.coll.nearby.add("berlin", 1, kGate);
  EXPECT_THROW(keys.coll.nearby.search("berlin", Nearby::query::around_member(99).within_radius(1, Unit::km)),
               keyspace::CommandError);
  redis_cli({"SET", keys.coll.nearby.key("paris"), "not a geo set"});
  EXPECT_THROW(keys.coll.nearby.size("paris"), keyspace::CommandError);
  EXPECT_THROW(keys.coll.nearby.add("paris", 1, kGate), keyspace::CommandError);
}

}  // namespace
