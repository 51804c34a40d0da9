// Tags on every kind that holds data (tags.yaml) against a real redis-server: one invalidation
// deletes one user's keys of every kind and nobody else's, tag sets outlive their members (and
// are persistent for a persistent member), pruning drops members that no longer exist, and
// invalidation sends neither KEYS nor SCAN.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace_test/shared_redis.hpp"
#include "tag_kinds/keyspace.hpp"

namespace {

namespace t = tests::tag_kinds;
using namespace std::chrono_literals;

constexpr keyspace::KeySpec kRaw{"test.raw", "test:raw", std::chrono::milliseconds{0}};

class Tags : public keyspace::test::RedisTest {
 protected:
  keyspace::Reply raw(std::vector<std::string_view> args) {
    return keyspace::detail::ClientAccess::execute(client, kRaw, "raw", args);
  }
  std::int64_t pttl(const std::string& key) { return raw({"PTTL", key}).integer; }
  std::int64_t members(const std::string& tag_set) { return raw({"SCARD", tag_set}).integer; }
  bool exists(const std::string& key) { return raw({"EXISTS", key}).integer == 1; }

  // One key of every tagged kind for `user`; returns them (the session and its index included).
  std::vector<std::string> write_all(std::int64_t user) {
    keys.acct.profile.set(user, "Ada");
    keys.acct.prefs.set(user, "theme", "dark");
    keys.acct.follows.add(user, 7);
    keys.acct.scores.add(user, "chess", 1200);
    keys.acct.feed.push_back(user, "hello");
    keys.acct.events.add(user, "signed-in");
    const std::string sid = keys.acct.session.create(user, "browser");
    keys.acct.avatar.set(user, "png");
    return {keys.acct.profile.key(user), keys.acct.prefs.key(user),    keys.acct.follows.key(user),
            keys.acct.scores.key(user),  keys.acct.feed.key(user),     keys.acct.events.key(user),
            keys.acct.session.key(user, sid), keys.acct.session.index_key(user), keys.acct.avatar.key(user)};
  }

  keyspace::Client client{options()};
  t::Keyspace keys{client};
};

TEST_F(Tags, InvalidatingAUserDeletesTheirKeysOfEveryKindAndNoOneElses) {
  const std::vector<std::string> ada = write_all(42);
  const std::vector<std::string> bob = write_all(43);
  for (const std::string& key : ada) ASSERT_TRUE(exists(key)) << key;

  EXPECT_EQ(keys.acct.invalidate_user(42), static_cast<std::int64_t>(ada.size()));

  for (const std::string& key : ada) EXPECT_FALSE(exists(key)) << key;
  for (const std::string& key : bob) EXPECT_TRUE(exists(key)) << key;
  EXPECT_FALSE(exists(keys.acct.profile.tag_keys(42).front()));  // the emptied tag set is gone
  EXPECT_EQ(keys.acct.invalidate_user(42), 0);
}

TEST_F(Tags, EveryWriteFilesTheKeyUnderAllItsTags) {
  keys.acct.profile.set(1, "a");
  keys.acct.profile.set(2, "b");
  const std::vector<std::string> sets = keys.acct.profile.tag_keys(1);
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0], "acct:_tag:user:1");
  EXPECT_EQ(sets[1], "acct:_tag:everyone");
  EXPECT_EQ(members("acct:_tag:everyone"), 2);
  EXPECT_EQ(keys.acct.invalidate_everyone(), 2);
  EXPECT_FALSE(keys.acct.profile.exists(1));
  EXPECT_FALSE(keys.acct.profile.exists(2));
}

TEST_F(Tags, ATagSetOutlivesEachOfItsMembers) {
  const std::vector<std::string> written = write_all(42);
  const std::string tag_set = keys.acct.profile.tag_keys(42).front();
  const std::int64_t set_ttl = pttl(tag_set);
  for (const std::string& key : written) EXPECT_GE(set_ttl, pttl(key)) << key;
  // The longest member's TTL (the session's 3h), plus the filing margin; never more.
  EXPECT_LE(set_ttl, (3h + keyspace::tags::kFilingMargin).count());
  // A shorter-lived write never shortens the set's TTL.
  keys.acct.prefs.set(42, "lang", "en");
  EXPECT_GE(pttl(tag_set), set_ttl - 1000);
  // A TTL override files the key with that TTL.
  keys.acct.profile.set(7, "x", std::chrono::milliseconds{5000});
  EXPECT_LE(pttl("acct:_tag:user:7"), (5s + keyspace::tags::kFilingMargin).count());
  EXPECT_GE(pttl("acct:_tag:user:7"), pttl(keys.acct.profile.key(7)));
}

