// A server restart under load: errors while it is down are typed, nothing hangs, and the client
// works again within a second of the server being back (in practice: at the first command).

#include <algorithm>
#include <atomic>
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

struct LoadStats {
  long long ok = 0;
  long long typed_errors = 0;
  long long untyped_errors = 0;
  long long slowest_write_ms = 0;
  long long slowest_read_ms = 0;
  Clock::time_point first_ok_after{};  // first success after the server was back
};

// SET then GET of the thread's own key until `stop`, timing every operation.
LoadStats run_load(keyspace::Client& client, int thread, const std::atomic<bool>& stop,
                   const std::atomic<long long>& back_at_ns) {
  LoadStats stats;
  const std::string key = user_key(client, thread);
  for (long long i = 0; i < 10'000'000 && !stop.load(); ++i) {
    const std::string value = std::to_string(i);
    for (const bool write : {true, false}) {
      const auto started = Clock::now();
      try {
        if (write) {
          ops::set<keyspace::StringCodec>(client, kUserName, key, value);
        } else {
          ops::get<keyspace::StringCodec>(client, kUserName, key);
        }
        ++stats.ok;
        const long long back = back_at_ns.load();
        if (back != 0 && stats.first_ok_after == Clock::time_point() &&
            started.time_since_epoch().count() >= back) {
          stats.first_ok_after = Clock::now();
        }
      } catch (const keyspace::Error&) {
        ++stats.typed_errors;
      } catch (...) {
        ++stats.untyped_errors;
      }
      long long& slowest = write ? stats.slowest_write_ms : stats.slowest_read_ms;
      slowest = std::max(slowest, ms_since(started));
    }
  }
  return stats;
}

TEST(Restart, FourThreadLoadSurvivesARestartAndRecoversWithinOneSecond) {
  RedisServer server;
  keyspace::Options options = options_for(server, 500ms);
  keyspace::Client client{options};
  std::atomic<bool> stop{false};
  std::atomic<long long> back_at_ns{0};
  std::vector<std::future<LoadStats>> load;
  for (int t = 0; t < 4; ++t) {
    load.push_back(std::async(std::launch::async, [&, t] {
      return run_load(client, t, stop, back_at_ns);
    }));
  }
  std::this_thread::sleep_for(300ms);
  server.stop();
  std::this_thread::sleep_for(300ms);
  server.start();  // returns once the new server answers PING
  const auto back = Clock::now();
  back_at_ns.store(back.time_since_epoch().count());

  long long recovered_ms = -1;
  for (int i = 0; i < 2000 && ms_since(back) < 2000; ++i) {
    try {
      ops::set<keyspace::StringCodec>(client, kUserName, user_key(client, 99), "back");
      recovered_ms = ms_since(back);
      break;
    } catch (const keyspace::Error&) {
      std::this_thread::sleep_for(1ms);
    }
  }
  std::this_thread::sleep_for(300ms);
  stop.store(true);

  LoadStats total;
  for (auto& part : load) {
    const LoadStats stats = part.get();
    total.ok += stats.ok;
    total.typed_errors += stats.typed_errors;
    total.untyped_errors += stats.untyped_errors;
    total.slowest_write_ms = std::max(total.slowest_write_ms, stats.slowest_write_ms);
    total.slowest_read_ms = std::max(total.slowest_read_ms, stats.slowest_read_ms);
    EXPECT_NE(stats.first_ok_after, Clock::time_point()) << "a load thread never recovered";
    if (stats.first_ok_after != Clock::time_point()) {
      EXPECT_LE(stats.first_ok_after - back, 1s);
    }
  }
  std::printf("restart under load: %lld ok, %lld typed errors; recovered %lld ms after the "
              "server was back; slowest write %lld ms, slowest read %lld ms\n",
              total.ok, total.typed_errors, recovered_ms, total.slowest_write_ms,
              total.slowest_read_ms);
  EXPECT_EQ(total.untyped_errors, 0);
  EXPECT_GT(total.typed_errors, 0) << "the load never noticed the server was down";
  ASSERT_GE(recovered_ms, 0) << "no command succeeded within 2 s of the server being back";
  EXPECT_LE(recovered_ms, 1000);
  // No hang: a write waits at most one command timeout, a read at most its attempts' timeouts
  // and backoffs (250 ms of slack for a loaded machine).
  EXPECT_LE(total.slowest_write_ms, 500 + 250);
  EXPECT_LE(total.slowest_read_ms, 3 * 500 + 10 + 20 + 250);
}

// Idle connections that the old server closed are dropped unused, so the first read and the
// first write after a restart both succeed at their first attempt; the script cache the old
// server had is gone, which EVALSHA's NOSCRIPT fallback absorbs.
TEST(Restart, FirstCommandsAfterARestartSucceedAtTheirFirstAttempt) {
  RedisServer server;
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server);
  options.pool_size = 4;
  options.observer = observer;
  keyspace::Client client{options};
  open_connections(client, 4);
  static const keyspace::Script echo("return ARGV[1]");
  EXPECT_EQ(keyspace::detail::ClientAccess::run_script(client, kUserName, "echo", echo, {"cache:user:1:name"}, {"one"}).str, "one");
  server.restart();
  ops::set<keyspace::StringCodec>(client, kUserName, user_key(client, 1), "new server");
  EXPECT_EQ(observer->last("set").attempts, 1);
  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kUserName, user_key(client, 1)),
            std::optional<std::string>("new server"));
  EXPECT_EQ(observer->last("get").attempts, 1);
  EXPECT_EQ(keyspace::detail::ClientAccess::run_script(client, kUserName, "echo", echo, {"cache:user:1:name"}, {"two"}).str, "two");
}

// A write whose connection dies while it is in flight is a ConnectionError and is not resent
// (it may or may not have been applied); the next write goes to the restarted server.
TEST(Restart, WriteInFlightWhenTheServerDiesFailsOnceTyped) {
  RedisServer server;
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server, 5s);
  options.observer = observer;
  keyspace::Client client{options};
  keyspace::Client sleeper{options_for(server, 5s)};
  client.ping();
  sleeper.ping();
  auto stalled = std::async(std::launch::async, [&] {
    try {
      keyspace::detail::ClientAccess::execute(sleeper, kNoKey, "debug", {"DEBUG", "SLEEP", "2"});
    } catch (const keyspace::ConnectionError&) {
      // expected: the server is killed in its sleep
    }
  });
  std::this_thread::sleep_for(100ms);
  auto write = std::async(std::launch::async, [&] {
    keyspace::detail::ClientAccess::execute(client, kPageViews, "incr", {"INCR", "stats:page:home:views"});
  });
  std::this_thread::sleep_for(100ms);  // the INCRBY now waits in the sleeping server
  const auto killed = Clock::now();
  server.kill();
  EXPECT_THROW(write.get(), keyspace::ConnectionError);
  EXPECT_LE(ms_since(killed), 500);
  EXPECT_EQ(observer->last("incr").attempts, 1);
  EXPECT_EQ(observer->last("incr").outcome, keyspace::CommandOutcome::connection_error);
  stalled.get();
  server.start();
  EXPECT_EQ(keyspace::detail::ClientAccess::execute(client, kPageViews, "incr", {"INCR", "stats:page:home:views"}).integer, 1);
}

}  // namespace
}  // namespace fault_test
