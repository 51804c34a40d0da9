#include "fault_support.hpp"

#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "keyspace/detail/client_access.hpp"
namespace fault_test {

void RecordingObserver::on_command(const keyspace::CommandEvent& event) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  events_.push_back({std::string(event.key_name), std::string(event.key_template),
                     std::string(event.op), event.outcome, event.attempts, event.latency});
}

void RecordingObserver::on_cache(const keyspace::KeySpec& spec,
                                 keyspace::CacheOutcome outcome) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  cache_events_.emplace_back(std::string(spec.name), outcome);
}

std::vector<RecordedEvent> RecordingObserver::events() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return events_;
}

std::vector<std::pair<std::string, keyspace::CacheOutcome>> RecordingObserver::cache_events()
    const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cache_events_;
}

RecordedEvent RecordingObserver::last(const std::string& op) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
    if (it->op == op) return *it;
  }
  ADD_FAILURE() << "no event for op '" << op << "'";
  return {};
}

void RecordingObserver::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  events_.clear();
  cache_events_.clear();
}

keyspace::Options options_for(const keyspace::test::RedisServer& server,
                              std::chrono::milliseconds command_timeout) {
  keyspace::Options options = server.options();
  options.command_timeout = command_timeout;
  options.connect_timeout = 500ms;
  return options;
}

void open_connections(keyspace::Client& client, int count) {
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&client, i] {
      const std::string list = "fault:hold:" + std::to_string(i);
      // BLPOP on an empty list holds its connection for the whole block.
      keyspace::detail::ClientAccess::execute_blocking(client, kNoKey, "hold", {"BLPOP", list, "0.3"}, 300ms);
    });
  }
  for (std::thread& thread : threads) thread.join();
}

std::vector<std::string> client_ids(const keyspace::test::RedisServer& server) {
  std::istringstream list(server.cli({"CLIENT", "LIST", "TYPE", "normal"}));
  std::vector<std::string> ids;
  std::string line;
  while (std::getline(list, line)) {
    if (contains(line, "cmd=client")) continue;  // redis-cli asking
    const std::size_t at = line.find("id=");
    if (at == std::string::npos) continue;
    ids.push_back(line.substr(at + 3, line.find(' ', at) - at - 3));
  }
  return ids;
}

}  // namespace fault_test
