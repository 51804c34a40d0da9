// The generated accessors of tests/acl/grants.yaml run as each service's Redis user, on a real
// redis-server started with the ACL file that keyspace_generate(... ACL) wrote at build time: the
// owner's user runs every operation of every kind, the reader's user every read operation, and
// Redis itself refuses the reader's writes (the full Keyspace, not the reader's view, so that the
// writes compile and reach the server).
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "grants/keyspace.hpp"
#include "keyspace/client.hpp"
#include "keyspace/errors.hpp"
#include "keyspace_test/redis_server.hpp"

namespace {

using namespace std::chrono_literals;
namespace g = tests::grants;

class AclRuntime : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new keyspace::test::RedisServer(keyspace::test::RedisServerConfig{"", false, {"--aclfile", KEYSPACE_ACL_FILE}, {}});
  }
  static void TearDownTestSuite() { delete server_; }

  static keyspace::Options as(const std::string& user) {
    keyspace::Options options = server_->options();
    options.username = user;
    options.password = "unused";  // the users are `nopass`: any password is accepted
    options.environment = "test";
    options.retry_attempts = 0;
    return options;
  }

  static keyspace::test::RedisServer* server_;
};

keyspace::test::RedisServer* AclRuntime::server_ = nullptr;

// Redis refused the command: an error reply naming the missing permission.
void expect_refused(const std::function<void()>& write, const char* what) {
  try {
    write();
    ADD_FAILURE() << what << " was allowed";
  } catch (const keyspace::CommandError& e) {
    EXPECT_NE(std::string(e.what()).find("NOPERM"), std::string::npos) << what << ": " << e.what();
  }
}

