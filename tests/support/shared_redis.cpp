#include "keyspace_test/shared_redis.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <cstdlib>

namespace keyspace::test {

namespace {

struct SharedState {
  std::mutex mutex;
  std::unique_ptr<RedisServer> server;
  std::unique_ptr<RedisCluster> cluster;
  std::optional<std::string> failure;  // a failed start is not retried by every test
  std::optional<std::string> cluster_failure;
  std::unique_ptr<RedisSentinel> sentinel;
  std::optional<std::string> sentinel_failure;
};

SharedState& state() {
  static SharedState shared;
  return shared;
}

// Stops the shared server when the binary's tests are done, before static destruction, so no
// redis-server outlives the test run even when a test leaks threads.
class SharedRedisEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard<std::mutex> lock(state().mutex);
    state().server.reset();
    state().cluster.reset();
    state().sentinel.reset();
  }
};

::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new SharedRedisEnvironment);

}  // namespace

// Starts `T` on first use; a failed start is remembered and thrown again, not retried.
template <class T>
T& started(std::unique_ptr<T>& shared, std::optional<std::string>& failure) {
  std::lock_guard<std::mutex> lock(state().mutex);
  if (shared) return *shared;
  if (failure) throw std::runtime_error(*failure);
  try {
    shared = std::make_unique<T>();
  } catch (const std::exception& e) {
    failure = e.what();
    throw;
  }
  return *shared;
}

RedisServer& shared_redis() { return started(state().server, state().failure); }

namespace {

std::string_view test_topology() {
  static const char* const topology = std::getenv("KEYSPACE_TEST_TOPOLOGY");
  return topology != nullptr ? topology : "";
}

}  // namespace

bool testing_cluster() { return test_topology() == "cluster"; }
bool testing_sentinel() { return test_topology() == "sentinel"; }

RedisCluster& shared_cluster() { return started(state().cluster, state().cluster_failure); }
RedisSentinel& shared_sentinel() { return started(state().sentinel, state().sentinel_failure); }

std::string redis_cli(const std::vector<std::string>& command) {
  if (testing_cluster()) return shared_cluster().cli(command);
  return testing_sentinel() ? shared_sentinel().cli(command) : shared_redis().cli(command);
}

keyspace::Options test_options() {
  if (testing_cluster()) return shared_cluster().options();
  return testing_sentinel() ? shared_sentinel().options() : shared_redis().options();
}

void RedisTest::SetUp() {
  if (testing_cluster()) {
    shared_cluster().flush_all();
  } else if (testing_sentinel()) {
    shared_sentinel().flush_all();
  } else {
    shared_redis().flush_all();
  }
}

}  // namespace keyspace::test
