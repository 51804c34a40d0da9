// A cluster client under load while the cluster changes under it: slots resharded with their
// keys (`redis-cli --cluster reshard`), and a master failed over to its replica (`CLUSTER
// FAILOVER`). Four threads run counters, locks and a queue on keys of the moving slots; what
// they did is checked against the servers afterwards. The figures are printed for the record.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace/keyspace.hpp"
#include "keyspace_test/shared_redis.hpp"
#include "slot.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using keyspace::test::RedisCluster;

constexpr keyspace::KeySpec kCounter{"load.counter", "load:counter:{id}", 0ms};
constexpr keyspace::KeySpec kLock{"load.lock", "load:lock:{id}", 5000ms};
constexpr keyspace::KeySpec kQueue{"load.queue", "load:queue", 0ms};
constexpr keyspace::KeySpec kFiller{"load.filler", "load:filler:{id}", 0ms};
constexpr int kThreads = 4;
constexpr int kCounters = 64;
constexpr int kLocks = 8;

RedisCluster& cluster() { return keyspace::test::shared_cluster(); }

// Key names of the given prefix whose slots lie in [first, last].
std::vector<std::string> keys_in_slots(const std::string& prefix, int count, int first, int last) {
  std::vector<std::string> out;
  for (int i = 0; static_cast<int>(out.size()) < count; ++i) {
    std::string key = prefix + std::to_string(i);
    const int slot = keyspace::detail::key_slot(key);
    if (slot >= first && slot <= last) out.push_back(std::move(key));
  }
  return out;
}

// What the threads did and saw.
struct Tally {
  std::atomic<long> operations{0};
  std::atomic<long> failures{0};
  std::atomic<long> double_holders{0};
  std::mutex mutex;
  std::map<std::string, long> added;  // by counter key
  std::set<std::string> pushed, received;
  std::vector<std::string> first_errors;
  std::vector<Clock::time_point> failed_at;

  void failed(const std::exception& e) {
    ++failures;
    std::lock_guard<std::mutex> lock(mutex);
    failed_at.push_back(Clock::now());
    if (first_errors.size() < 5) first_errors.emplace_back(e.what());
  }
};

class Load {
 public:
  // Counters, locks and a queue whose keys lie in the slots [first, last].
  Load(keyspace::Client& client, int first, int last)
      : client_(client),
        counters_(keys_in_slots("load:counter:", kCounters, first, last)),
        locks_(keys_in_slots("load:lock:", kLocks, first, last)),
        queue_(client, keys_in_slots("load:queue:", 1, first, last).front()),
        holders_(locks_.size()) {}

  void start() {
    for (int t = 0; t < kThreads; ++t) threads_.emplace_back([this, t] { work(t); });
  }
  void stop() {
    stopping_ = true;
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
  }
  // Takes what is left in the queue (after stop()).
  void drain() {
    for (int i = 0; i < 1'000'000; ++i) {
      std::optional<std::string> element = keyspace::queue::pop_raw(client_, kQueue, queue_, 0ms);
      if (!element) return;
      take(*element);
    }
  }
  Tally& tally() { return tally_; }
  const keyspace::QueueKeys& queue() const { return queue_; }

 private:
  void take(const std::string& element) {
    const std::optional<std::string_view> payload = keyspace::queue::envelope_payload(element);
    {
      std::lock_guard<std::mutex> lock(tally_.mutex);
      if (payload) tally_.received.emplace(*payload);
    }
    keyspace::queue::ack(client_, kQueue, queue_, element);
  }

  void work(int thread) {
    for (long i = 0; !stopping_; ++i) {
      try {
        switch (i % 4) {
          case 0: {
            const std::string& key = counters_[static_cast<std::size_t>(i) % counters_.size()];
            keyspace::ops::counter_add(client_, kCounter, key, 1);
            std::lock_guard<std::mutex> lock(tally_.mutex);
            ++tally_.added[key];
            break;
          }
          case 1: {
            const std::size_t k = static_cast<std::size_t>(i / 4) % locks_.size();
            std::optional<keyspace::LockGuard> guard = keyspace::lock::try_acquire(client_, kLock, locks_[k]);
            if (guard) {
              if (holders_[k].fetch_add(1) != 0) ++tally_.double_holders;
              holders_[k].fetch_sub(1);
              guard->release();
            }
            break;
          }
          case 2: {
            const std::string payload = std::to_string(thread) + ":" + std::to_string(i);
            keyspace::queue::push(client_, kQueue, queue_, payload, 0);
            std::lock_guard<std::mutex> lock(tally_.mutex);
            tally_.pushed.insert(payload);
            break;
          }
          default: {
            std::optional<std::string> element = keyspace::queue::pop_raw(client_, kQueue, queue_, 0ms);
            if (element) take(*element);
          }
        }
        ++tally_.operations;
      } catch (const keyspace::Error& e) {
        tally_.failed(e);
      }
    }
  }

