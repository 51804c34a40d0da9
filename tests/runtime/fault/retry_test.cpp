// Retries: reads that fail on a broken or timed-out connection are sent again after a jittered
// backoff, a bounded number of times; nothing else ever is.

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "fault_support.hpp"
#include "keyspace/detail/client_access.hpp"

namespace fault_test {
namespace {

using keyspace::test::RedisServer;
namespace ops = keyspace::ops;

// Blocks `server` for `seconds` from another client, returning once the stall has begun.
std::future<void> stall(const RedisServer& server, const char* seconds) {
  auto sleeper = std::make_shared<keyspace::Client>(options_for(server, 5s));
  sleeper->ping();
  auto done = std::async(std::launch::async, [sleeper, seconds] {
    keyspace::detail::ClientAccess::execute(*sleeper, kNoKey, "debug", {"DEBUG", "SLEEP", seconds});
  });
  std::this_thread::sleep_for(50ms);
  return done;
}

// The read times out on its first connection(s) while the server sleeps, and a later attempt,
// on a fresh connection, gets the answer once it wakes up.
TEST(Retry, ReadThatTimesOutDuringAShortStallIsRetriedAndSucceeds) {
  RedisServer server;
  server.cli({"SET", "cache:user:1:name", "kept"});
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server, 200ms);
  options.retry_attempts = 3;
  options.observer = observer;
  keyspace::Client client{options};
  client.ping();
  auto stalled = stall(server, "0.45");
  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kUserName, user_key(client, 1)),
            std::optional<std::string>("kept"));
  const RecordedEvent get = observer->last("get");
  EXPECT_EQ(get.outcome, keyspace::CommandOutcome::ok);
  EXPECT_GE(get.attempts, 2);
  stalled.get();
}

// Every attempt times out: the error is the last attempt's TimeoutError, it names the attempt,
// and the whole read took about (retry_attempts + 1) command timeouts, not more.
TEST(Retry, ReadRetriesAreBoundedByRetryAttempts) {
  RedisServer server;
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server, 150ms);
  options.retry_attempts = 2;
  options.observer = observer;
  keyspace::Client client{options};
  client.ping();
  auto stalled = stall(server, "1.2");
  const auto started = Clock::now();
  try {
    ops::exists(client, kUserName, user_key(client, 1));
    FAIL() << "EXISTS answered during DEBUG SLEEP";
  } catch (const keyspace::TimeoutError& e) {
    EXPECT_TRUE(contains(e.what(), "(attempt 3)")) << e.what();
  }
  const long long elapsed = ms_since(started);
  EXPECT_GE(elapsed, 3 * 150);
  EXPECT_LE(elapsed, 3 * 150 + 10 + 20 + 150);  // + the two largest backoffs + slack
  EXPECT_EQ(observer->last("exists").attempts, 3);
  EXPECT_EQ(observer->last("exists").outcome, keyspace::CommandOutcome::timeout);
  stalled.get();
}

TEST(Retry, ZeroRetryAttemptsSendsReadsOnce) {
  RedisServer server;
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server, 150ms);
  options.retry_attempts = 0;
  options.observer = observer;
  keyspace::Client client{options};
  client.ping();
  auto stalled = stall(server, "0.5");
  const auto started = Clock::now();
  EXPECT_THROW(ops::get<keyspace::StringCodec>(client, kUserName, user_key(client, 1)),
               keyspace::TimeoutError);
  EXPECT_LE(ms_since(started), 150 + 100);
  EXPECT_EQ(observer->last("get").attempts, 1);
  stalled.get();
}

// Scripts and error replies are never retried, whatever the command looks like.
TEST(Retry, ScriptsAndErrorRepliesAreSentOnce) {
  RedisServer server;
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server, 150ms);
  options.observer = observer;
  keyspace::Client client{options};
  client.ping();
  auto stalled = stall(server, "0.5");
  static const keyspace::Script read_only("return redis.call('GET', KEYS[1])");
  EXPECT_THROW(keyspace::detail::ClientAccess::run_script(client, kUserName, "probe", read_only, {"cache:user:1:name"}, {}),
               keyspace::TimeoutError);
  EXPECT_EQ(observer->last("probe").attempts, 1);
  stalled.get();
  server.cli({"SET", "cache:user:1:name", "not a number"});
  EXPECT_THROW(keyspace::detail::ClientAccess::execute(client, kUserName, "hlen", {"HLEN", "cache:user:1:name"}),
               keyspace::CommandError);
  EXPECT_EQ(observer->last("hlen").attempts, 1);
  EXPECT_EQ(observer->last("hlen").outcome, keyspace::CommandOutcome::error_reply);
}

}  // namespace
}  // namespace fault_test
