#include "keyspace_test/shared_redis.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace keyspace::test {

namespace {

struct SharedState {
  std::mutex mutex;
  std::unique_ptr<RedisServer> server;
  std::optional<std::string> failure;  // a failed start is not retried by every test
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

std::string redis_cli(const std::vector<std::string>& command) {
  return shared_redis().cli(command);
}

void RedisTest::SetUp() { shared_redis().flush_all(); }

}  // namespace keyspace::test
