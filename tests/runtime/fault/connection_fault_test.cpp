// Faults of single connections: killed by the server, a server too slow (DEBUG SLEEP) or paused
// (CLIENT PAUSE), no server at all, wrong credentials, an exhausted pool. Each failure must be
// the documented keyspace::Error subclass, on time, and the client must work again afterwards.

#include <cstdio>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "fault_support.hpp"
#include "keyspace/detail/client_access.hpp"

namespace fault_test {
namespace {

using keyspace::test::RedisServer;
namespace ops = keyspace::ops;

// CLIENT KILL closes the pooled connections while they are idle. The pool notices the close
// when it next hands one out (a peek at the socket) and opens a fresh connection instead: the
// next read AND the next write both succeed at the first attempt, and no command is ever sent
// over a killed connection.
TEST(ClientKill, KilledIdleConnectionsAreReplacedBeforeAnyCommandIsSent) {
  RedisServer server;
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server);
  options.pool_size = 4;
  options.observer = observer;
  keyspace::Client client{options};
  open_connections(client, 4);
  const std::vector<std::string> before = client_ids(server);
  ASSERT_EQ(before.size(), 4u);
  EXPECT_EQ(server.cli({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}), "4");

  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kUserName, user_key(client, 1)), std::nullopt);
  EXPECT_EQ(observer->last("get").outcome, keyspace::CommandOutcome::ok);
  EXPECT_EQ(observer->last("get").attempts, 1);
  ops::set<keyspace::StringCodec>(client, kUserName, user_key(client, 1), "after kill");
  EXPECT_EQ(observer->last("set").outcome, keyspace::CommandOutcome::ok);
  EXPECT_EQ(observer->last("set").attempts, 1);
  EXPECT_EQ(server.cli({"GET", "cache:user:1:name"}), "after kill");

  const std::vector<std::string> after = client_ids(server);
  ASSERT_EQ(after.size(), 1u);  // dead ones dropped, one fresh connection serving both
  for (const std::string& id : before) EXPECT_NE(after.front(), id);
}

// DEBUG SLEEP blocks the whole server longer than the command timeout: the command fails with
// TimeoutError no later than timeout + 100 ms (DEBUG is not a read, so it is not retried).
TEST(SlowServer, CommandTimeoutFiresWithinTimeoutPlus100ms) {
  RedisServer server;
  keyspace::Options options = options_for(server, 300ms);
  keyspace::Client client{options};
  client.ping();
  const auto started = Clock::now();
  EXPECT_THROW(keyspace::detail::ClientAccess::execute(client, kNoKey, "debug", {"DEBUG", "SLEEP", "1"}), keyspace::TimeoutError);
  const long long elapsed = ms_since(started);
  RecordProperty("timeout_ms", static_cast<int>(elapsed));
  std::printf("DEBUG SLEEP 1 with a 300 ms command timeout: TimeoutError after %lld ms\n", elapsed);
  EXPECT_GE(elapsed, 290);
  EXPECT_LE(elapsed, 300 + 100);
  std::this_thread::sleep_until(started + 1100ms);
  EXPECT_NO_THROW(client.ping());
}

// A write during the stall times out once (never retried) — and still happens once the server
// wakes up: a TimeoutError on a write means "outcome unknown", which is why it is not resent.
TEST(SlowServer, WriteTimesOutOnceAndIsNotResent) {
  RedisServer server;
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server, 200ms);
  options.observer = observer;
  keyspace::Client client{options};
  keyspace::Client sleeper{options_for(server, 5s)};
  auto stall = std::async(std::launch::async,
                          [&] { keyspace::detail::ClientAccess::execute(sleeper, kNoKey, "debug", {"DEBUG", "SLEEP", "0.6"}); });
  std::this_thread::sleep_for(100ms);
  const auto started = Clock::now();
  EXPECT_THROW(keyspace::detail::ClientAccess::execute(client, kPageViews, "incr", {"INCR", "stats:page:home:views"}),
               keyspace::TimeoutError);
  EXPECT_LE(ms_since(started), 200 + 100);
  EXPECT_EQ(observer->last("incr").attempts, 1);
  EXPECT_EQ(observer->last("incr").outcome, keyspace::CommandOutcome::timeout);
  stall.get();
  EXPECT_EQ(server.cli({"GET", "stats:page:home:views"}), "1");  // applied exactly once
}

