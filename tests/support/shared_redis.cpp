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

RedisServer& shared_redis() {
  std::lock_guard<std::mutex> lock(state().mutex);
  if (state().server) return *state().server;
  if (state().failure) throw std::runtime_error(*state().failure);
  try {
    state().server = std::make_unique<RedisServer>();
  } catch (const std::exception& e) {
    state().failure = e.what();
    throw;
  }
  return *state().server;
}

bool testing_cluster() {
  static const bool cluster = [] {
    const char* topology = std::getenv("KEYSPACE_TEST_TOPOLOGY");
    return topology != nullptr && std::string_view(topology) == "cluster";
  }();
  return cluster;
}

RedisCluster& shared_cluster() {
  std::lock_guard<std::mutex> lock(state().mutex);
  if (state().cluster) return *state().cluster;
  if (state().cluster_failure) throw std::runtime_error(*state().cluster_failure);
  try {
    state().cluster = std::make_unique<RedisCluster>();
  } catch (const std::exception& e) {
    state().cluster_failure = e.what();
    throw;
  }
  return *state().cluster;
}

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