TEST_F(Tags, APersistentMemberKeepsItsTagSetPersistent) {
  keys.acct.pinned.set(42, "note");
  EXPECT_EQ(pttl("acct:_tag:pinned:42"), -1);
  keys.acct.pinned.set(42, "note", std::chrono::milliseconds{5000});  // a volatile write of the same tag
  EXPECT_EQ(pttl("acct:_tag:pinned:42"), -1);
  EXPECT_EQ(keys.acct.invalidate_pinned(42), 1);
}

TEST_F(Tags, PruningDropsMembersThatExpiredOrWereDeleted) {
  for (std::int64_t user = 0; user < 30; ++user) keys.acct.profile.set(user, "short", std::chrono::milliseconds{1000});
  keys.acct.profile.set(100, "kept");
  keys.acct.follows.add(100, 1);
  keys.acct.follows.del(100);
  ASSERT_EQ(members("acct:_tag:everyone"), 31);
  std::this_thread::sleep_for(1300ms);  // the 30 short-lived ones expire

  std::int64_t removed = 0;
  for (int round = 0; round < 20 && members("acct:_tag:everyone") > 1; ++round) {
    removed += keyspace::tags::prune(client, keys.acct.profile.spec, "acct:_tag:everyone", {}, 0ms);
  }
  EXPECT_EQ(removed, 30);
  EXPECT_EQ(members("acct:_tag:everyone"), 1);
  EXPECT_EQ(keyspace::tags::prune(client, keys.acct.profile.spec, "acct:_tag:user:100", {}, 0ms), 1);  // the deleted set
  EXPECT_EQ(members("acct:_tag:user:100"), 1);
  EXPECT_TRUE(keys.acct.profile.exists(100));
}

TEST_F(Tags, AMemberFiledButNotYetWrittenIsNotPrunedOnFirstSight) {
  // Another process filed the key and is about to write it: it is missing, but only briefly.
  keyspace::tags::file(client, keys.acct.profile.spec, {keys.acct.profile.key(7)}, std::chrono::milliseconds{60000},
                       {"acct:_tag:everyone"});
  EXPECT_EQ(keyspace::tags::prune(client, keys.acct.profile.spec, "acct:_tag:everyone"), 0);
  EXPECT_EQ(members("acct:_tag:everyone"), 1);
  // Still missing after the confirmation time: it was deleted, not about to be written.
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(keyspace::tags::prune(client, keys.acct.profile.spec, "acct:_tag:everyone", {}, 200ms), 1);
  EXPECT_EQ(members("acct:_tag:everyone"), 0);
}

TEST_F(Tags, WritesPruneTheirTagSetsOnASampleOfFilings) {
  for (std::int64_t user = 0; user < 40; ++user) keys.acct.profile.set(user, "short", std::chrono::milliseconds{1000});
  std::this_thread::sleep_for(1300ms);
  const std::int64_t before = members("acct:_tag:everyone");
  ASSERT_EQ(before, 40);
  // Every kPruneEvery-th filing of the process prunes the sets it filed to: the first pass finds
  // the expired members missing, a pass kFilingMargin later removes them.
  for (std::uint64_t i = 0; i < keyspace::tags::kPruneEvery; ++i) keys.acct.profile.set(1000, "kept");
  EXPECT_EQ(members("acct:_tag:everyone"), before + 1);
  std::this_thread::sleep_for(keyspace::tags::kFilingMargin + 100ms);
  for (std::uint64_t i = 0; i < keyspace::tags::kPruneEvery; ++i) keys.acct.profile.set(1000, "kept");
  EXPECT_LT(members("acct:_tag:everyone"), before + 1);
  EXPECT_TRUE(keys.acct.profile.exists(1000));
}

TEST_F(Tags, InvalidationSendsNeitherKeysNorScan) {
  for (std::int64_t user = 0; user < 3; ++user) write_all(user);
  raw({"CONFIG", "RESETSTAT"});
  keys.acct.invalidate_user(1);
  keys.acct.invalidate_everyone();
  const std::string stats = raw({"INFO", "commandstats"}).str;
  EXPECT_EQ(stats.find("cmdstat_keys:"), std::string::npos) << stats;
  EXPECT_EQ(stats.find("cmdstat_scan:"), std::string::npos) << stats;
  EXPECT_NE(stats.find("cmdstat_spop:"), std::string::npos) << stats;
}

TEST_F(Tags, InvalidatedSessionsLeaveNoIndexBehind) {
  const std::string sid = keys.acct.session.create(42, "phone");
  ASSERT_TRUE(keys.acct.session.get(42, sid).has_value());
  keys.acct.invalidate_user(42);
  EXPECT_FALSE(keys.acct.session.get(42, sid).has_value());
  EXPECT_TRUE(keys.acct.session.list(42).empty());
  EXPECT_FALSE(exists(keys.acct.session.index_key(42)));
}

}  // namespace
