#include "keyspace_test/redis_cluster.hpp"

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "subprocess.hpp"

namespace keyspace::test {

namespace {

constexpr std::chrono::milliseconds kFormBound{30000};
constexpr std::chrono::milliseconds kPoll{50};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::vector<std::string> words_of(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

bool is_whole_dataset_command(const std::string& name) {
  return name == "FLUSHALL" || name == "FLUSHDB" || name == "CONFIG" || name == "SCRIPT";
}

}  // namespace

RedisCluster::RedisCluster(int masters, int replicas_per_master) {
  const int count = masters * (1 + replicas_per_master);
  std::vector<std::string> create{"--cluster", "create"};
  for (int i = 0; i < count; ++i) {
    RedisServerConfig config;
    config.extra_args = {"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                         "--cluster-node-timeout", "1000", "--cluster-port", std::to_string(find_free_port())};
    servers_.push_back(std::make_unique<RedisServer>(config));
    create.push_back(servers_.back()->host() + ":" + std::to_string(servers_.back()->port()));
  }
  create.insert(create.end(), {"--cluster-replicas", std::to_string(replicas_per_master), "--cluster-yes"});
  try {
    servers_.front()->cli(create);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("redis-cli --cluster create failed: ") + e.what());
  }
  wait_until_stable();
}

RedisCluster::~RedisCluster() = default;

keyspace::Options RedisCluster::options() const {
  keyspace::Options options = servers_.front()->options();
  options.topology = keyspace::Topology::cluster;
  for (const auto& server : servers_) {
    if (server->running()) options.seeds.push_back({server->host(), server->port()});
  }
  return options;
}

std::string RedisCluster::cli_at(int port, const std::vector<std::string>& command) const {
  for (const auto& server : servers_) {
    if (server->port() == port) return server->cli(command);
  }
  throw std::runtime_error("no node of the cluster listens on port " + std::to_string(port));
}

std::string RedisCluster::cli(const std::vector<std::string>& command) const {
  const std::string name = command.empty() ? "" : command.front();
  if (name == "DBSIZE" || name == "KEYS") {
    long long total = 0;
    std::string keys;
    for (const Node& node : nodes()) {
      if (!node.master) continue;
      const std::string reply = cli_at(node.port, command);
      if (name == "DBSIZE") {
        total += std::stoll(reply);
      } else if (!reply.empty()) {
        keys += (keys.empty() ? "" : "\n") + reply;
      }
    }
    return name == "DBSIZE" ? std::to_string(total) : keys;
  }
  if (is_whole_dataset_command(name)) {
    std::string first;
    bool answered = false;
    for (const Node& node : nodes()) {
      // A replica refuses writes such as FLUSHALL; it follows its master's.
      if (!node.master && (name == "FLUSHALL" || name == "FLUSHDB")) continue;
      std::string reply = cli_at(node.port, command);
      if (!answered) first = std::move(reply);
      answered = true;
    }
    return first;
  }
  // Pub/Sub: a message published on one node reaches every node's subscribers, but PUBLISH
  // counts the receivers of its own node: it goes to the master of the channel's slot, where
  // a cluster Subscription connects first. Subscribers and clients are listed from every node.
  if (name == "PUBLISH" && command.size() > 1) {
    return cli_at(master_port_for_slot(key_slot(command[1])), command);
  }
  if (name == "PUBSUB" || name == "CLIENT") {
    std::string all;
    long long killed = 0;
    const bool kill = command.size() > 1 && command[1] == "KILL";
    for (const auto& server : servers_) {
      if (!server->running()) continue;
      const std::string reply = server->cli(command);
      if (kill) {
        killed += std::stoll(reply);
      } else if (!reply.empty()) {
        all += (all.empty() ? "" : "\n") + reply;
      }
    }
    return kill ? std::to_string(killed) : all;
  }
  std::vector<std::string> following{"-c"};
  following.insert(following.end(), command.begin(), command.end());
  for (const auto& server : servers_) {
    if (server->running()) return server->cli(following);
  }
  throw std::runtime_error("no node of the cluster is running");
}

void RedisCluster::flush_all() const {
  const std::string reply = cli({"FLUSHALL"});
  if (reply != "OK") throw std::runtime_error("FLUSHALL answered: " + reply);
}

std::vector<RedisCluster::Node> RedisCluster::nodes() const {
  for (const auto& server : servers_) {
    if (!server->running()) continue;
    std::vector<Node> out;
    // <id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <epoch> <link-state> <slot>...
    for (const std::string& line : lines_of(server->cli({"CLUSTER", "NODES"}))) {
      const std::vector<std::string> words = words_of(line);
      if (words.size() < 8) continue;
      Node node;
      node.id = words[0];
      const std::size_t colon = words[1].rfind(':', words[1].find('@'));
      node.port = std::stoi(words[1].substr(colon + 1, words[1].find('@') - colon - 1));
      node.master = words[2].find("master") != std::string::npos;
      if (words[2].find("fail") != std::string::npos && words[2].find("fail?") == std::string::npos) continue;
      if (!node.master) node.master_id = words[3];
      for (std::size_t i = 8; i < words.size(); ++i) {
        if (words[i].front() == '[') continue;  // a slot being migrated or imported
        const std::size_t dash = words[i].find('-');
        const int first = std::stoi(words[i].substr(0, dash));
        node.slots.emplace_back(first, dash == std::string::npos ? first : std::stoi(words[i].substr(dash + 1)));
      }
      out.push_back(node);
    }
    return out;
  }
  throw std::runtime_error("no node of the cluster is running");
}

int RedisCluster::key_slot(const std::string& key) const { return std::stoi(cli({"CLUSTER", "KEYSLOT", key})); }

int RedisCluster::master_port_for_slot(int slot) const {
  for (const Node& node : nodes()) {
    for (const auto& [first, last] : node.slots) {
      if (slot >= first && slot <= last) return node.port;
    }
  }
  throw std::runtime_error("no master serves slot " + std::to_string(slot));
}

RedisServer& RedisCluster::server(int port) {
  for (const auto& server : servers_) {
    if (server->port() == port) return *server;
  }
  throw std::runtime_error("no node of the cluster listens on port " + std::to_string(port));
}

bool RedisCluster::stable() const {
  std::string slots;
  int running = 0;
  for (const auto& server : servers_) {
    if (server->running()) ++running;
  }
  for (const auto& server : servers_) {
    if (!server->running()) continue;
    const std::string info = server->cli({"CLUSTER", "INFO"});
    if (info.find("cluster_state:ok") == std::string::npos) return false;
    if (info.find("cluster_known_nodes:" + std::to_string(servers_.size())) == std::string::npos) return false;
    const std::string map = server->cli({"CLUSTER", "SLOTS"});
    if (slots.empty()) slots = map;
    if (map != slots) return false;
    const std::string replication = server->cli({"INFO", "replication"});
    if (replication.find("role:slave") != std::string::npos &&
        replication.find("master_link_status:up") == std::string::npos) {
      return false;
    }
  }
  return running > 0;
}

void RedisCluster::wait_until_stable() const {
  const auto deadline = std::chrono::steady_clock::now() + kFormBound;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (stable()) return;
    } catch (const std::exception&) {
      // a node busy joining may refuse a command for a moment
    }
    std::this_thread::sleep_for(kPoll);
  }
  std::string report;
  for (const auto& server : servers_) {
    try {
      report += server->cli({"CLUSTER", "NODES"}) + "\n";
    } catch (const std::exception& e) {
      report += std::string(e.what()) + "\n";
    }
  }
  throw std::runtime_error("the Redis Cluster did not become stable within " + std::to_string(kFormBound.count()) +
                           " ms; CLUSTER NODES:\n" + report);
}

}  // namespace keyspace::test