TEST_F(AclRuntime, TheOwnerRunsEveryOperationOfEveryKind) {
  keyspace::Client client(as("writer-test"));
  g::Keyspace keys(client);
  auto& f = keys.feed;
  EXPECT_EQ(f.item.get_or_load(1, [] { return std::string("loaded"); }), "loaded");
  f.item.set(1, "set");
  EXPECT_EQ(f.item.get(1), "set");
  EXPECT_EQ(f.invalidate_item(1), 1);
  EXPECT_FALSE(f.item.invalidate(1));
  EXPECT_TRUE(f.quota.hit(1).allowed);
  EXPECT_EQ(f.quota.peek(1).remaining, 9);
  EXPECT_TRUE(f.quota.reset(1));
  const std::string sid = f.login.create(7, "ada");
  EXPECT_EQ(f.login.get(7, sid), "ada");
  EXPECT_TRUE(f.login.update(7, sid, "ada2"));
  EXPECT_TRUE(f.login.touch(7, sid));
  EXPECT_EQ(f.login.list(7).size(), 1u);
  EXPECT_TRUE(f.login.destroy(7, sid));
  f.login.create(7, "again");
  EXPECT_EQ(f.login.destroy_all(7), 1);
  f.login.create(8, "tagged");
  EXPECT_EQ(f.invalidate_user(8), 2);  // the session and its index
  f.title.set(1, "t");
  EXPECT_TRUE(f.title.set_if_absent(2, "u"));
  EXPECT_EQ(f.title.get_many({1, 2}).size(), 2u);
  EXPECT_TRUE(f.title.exists(1));
  EXPECT_TRUE(f.title.ttl(1).has_value());
  EXPECT_TRUE(f.title.del(2));
  f.title.set(5, "tagged");
  f.item.set(5, "tagged");
  EXPECT_EQ(f.invalidate_item(5), 2);  // one tag set for the value and the cache entry
  f.title.set(6, "pruned");
  EXPECT_EQ(keyspace::tags::prune(client, f.title.spec, f.title.tag_keys(6).front()), 0);
  EXPECT_EQ(f.hits.incr(1, 3), 3);
  EXPECT_EQ(f.hits.decr(1), 2);
  EXPECT_EQ(f.hits.get(1), 2);
  EXPECT_TRUE(f.hits.reset(1));
  f.hidden.set(1);
  EXPECT_TRUE(f.hidden.exists(1));
  EXPECT_TRUE(f.hidden.clear(1));
  f.stats.set_views(1, 4);
  EXPECT_EQ(f.stats.incr_views(1), 5);
  f.stats.set_note(1, "n");
  EXPECT_EQ(f.stats.get_note(1), "n");
  EXPECT_TRUE(f.stats.get_all(1).has_value());
  f.stats.set_all(1, {5, std::nullopt});
  EXPECT_TRUE(f.online.mark(1, "ada"));
  EXPECT_TRUE(f.online.is_present(1, "ada"));
  EXPECT_EQ(f.online.present(1).size(), 1u);
  EXPECT_EQ(f.online.count(1), 1);
  EXPECT_TRUE(f.online.leave(1, "ada"));
  EXPECT_TRUE(f.nearby.add(1, "ada", {13.4, 52.5}));
  EXPECT_TRUE(f.nearby.add(1, "bob", {13.5, 52.5}));
  EXPECT_TRUE(f.nearby.position(1, "ada").has_value());
  EXPECT_TRUE(f.nearby.distance(1, "ada", "bob").has_value());
  EXPECT_EQ(f.nearby.search(1, g::feed::Nearby::query::around_member("ada").within_radius(10, keyspace::geo::Unit::km)).size(), 2u);
  EXPECT_EQ(f.nearby.size(1), 2);
  EXPECT_TRUE(f.nearby.remove(1, "bob"));
  EXPECT_TRUE(f.visitors.add(1, "ada"));
  EXPECT_TRUE(f.visitors.add_many(2, {"bob", "eve"}));
  EXPECT_EQ(f.visitors.count(1), 1);
  EXPECT_EQ(f.visitors.count_union({1, 2}), 3);
  f.visitors.merge(3, {1, 2});
  EXPECT_EQ(f.visitors.count(3), 3);
  EXPECT_EQ(f.visitors.delete_all(), 3);
  EXPECT_TRUE(f.tags.add(1, "a"));
  EXPECT_EQ(f.tags.add_many(1, {"b", "c"}), 2);
  EXPECT_TRUE(f.tags.remove(1, "c"));
  EXPECT_TRUE(f.tags.contains(1, "a"));
  EXPECT_EQ(f.tags.members(1).size(), 2u);
  EXPECT_EQ(f.tags.size(1), 2);
  EXPECT_TRUE(f.ranks.add(1, "a", 1));
  EXPECT_EQ(f.ranks.incr(1, "a"), 2);
  EXPECT_EQ(f.ranks.score(1, "a"), 2);
  EXPECT_EQ(f.ranks.range(1).size(), 1u);
  EXPECT_EQ(f.ranks.range_by_score(1, 0, 10).size(), 1u);
  EXPECT_TRUE(f.ranks.remove(1, "a"));
  EXPECT_EQ(f.recent.push_front(1, "a"), 1);
  EXPECT_EQ(f.recent.push_back(1, "b"), 2);
  EXPECT_EQ(f.recent.range(1).size(), 2u);
  EXPECT_EQ(f.recent.size(1), 2);
  EXPECT_EQ(f.recent.pop_front(1), "a");
  EXPECT_EQ(f.recent.pop_back(1), "b");
  const std::string id = f.events.add(1, "e");
  EXPECT_EQ(f.events.read(1).size(), 1u);
  EXPECT_TRUE(f.events.create_group(1, "g", "0"));
  EXPECT_EQ(f.events.read_group(1, "g", "c").size(), 1u);
  EXPECT_EQ(f.events.ack(1, "g", id), 1);
  EXPECT_EQ(f.events.size(1), 1);
  if (auto guard = f.edit.try_acquire(1)) {
    EXPECT_TRUE(guard->held());
    EXPECT_TRUE(guard->extend());
    EXPECT_TRUE(guard->release());
  } else {
    ADD_FAILURE() << "no lock";
  }
  EXPECT_TRUE(f.edit.acquire(1, 1s).release());
  f.jobs.push("job");
  auto delivery = f.jobs.pop(0ms);
  ASSERT_TRUE(delivery.has_value());
  EXPECT_EQ(f.jobs.processing(), 1);
  EXPECT_TRUE(delivery->nack());
  EXPECT_TRUE(f.jobs.pop(1s)->ack());
  EXPECT_EQ(f.jobs.requeue_stale(0ms), 0);
  EXPECT_EQ(f.jobs.size(), 0);
  EXPECT_FALSE(f.jobs.clear());
  std::atomic<int> received{0};
  auto subscription = f.news.subscribe([&](std::string) { ++received; });
  ASSERT_TRUE(subscription.wait_until_subscribed(5s));
  EXPECT_EQ(f.news.publish("hello"), 1);
  for (int i = 0; i < 500 && received == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(received.load(), 1);
}

TEST_F(AclRuntime, TheReaderReadsAndRedisRefusesItsWrites) {
  keyspace::Client writer_client(as("writer-test"));
  g::Keyspace writer(writer_client);
  writer.feed.title.set(3, "t");
  writer.feed.item.set(3, "i");
  writer.feed.tags.add(3, "a");
  writer.feed.visitors.add(3, "ada");
  writer.feed.online.mark(3, "ada");
  writer.feed.nearby.add(3, "ada", {13.4, 52.5});
  writer.feed.jobs.push("job");
  const std::string sid = writer.feed.login.create(3, "ada");

  keyspace::Client client(as("reader-test"));
  g::Keyspace keys(client);
  auto& f = keys.feed;
  EXPECT_EQ(f.title.get(3), "t");
  EXPECT_EQ(f.title.get_many({3}).size(), 1u);
  EXPECT_TRUE(f.title.exists(3));
  EXPECT_EQ(f.item.get(3), "i");
  EXPECT_TRUE(f.tags.contains(3, "a"));
  EXPECT_EQ(f.tags.size(3), 1);
  EXPECT_EQ(f.visitors.count(3), 1);
  EXPECT_EQ(f.online.count(3), 1);  // a script that prunes: its key needs write permission
  EXPECT_TRUE(f.online.is_present(3, "ada"));
  EXPECT_EQ(f.visitors.count_union({3, 4}), 1);
  EXPECT_EQ(f.nearby.search(3, g::feed::Nearby::query::around({13.4, 52.5}).within_box(1, 1, keyspace::geo::Unit::km)).size(), 1u);
  EXPECT_TRUE(f.nearby.position(3, "ada").has_value());
  EXPECT_EQ(f.jobs.size(), 1);
  EXPECT_EQ(f.jobs.processing(), 0);
  EXPECT_EQ(f.quota.peek(3).remaining, 10);  // a script: its key needs write permission
  EXPECT_EQ(f.login.get(3, sid), "ada");    // renews the sliding session
  EXPECT_EQ(f.login.list(3).size(), 1u);
  EXPECT_EQ(f.hits.get(3), 0);
  EXPECT_FALSE(f.hidden.exists(3));

  expect_refused([&] { f.title.set(3, "x"); }, "value set");
  expect_refused([&] { f.title.del(3); }, "value del");
  expect_refused([&] { f.item.set(3, "x"); }, "cache set");
  expect_refused([&] { f.item.invalidate(3); }, "cache invalidate");
  expect_refused([&] { f.tags.add(3, "b"); }, "set add");
  expect_refused([&] { f.visitors.add(3, "bob"); }, "hyperloglog add");
  expect_refused([&] { f.visitors.merge(3, {4}); }, "hyperloglog merge");
  expect_refused([&] { f.nearby.add(3, "bob", {1, 1}); }, "geo add");
  expect_refused([&] { f.nearby.remove(3, "ada"); }, "geo remove");
  expect_refused([&] { f.title.delete_all(); }, "value delete_all");
  expect_refused([&] { f.hits.incr(3); }, "counter incr");
  expect_refused([&] { f.hidden.set(3); }, "flag set");
  expect_refused([&] { f.jobs.push("x"); }, "queue push");
  expect_refused([&] { f.jobs.pop(0ms); }, "queue pop");
  expect_refused([&] { f.edit.try_acquire(3); }, "lock try_acquire");
  expect_refused([&] { f.events.add(3, "e"); }, "stream add");
  expect_refused([&] { f.news.publish("x"); }, "channel publish");
  EXPECT_EQ(writer.feed.title.get(3), "t");
}

TEST_F(AclRuntime, TheReaderSubscribesToTheChannelItMayOnlyRead) {
  keyspace::Client writer_client(as("writer-test"));
  keyspace::Client client(as("reader-test"));
  g::Keyspace writer(writer_client), reader(client);
  std::atomic<int> received{0};
  auto subscription = reader.feed.news.subscribe([&](std::string) { ++received; });
  ASSERT_TRUE(subscription.wait_until_subscribed(5s));
  EXPECT_EQ(writer.feed.news.publish("hello"), 1);
  for (int i = 0; i < 500 && received == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(received.load(), 1);
}

}  // namespace