  keyspace::Client& client_;
  std::vector<std::string> counters_;
  std::vector<std::string> locks_;
  keyspace::QueueKeys queue_;
  std::vector<std::atomic<int>> holders_;
  Tally tally_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

std::string id_of(int port) {
  for (const RedisCluster::Node& node : cluster().nodes()) {
    if (node.port == port) return node.id;
  }
  throw std::runtime_error("no node on port " + std::to_string(port));
}

// The counters hold what the threads added, the queue lost and duplicated nothing, no lock had
// two holders.
void expect_nothing_lost(keyspace::Client& client, Load& load) {
  Tally& tally = load.tally();
  for (const auto& [key, added] : tally.added) {
    EXPECT_EQ(keyspace::ops::counter_get(client, kCounter, key), added) << key;
  }
  long lost = 0;
  for (const std::string& payload : tally.pushed) lost += tally.received.count(payload) == 0 ? 1 : 0;
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(tally.received.size(), tally.pushed.size());
  EXPECT_EQ(keyspace::queue::processing(client, kQueue, load.queue()), 0);
  EXPECT_EQ(tally.double_holders.load(), 0);
  std::cout << "operations " << tally.operations << ", failed " << tally.failures << ", queue messages "
            << tally.pushed.size() << " pushed / " << tally.received.size() << " received / " << lost
            << " lost, double lock holders " << tally.double_holders << "\n";
  for (const std::string& error : tally.first_errors) std::cout << "  error: " << error << "\n";
}

TEST(ClusterUnderLoad, ReshardingSlotsWithTheirKeysLosesNoWriteMessageOrLock) {
  cluster().flush_all();
  const RedisCluster::Node source = [] {
    for (const RedisCluster::Node& node : cluster().nodes()) {
      if (node.master && !node.slots.empty()) return node;
    }
    throw std::runtime_error("no master with slots");
  }();
  const auto [first, range_last] = source.slots.front();
  const int last = std::min(range_last, first + 999);
  int target = 0;
  for (const RedisCluster::Node& node : cluster().nodes()) {
    if (node.master && node.port != source.port) target = node.port;
  }

  keyspace::Client client(cluster().options());
  // Keys for the migration to carry while the load runs.
  {
    keyspace::Batch batch(client);
    for (const std::string& key : keys_in_slots("load:filler:", 20000, first, last)) {
      keyspace::ops::queue_set_raw(batch, kFiller, key, std::string(100, 'x'));
    }
    batch.execute();
  }
  Load load(client, first, last);
  load.start();
  std::this_thread::sleep_for(200ms);
  const auto started = Clock::now();
  const std::string output = cluster().cli_at(
      source.port, {"--cluster", "reshard", "127.0.0.1:" + std::to_string(source.port), "--cluster-from", source.id,
                    "--cluster-to", id_of(target), "--cluster-slots", std::to_string(last - first + 1),
                    "--cluster-yes", "--cluster-pipeline", "20"});
  const auto took = Clock::now() - started;
  std::this_thread::sleep_for(200ms);
  load.stop();
  load.drain();
  cluster().wait_until_stable();
  EXPECT_EQ(cluster().master_port_for_slot(first), target) << output.substr(output.size() > 2000 ? output.size() - 2000 : 0);
  std::cout << "resharded " << (last - first + 1) << " slots with 20000 keys in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
  expect_nothing_lost(client, load);
  EXPECT_EQ(load.tally().failures.load(), 0);
}

TEST(ClusterUnderLoad, WritesResumeWithinTwoSecondsOfAFailover) {
  cluster().flush_all();
  const std::vector<RedisCluster::Node> nodes = cluster().nodes();
  const auto replica = std::find_if(nodes.begin(), nodes.end(), [](const auto& node) { return !node.master; });
  ASSERT_NE(replica, nodes.end());
  const auto master =
      std::find_if(nodes.begin(), nodes.end(), [&](const auto& node) { return node.id == replica->master_id; });
  ASSERT_NE(master, nodes.end());
  const int first = master->slots.front().first;
  const int last = std::min(master->slots.front().second, first + 999);

  keyspace::Client client(cluster().options());
  Load load(client, first, last);
  load.start();
  std::this_thread::sleep_for(300ms);
  const auto failover = Clock::now();
  EXPECT_EQ(cluster().cli_at(replica->port, {"CLUSTER", "FAILOVER"}), "OK");
  bool promoted = false;
  for (int i = 0; i < 200 && !promoted; ++i) {
    promoted = cluster().cli_at(replica->port, {"ROLE"}).rfind("master", 0) == 0;
    if (!promoted) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(promoted) << "the replica did not take over within 10 s";
  const auto took_over = Clock::now();
  std::this_thread::sleep_for(2500ms);
  load.stop();
  load.drain();
  cluster().wait_until_stable();
  expect_nothing_lost(client, load);
  std::cout << "failover: the replica answered ROLE master after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took_over - failover).count() << " ms\n";
  Tally& tally = load.tally();
  if (!tally.failed_at.empty()) {
    const auto window = tally.failed_at.back() - failover;
    std::cout << "failover: last failed operation " << std::chrono::duration_cast<std::chrono::milliseconds>(window).count()
              << " ms after CLUSTER FAILOVER\n";
    EXPECT_LT(window, 2s);
  }
}

}  // namespace
