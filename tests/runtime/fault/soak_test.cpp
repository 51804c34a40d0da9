// A soak: 8 threads x 50,000 mixed operations (get, set, incr, exists, scripts) through one
// Client with a MetricsObserver attached. No operation may fail, every value read back must be
// the thread's own last write, and the server's counters and the observer's counts must agree
// with what the threads did. KEYSPACE_SOAK_OPS overrides the operations per thread.

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <gtest/gtest.h>

#include "fault_support.hpp"
#include "keyspace/metrics_observer.hpp"

namespace fault_test {
namespace {

using keyspace::CommandOutcome;
using keyspace::test::RedisServer;
using runtime_test::kTotalOrders;
namespace ops = keyspace::ops;

constexpr int kThreads = 8;
enum Op { kSet, kGet, kIncr, kExists, kScript, kOpCount };

int ops_per_thread() {
  const char* configured = std::getenv("KEYSPACE_SOAK_OPS");
  if (configured != nullptr && *configured) return std::max<int>(kOpCount, std::atoi(configured));
  return 50'000;
}

struct ThreadResult {
  std::array<long long, kOpCount> done{};
  long long failures = 0;
  long long mismatches = 0;
  std::string first_failure;
};

ThreadResult soak(keyspace::Client& client, int thread, int count) {
  ThreadResult result;
  const std::string own = user_key(client, thread);
  const std::string own_counter = runtime_test::page_views_key(client, "t" + std::to_string(thread));
  const std::string total = runtime_test::total_orders_key(client);
  std::string last_written;
  for (int i = 0; i < count; ++i) {
    const Op op = static_cast<Op>(i % kOpCount);
    try {
      switch (op) {
        case kSet:
          last_written = std::to_string(thread) + "/" + std::to_string(i);
          ops::set<keyspace::StringCodec>(client, kUserName, own, last_written);
          break;
        case kGet:
          if (ops::get<keyspace::StringCodec>(client, kUserName, own) != last_written) {
            ++result.mismatches;
          }
          break;
        case kIncr:  // persistent spec: a plain INCRBY
          ops::counter_add(client, kTotalOrders, total, 1);
          break;
        case kExists:
          if (!ops::exists(client, kUserName, own)) ++result.mismatches;
          break;
        case kScript:  // TTL'd counter: a Lua script (EVALSHA)
          ops::counter_add(client, kPageViews, own_counter, 1);
          break;
        case kOpCount:
          break;
      }
      ++result.done[op];
    } catch (const std::exception& e) {
      if (result.failures++ == 0) result.first_failure = e.what();
    }
  }
  return result;
}

TEST(Soak, EightThreadsMixedOperationsThroughOneClient) {
  RedisServer server;
  auto metrics = std::make_shared<keyspace::MetricsObserver>();
  keyspace::Options options = server.options();
  options.observer = metrics;
  keyspace::Client client{options};
  const int count = ops_per_thread();
  std::array<ThreadResult, kThreads> results;
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { results[t] = soak(client, t, count); });
  }
  for (std::thread& thread : threads) thread.join();
  const long long elapsed = ms_since(started);

  std::array<long long, kOpCount> done{};
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(results[t].failures, 0) << "thread " << t << ": " << results[t].first_failure;
    EXPECT_EQ(results[t].mismatches, 0) << "thread " << t;
    for (int op = 0; op < kOpCount; ++op) done[op] += results[t].done[op];
    EXPECT_EQ(server.cli({"GET", "stats:page:t" + std::to_string(t) + ":views"}),
              std::to_string(results[t].done[kScript]));
  }
  EXPECT_EQ(server.cli({"GET", "stats:orders:total"}), std::to_string(done[kIncr]));
  EXPECT_EQ(done[kSet] + done[kGet] + done[kIncr] + done[kExists] + done[kScript],
            static_cast<long long>(kThreads) * count);
  // The observer saw exactly the operations that were done, all ok.
  EXPECT_EQ(metrics->commands(kUserName.name, "set", CommandOutcome::ok), done[kSet]);
  EXPECT_EQ(metrics->commands(kUserName.name, "get", CommandOutcome::ok), done[kGet]);
  EXPECT_EQ(metrics->commands(kUserName.name, "exists", CommandOutcome::ok), done[kExists]);
  EXPECT_EQ(metrics->commands(kTotalOrders.name, "counter_add", CommandOutcome::ok), done[kIncr]);
  EXPECT_EQ(metrics->commands(kPageViews.name, "counter_add", CommandOutcome::ok), done[kScript]);
  std::printf("soak: %d threads x %d ops in %lld ms (%.0f ops/s)\n", kThreads, count, elapsed,
              kThreads * static_cast<double>(count) * 1000.0 / static_cast<double>(elapsed + 1));
}

}  // namespace
}  // namespace fault_test
