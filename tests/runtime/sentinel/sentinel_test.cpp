// A Topology::sentinel client against a real deployment: the master is found through the
// Sentinels (passing over one that is down), reads may go to the replicas, and a SENTINEL
// FAILOVER under load costs typed errors inside a short window only. The failover figures are
// printed for the record.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/keyspace.hpp"
#include "keyspace_test/shared_redis.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using keyspace::detail::ClientAccess;
using keyspace::test::RedisSentinel;

constexpr keyspace::KeySpec kItem{"sentinel.item", "sentinel:item:{id}", 0ms};

RedisSentinel& deployment() { return keyspace::test::shared_sentinel(); }

long commands_served(const RedisSentinel& sentinel, int port, const std::string& command) {
  const std::string stats = sentinel.cli_at(port, {"INFO", "commandstats"});
  const std::string prefix = "cmdstat_" + command + ":calls=";
  const std::size_t at = stats.find(prefix);
  return at == std::string::npos ? 0 : std::stol(stats.substr(at + prefix.size()));
}

class SentinelClient : public ::testing::Test {
 protected:
  void SetUp() override { deployment().flush_all(); }
};

TEST_F(SentinelClient, FindsTheMasterThroughTheSentinelsAndWritesLandThere) {
  keyspace::Client client(deployment().options());
  ClientAccess::execute(client, kItem, "set", {"SET", "sentinel:item:1", "v1"});
  EXPECT_EQ(deployment().cli_at(deployment().master_port(), {"GET", "sentinel:item:1"}), "v1");
  EXPECT_EQ(ClientAccess::execute(client, kItem, "get", {"GET", "sentinel:item:1"}).str, "v1");
}

TEST_F(SentinelClient, ASentinelThatIsDownIsPassedOver) {
  keyspace::Options options = deployment().options();
  options.sentinels.insert(options.sentinels.begin(), {"127.0.0.1", keyspace::test::find_free_port()});
  keyspace::Client client(options);
  ClientAccess::execute(client, kItem, "set", {"SET", "sentinel:item:2", "v2"});
  EXPECT_EQ(deployment().cli({"GET", "sentinel:item:2"}), "v2");
}

TEST_F(SentinelClient, AMasterNoSentinelKnowsIsAConfigErrorNamingIt) {
  keyspace::Options options = deployment().options();
  options.master_name = "no-such-master";
  keyspace::Client client(options);
  try {
    ClientAccess::execute(client, kItem, "get", {"GET", "sentinel:item:3"});
    FAIL() << "expected a ConfigError";
  } catch (const keyspace::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-master"), std::string::npos) << e.what();
  }
}

TEST_F(SentinelClient, ASentinelClientWithoutSentinelsIsRefusedWhenConstructed) {
  keyspace::Options options;
  options.topology = keyspace::Topology::sentinel;
  options.master_name = RedisSentinel::kMasterName;
  EXPECT_THROW(keyspace::Client{options}, keyspace::ConfigError);
}

TEST_F(SentinelClient, ReadsFromReplicasAreServedByTheReplicas) {
  keyspace::Options options = deployment().options();
  options.read_from_replicas = true;
  keyspace::Client client(options);
  ClientAccess::execute(client, kItem, "set", {"SET", "sentinel:item:4", "v4"});
  deployment().cli({"WAIT", "2", "1000"});
  const std::vector<int> replicas = deployment().replica_ports();
  const int master = deployment().master_port();
  long before = 0;
  for (int port : replicas) before += commands_served(deployment(), port, "get");
  const long master_before = commands_served(deployment(), master, "get");
  for (int i = 0; i < 6; ++i) EXPECT_EQ(ClientAccess::execute(client, kItem, "get", {"GET", "sentinel:item:4"}).str, "v4");
  long after = 0;
  for (int port : replicas) {
    const long served = commands_served(deployment(), port, "get");
    EXPECT_GT(served, 0) << "replica " << port << " served no read";
    after += served;
  }
  EXPECT_EQ(after - before, 6);
  EXPECT_EQ(commands_served(deployment(), master, "get"), master_before);
}

// Four threads INCR counters through one client while the Sentinels fail the master over.
// Every failure must be a keyspace::Error, and they all fall within one window of at most 2 s
// after which writes go on at the new master.
TEST(SentinelFailover, WritesResumeWithinTwoSecondsWithTypedErrorsOnlyInsideTheWindow) {
  RedisSentinel sentinel;
  keyspace::Options options = sentinel.options();
  options.command_timeout = 500ms;
  keyspace::Client client(options);
  std::atomic<bool> stop{false};
  std::atomic<long> acknowledged{0};
  std::mutex mutex;
  std::vector<Clock::time_point> failed_at;
  std::vector<std::string> untyped;
  const auto work = [&](int thread) {
    const std::string key = "sentinel:item:counter" + std::to_string(thread);
    while (!stop.load()) {
      try {
        ClientAccess::execute(client, kItem, "incr", {"INCR", key});
        acknowledged.fetch_add(1);
      } catch (const keyspace::Error&) {
        std::lock_guard<std::mutex> lock(mutex);
        failed_at.push_back(Clock::now());
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mutex);
        untyped.push_back(e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back(work, i);
  std::this_thread::sleep_for(300ms);
  const int old_master = sentinel.master_port();
  const auto started = Clock::now();
  const int new_master = sentinel.failover();
  const auto done = Clock::now();
  const long acknowledged_at_switch = acknowledged.load();
  std::this_thread::sleep_for(500ms);
  stop = true;
  for (std::thread& thread : threads) thread.join();

  EXPECT_NE(new_master, old_master);
  EXPECT_TRUE(untyped.empty()) << untyped.front();
  EXPECT_GT(acknowledged.load(), acknowledged_at_switch) << "no write succeeded after the failover";
  long stored = 0;
  for (int i = 0; i < 4; ++i) {
    const std::string value = sentinel.cli_at(new_master, {"GET", "sentinel:item:counter" + std::to_string(i)});
    stored += value.empty() ? 0 : std::stol(value);
  }
  const std::string errors = sentinel.cli_at(old_master, {"INFO", "errorstats"});
  const std::size_t readonly_at = errors.find("errorstat_READONLY:count=");
  const long readonly = readonly_at == std::string::npos ? 0 : std::stol(errors.substr(readonly_at + 25));
  const auto window = failed_at.empty() ? Clock::duration::zero() : failed_at.back() - failed_at.front();
  EXPECT_LE(window, 2s);
  std::cout << "SENTINEL FAILOVER under load: " << acknowledged.load() << " writes acknowledged, "
            << failed_at.size() << " typed errors within "
            << std::chrono::duration_cast<std::chrono::milliseconds>(window).count() << " ms, failover took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(done - started).count() << " ms, "
            << acknowledged.load() - stored << " acknowledged writes not on the new master, " << readonly
            << " READONLY replies from the old master\n";
}

}  // namespace
