#include "keyspace_test/redis_sentinel.hpp"

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace keyspace::test {

namespace {

constexpr std::chrono::milliseconds kReadyBound{30000};
constexpr std::chrono::milliseconds kPoll{50};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

// The value of `name` in redis-cli's output of a flat [name, value, ...] reply (SENTINEL
// MASTER), or in INFO's "name:value" lines.
std::string field(const std::string& output, const std::string& name) {
  const std::vector<std::string> lines = lines_of(output);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == name && i + 1 < lines.size()) return lines[i + 1];
    if (lines[i].rfind(name + ":", 0) == 0) return lines[i].substr(name.size() + 1);
  }
  return {};
}

}  // namespace

RedisSentinel::RedisSentinel(int replicas, int sentinels) {
  data_.push_back(std::make_unique<RedisServer>());
  const std::string master = std::to_string(data_.front()->port());
  for (int i = 0; i < replicas; ++i) {
    RedisServerConfig config;
    config.extra_args = {"--replicaof", "127.0.0.1", master, "--repl-diskless-sync", "yes",
                         "--repl-diskless-sync-delay", "0"};
    data_.push_back(std::make_unique<RedisServer>(config));
  }
  // The replicas are connected before the Sentinels start, so that the Sentinels' first INFO
  // of the master lists them all (the next comes only 10 s later).
  const auto deadline = std::chrono::steady_clock::now() + kReadyBound;
  while (field(data_.front()->cli({"INFO", "replication"}), "connected_slaves") != std::to_string(replicas)) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("the replicas did not connect");
    std::this_thread::sleep_for(kPoll);
  }
  const std::string quorum = std::to_string(sentinels / 2 + 1);
  for (int i = 0; i < sentinels; ++i) {
    RedisServerConfig config;
    config.sentinel_config = std::string("sentinel monitor ") + kMasterName + " 127.0.0.1 " + master + " " + quorum +
                             "\nsentinel down-after-milliseconds " + kMasterName + " 1000" +
                             "\nsentinel failover-timeout " + kMasterName + " 5000" +
                             "\nsentinel parallel-syncs " + kMasterName + " 2\n";
    sentinels_.push_back(std::make_unique<RedisServer>(config));
  }
  wait_until_ready(data_.front()->port());
}

RedisSentinel::~RedisSentinel() {
  sentinels_.clear();  // first, so that no Sentinel fails over while the data servers stop
  data_.clear();
}

keyspace::Options RedisSentinel::options() const {
  keyspace::Options options;
  options.topology = keyspace::Topology::sentinel;
  options.master_name = kMasterName;
  for (const auto& sentinel : sentinels_) options.sentinels.push_back({sentinel->host(), sentinel->port()});
  return options;
}

std::string RedisSentinel::sentinel_cli(const std::vector<std::string>& command) const {
  return sentinels_.front()->cli(command);
}

int RedisSentinel::master_port() const {
  const std::vector<std::string> lines = lines_of(sentinel_cli({"SENTINEL", "GET-MASTER-ADDR-BY-NAME", kMasterName}));
  if (lines.size() < 2) throw std::runtime_error("the Sentinel names no master");
  return std::stoi(lines[1]);
}

std::vector<int> RedisSentinel::replica_ports() const {
  const int master = master_port();
  std::vector<int> out;
  for (const auto& server : data_) {
    if (server->port() != master) out.push_back(server->port());
  }
  return out;
}

const RedisServer& RedisSentinel::data_server(int port) const {
  for (const auto& server : data_) {
    if (server->port() == port) return *server;
  }
  throw std::runtime_error("no data server listens on port " + std::to_string(port));
}

std::string RedisSentinel::cli(const std::vector<std::string>& command) const { return cli_at(master_port(), command); }

std::string RedisSentinel::cli_at(int port, const std::vector<std::string>& command) const {
  return data_server(port).cli(command);
}

void RedisSentinel::flush_all() const {
  const std::string reply = cli({"FLUSHALL"});
  if (reply != "OK") throw std::runtime_error("FLUSHALL answered: " + reply);
}

// Ready: every Sentinel names `master_port`, which it sees as a master that is not down, with
// every replica and every other Sentinel; the master says so too, and every replica's link is up.
bool RedisSentinel::ready(int master_port) const {
  const std::string replicas = std::to_string(data_.size() - 1);
  const std::string others = std::to_string(sentinels_.size() - 1);
  for (const auto& sentinel : sentinels_) {
    const std::string master = sentinel->cli({"SENTINEL", "MASTER", kMasterName});
    if (field(master, "port") != std::to_string(master_port) || field(master, "flags") != "master" ||
        field(master, "num-slaves") != replicas || field(master, "num-other-sentinels") != others) {
      return false;
    }
  }
  const std::string role = data_server(master_port).cli({"INFO", "replication"});
  if (field(role, "role") != "master" || field(role, "connected_slaves") != replicas) return false;
  for (const auto& server : data_) {
    if (server->port() == master_port) continue;
    if (field(server->cli({"INFO", "replication"}), "master_link_status") != "up") return false;
  }
  return true;
}

void RedisSentinel::wait_until_ready(int master_port) const {
  const auto deadline = std::chrono::steady_clock::now() + kReadyBound;
  while (!ready(master_port)) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("the Sentinels did not agree on the deployment within " +
                               std::to_string(kReadyBound.count()) + " ms: " +
                               sentinel_cli({"SENTINEL", "MASTER", kMasterName}));
    }
    std::this_thread::sleep_for(kPoll);
  }
}

int RedisSentinel::failover() {
  const int old_master = master_port();
  const std::string reply = sentinel_cli({"SENTINEL", "FAILOVER", kMasterName});
  if (reply != "OK") throw std::runtime_error("SENTINEL FAILOVER answered: " + reply);
  const auto deadline = std::chrono::steady_clock::now() + kReadyBound;
  while (master_port() == old_master) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("the failover did not happen");
    std::this_thread::sleep_for(kPoll);
  }
  const int now = master_port();
  wait_until_ready(now);
  return now;
}

}  // namespace keyspace::test
