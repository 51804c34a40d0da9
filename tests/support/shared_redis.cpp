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

bool testing_cluster() {
  static const bool cluster = [] {
    const char* topology = std::getenv("KEYSPACE_TEST_TOPOLOGY");
    return topology != nullptr && std::string_view(topology) == "cluster";
  }();
  return cluster;
}

RedisCluster& shared_cluster() { return started(state().cluster, state().cluster_failure); }

std::string redis_cli(const std::vector<std::string>& command) {
  return testing_cluster() ? shared_cluster().cli(command) : shared_redis().cli(command);
}

keyspace::Options RedisTest::options() {
  return testing_cluster() ? shared_cluster().options() : shared_redis().options();
}

void RedisTest::SetUp() {
  if (testing_cluster()) {
    shared_cluster().flush_all();
  } else {
    shared_redis().flush_all();
  }
}

}  // namespace keyspace::test