// CLIENT PAUSE holds every command of normal clients; a write during the pause is a
// TimeoutError on time, and the client works once the pause is over.
TEST(ClientPause, CommandsTimeOutTypedDuringThePauseAndWorkAfterIt) {
  RedisServer server;
  keyspace::Options options = options_for(server, 200ms);
  keyspace::Client client{options};
  client.ping();
  EXPECT_EQ(server.cli({"CLIENT", "PAUSE", "700", "ALL"}), "OK");
  const auto paused = Clock::now();
  const auto started = Clock::now();
  EXPECT_THROW(ops::set<keyspace::StringCodec>(client, kUserName, user_key(client, 1), "x"),
               keyspace::TimeoutError);
  EXPECT_LE(ms_since(started), 200 + 100);
  std::this_thread::sleep_until(paused + 800ms);
  ops::set<keyspace::StringCodec>(client, kUserName, user_key(client, 1), "after pause");
  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kUserName, user_key(client, 1)),
            std::optional<std::string>("after pause"));
}

// Construction never connects; the first operation reports the refused connection as a
// ConnectionError (not a timeout), quickly, even with retries (the reads' retries are spent on
// refused connects of a few ms each).
TEST(ServerDown, StoppedAtStartUpTheFirstOperationIsAConnectionError) {
  RedisServer server;
  server.stop();
  keyspace::Options options = options_for(server);
  keyspace::Client client{options};  // lazy: nothing to fail yet
  for (const bool read : {true, false}) {
    const auto started = Clock::now();
    try {
      if (read) {
        ops::get<keyspace::StringCodec>(client, kUserName, user_key(client, 1));
      } else {
        ops::set<keyspace::StringCodec>(client, kUserName, user_key(client, 1), "x");
      }
      FAIL() << "an operation succeeded without a server";
    } catch (const keyspace::TimeoutError& e) {
      FAIL() << "a refused connection is not a timeout: " << e.what();
    } catch (const keyspace::ConnectionError& e) {
      EXPECT_EQ(e.key_template(), kUserName.key_template);
    }
    EXPECT_LT(ms_since(started), 400);
  }
  server.start();
  EXPECT_NO_THROW(client.ping());
}

TEST(Auth, WrongPasswordIsAnAuthErrorAndIsNotRetried) {
  keyspace::test::RedisServerConfig config;
  config.password = "s3cret";
  RedisServer server(config);
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server);
  options.password = "wrong";
  options.observer = observer;
  keyspace::Client client{options};
  EXPECT_THROW(ops::get<keyspace::StringCodec>(client, kUserName, user_key(client, 1)),
               keyspace::AuthError);
  EXPECT_EQ(observer->last("get").attempts, 1);
  EXPECT_EQ(observer->last("get").outcome, keyspace::CommandOutcome::connection_error);
  EXPECT_THROW(client.ping(), keyspace::AuthError);
}

// All connections busy: PoolTimeout after pool_wait, never a hang, and never retried (the pool
// is busy, not broken).
TEST(Pool, ExhaustionIsAPoolTimeoutAfterPoolWait) {
  RedisServer server;
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server, 5s);
  options.pool_size = 2;
  options.pool_wait = 150ms;
  options.observer = observer;
  keyspace::Client client{options};
  std::vector<std::future<void>> holders;
  for (int i = 0; i < 2; ++i) {
    holders.push_back(std::async(std::launch::async, [&client, i] {
      keyspace::detail::ClientAccess::execute_blocking(client, kNoKey, "hold", {"BLPOP", "fault:hold:" + std::to_string(i), "0.8"},
                              800ms);
    }));
  }
  std::this_thread::sleep_for(250ms);  // both connections are now inside BLPOP
  const auto started = Clock::now();
  EXPECT_THROW(ops::get<keyspace::StringCodec>(client, kUserName, user_key(client, 1)),
               keyspace::PoolTimeout);
  const long long waited = ms_since(started);
  EXPECT_GE(waited, 150);
  EXPECT_LE(waited, 150 + 150);
  EXPECT_EQ(observer->last("get").attempts, 1);
  EXPECT_EQ(observer->last("get").outcome, keyspace::CommandOutcome::timeout);
  for (auto& holder : holders) holder.get();
  EXPECT_NO_THROW(client.ping());
}

}  // namespace
}  // namespace fault_test
