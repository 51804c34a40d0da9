// A cluster client against a real Redis Cluster whose slots are moved under it: every redirect
// the servers send is followed, bounded, or refused as the runtime documents (docs/runtime.md,
// "Topologies").

#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/keyspace.hpp"
#include "keyspace/kinds/get_many.hpp"
#include "keyspace_test/shared_redis.hpp"
#include "slot.hpp"

namespace {

using namespace std::chrono_literals;
using keyspace::detail::ClientAccess;
using keyspace::test::RedisCluster;

constexpr keyspace::KeySpec kItem{"cluster.item", "cluster:item:{id}", 0ms};

class CountingObserver final : public keyspace::Observer {
 public:
  void on_command(const keyspace::CommandEvent& event) noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    attempts_.push_back(event.attempts);
  }
  std::vector<int> attempts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return attempts_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<int> attempts_;
};

class ClusterRouting : public ::testing::Test {
 protected:
  static RedisCluster& cluster() { return keyspace::test::shared_cluster(); }

  void SetUp() override { cluster().flush_all(); }

  static keyspace::Options fast_options(int max_redirects = 5) {
    keyspace::Options options = cluster().options();
    options.max_redirects = max_redirects;
    options.retry_backoff = 1ms;
    options.retry_backoff_max = 5ms;
    return options;
  }

  static std::string id_of(int port) {
    for (const RedisCluster::Node& node : cluster().nodes()) {
      if (node.port == port) return node.id;
    }
    throw std::runtime_error("no node on port " + std::to_string(port));
  }

  // Another master than the one on `port`.
  static int other_master(int port) {
    for (const RedisCluster::Node& node : cluster().nodes()) {
      if (node.master && node.port != port) return node.port;
    }
    throw std::runtime_error("the cluster has one master");
  }

  static std::vector<int> master_ports() {
    std::vector<int> out;
    for (const RedisCluster::Node& node : cluster().nodes()) {
      if (node.master) out.push_back(node.port);
    }
    return out;
  }

  static void start_migration(int slot, int from, int to) {
    const std::string s = std::to_string(slot);
    EXPECT_EQ(cluster().cli_at(to, {"CLUSTER", "SETSLOT", s, "IMPORTING", id_of(from)}), "OK");
    EXPECT_EQ(cluster().cli_at(from, {"CLUSTER", "SETSLOT", s, "MIGRATING", id_of(to)}), "OK");
  }

  static void migrate_key(int from, int to, const std::string& key) {
    EXPECT_EQ(cluster().cli_at(from, {"MIGRATE", "127.0.0.1", std::to_string(to), key, "0", "5000"}), "OK");
  }

  // Moves the slot's remaining keys, then gives the slot to `to` on every master.
  static void finish_migration(int slot, int from, int to) {
    const std::string s = std::to_string(slot);
    for (;;) {
      const std::string keys = cluster().cli_at(from, {"CLUSTER", "GETKEYSINSLOT", s, "100"});
      if (keys.empty()) break;
      std::size_t start = 0;
      while (start < keys.size()) {
        const std::size_t end = keys.find('\n', start);
        migrate_key(from, to, keys.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
    const std::string to_id = id_of(to);
    cluster().cli_at(to, {"CLUSTER", "SETSLOT", s, "NODE", to_id});
    cluster().cli_at(from, {"CLUSTER", "SETSLOT", s, "NODE", to_id});
    for (const int port : master_ports()) cluster().cli_at(port, {"CLUSTER", "SETSLOT", s, "NODE", to_id});
    cluster().wait_until_stable();
  }

  static long long get_calls(int port) {
    const std::string stats = cluster().cli_at(port, {"INFO", "commandstats"});
    const std::size_t at = stats.find("cmdstat_get:calls=");
    return at == std::string::npos ? 0 : std::stoll(stats.substr(at + 18));
  }
};

TEST_F(ClusterRouting, KeySlotsAreTheServersForHostileKeys) {
  keyspace::Client client(fast_options());
  std::mt19937 random(13);
  const std::string alphabet = std::string("{}{}ab:\x01\xff ", 11);
  for (int i = 0; i < 300; ++i) {
    std::string key;
    const int length = static_cast<int>(random() % 12);
    for (int k = 0; k < length; ++k) key += alphabet[random() % alphabet.size()];
    const keyspace::Reply slot = ClientAccess::execute(client, kItem, "keyslot", {"CLUSTER", "KEYSLOT", key});
    EXPECT_EQ(slot.integer, keyspace::detail::key_slot(key)) << "key of " << key.size() << " bytes";
  }
}

TEST_F(ClusterRouting, MovedPatchesTheSlotSoTheNextCommandGoesStraightToTheNewMaster) {
  keyspace::Client client(fast_options());
  const std::string key = "cluster:item:moved";
  const int slot = cluster().key_slot(key);
  const int from = cluster().master_port_for_slot(slot);
  const int to = other_master(from);
  ClientAccess::execute(client, kItem, "set", {"SET", key, "v1"});

  start_migration(slot, from, to);
  finish_migration(slot, from, to);
  EXPECT_EQ(ClientAccess::execute(client, kItem, "get", {"GET", key}).str, "v1");  // after one MOVED
  const long long before = get_calls(from);
  EXPECT_EQ(ClientAccess::execute(client, kItem, "get", {"GET", key}).str, "v1");
  EXPECT_EQ(get_calls(from), before) << "the second GET went to the old master";

  start_migration(slot, to, from);
  finish_migration(slot, to, from);
  EXPECT_EQ(ClientAccess::execute(client, kItem, "get", {"GET", key}).str, "v1");
}

TEST_F(ClusterRouting, AskSendsOneCommandToTheImportingNodeAndLeavesTheMapAlone) {
  keyspace::Client client(fast_options());
  const std::string stays = "cluster:item:{ask}:stays";
  const std::string arrives = "cluster:item:{ask}:arrives";
  const int slot = cluster().key_slot(stays);
  const int from = cluster().master_port_for_slot(slot);
  const int to = other_master(from);
  ClientAccess::execute(client, kItem, "set", {"SET", stays, "old"});

  start_migration(slot, from, to);
  // A new key of a migrating slot is created on the importing node (ASK, then ASKING + SET).
  ClientAccess::execute(client, kItem, "set", {"SET", arrives, "new"});
  EXPECT_EQ(cluster().cli_at(to, {"CLUSTER", "COUNTKEYSINSLOT", std::to_string(slot)}), "1");
  EXPECT_EQ(ClientAccess::execute(client, kItem, "get", {"GET", arrives}).str, "new");
  // The slot is still the old master's: a key it holds is served there, without a redirect.
  const long long before = get_calls(from);
  EXPECT_EQ(ClientAccess::execute(client, kItem, "get", {"GET", stays}).str, "old");
  EXPECT_EQ(get_calls(from), before + 1);

  finish_migration(slot, from, to);
  EXPECT_EQ(ClientAccess::execute(client, kItem, "get", {"GET", stays}).str, "old");
  start_migration(slot, to, from);
  finish_migration(slot, to, from);
}

TEST_F(ClusterRouting, ARedirectLoopEndsInAClusterErrorNamingTheTemplate) {
  keyspace::Client client(fast_options(3));
  const std::string key = "cluster:item:loop";
  const int slot = cluster().key_slot(key);
  const int from = cluster().master_port_for_slot(slot);
  const int to = other_master(from);
  // Migrating on the owner but not importing on the target: the owner says ASK, the target
  // says MOVED back, for ever.
  EXPECT_EQ(cluster().cli_at(from, {"CLUSTER", "SETSLOT", std::to_string(slot), "MIGRATING", id_of(to)}), "OK");
  try {
    ClientAccess::execute(client, kItem, "get", {"GET", key});
    ADD_FAILURE() << "GET was served through a redirect loop";
  } catch (const keyspace::ClusterError& e) {
    EXPECT_EQ(e.key_template(), kItem.key_template);
    EXPECT_NE(std::string(e.what()).find("3 redirects"), std::string::npos) << e.what();
  }
  EXPECT_EQ(cluster().cli_at(from, {"CLUSTER", "SETSLOT", std::to_string(slot), "STABLE"}), "OK");
  cluster().wait_until_stable();
  EXPECT_TRUE(ClientAccess::execute(client, kItem, "get", {"GET", key}).is_nil());
}

TEST_F(ClusterRouting, TryagainIsRetriedBoundedAndTheSameCallWorksOnceTheSlotSettles) {
  keyspace::Client client(fast_options(2));
  const std::vector<std::string> keys{"cluster:item:{try}:a", "cluster:item:{try}:b"};
  const int slot = cluster().key_slot(keys[0]);
  const int from = cluster().master_port_for_slot(slot);
  const int to = other_master(from);
  for (const std::string& key : keys) ClientAccess::execute(client, kItem, "set", {"SET", key, key});

  start_migration(slot, from, to);
  migrate_key(from, to, keys[1]);
  // MGET of a key that is here and one that left: TRYAGAIN while the slot is migrating.
  EXPECT_THROW(keyspace::ops::get_many_raw(client, kItem, keys), keyspace::ClusterError);

  finish_migration(slot, from, to);
  const auto values = keyspace::ops::get_many_raw(client, kItem, keys);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0], keys[0]);
  EXPECT_EQ(values[1], keys[1]);
  start_migration(slot, to, from);
  finish_migration(slot, to, from);
}

TEST_F(ClusterRouting, AnUnservedSlotIsAClusterErrorUntilAMasterTakesItAgain) {
  keyspace::Client client(fast_options(2));
  const std::string key = "cluster:item:down";
  const int slot = cluster().key_slot(key);
  const int owner = cluster().master_port_for_slot(slot);
  ClientAccess::execute(client, kItem, "set", {"SET", key, "v"});

  for (const RedisCluster::Node& node : cluster().nodes()) {
    cluster().cli_at(node.port, {"CLUSTER", "DELSLOTS", std::to_string(slot)});
  }
  // CLUSTERDOWN: retried, the map read again (no node serves the slot), then ClusterError.
  EXPECT_THROW(ClientAccess::execute(client, kItem, "get", {"GET", key}), keyspace::ClusterError);

  EXPECT_EQ(cluster().cli_at(owner, {"CLUSTER", "ADDSLOTS", std::to_string(slot)}), "OK");
  cluster().wait_until_stable();
  std::this_thread::sleep_for(250ms);  // past the client's 200 ms cooldown between slot map reads
  EXPECT_EQ(ClientAccess::execute(client, kItem, "get", {"GET", key}).str, "v");
}

TEST_F(ClusterRouting, CrossSlotIsAnErrorReplyAndNeverRetried) {
  auto observer = std::make_shared<CountingObserver>();
  keyspace::Options options = fast_options();
  options.observer = observer;
  keyspace::Client client(options);
  ASSERT_NE(keyspace::detail::key_slot("cluster:item:a"), keyspace::detail::key_slot("cluster:item:b"));
  EXPECT_THROW(ClientAccess::execute(client, kItem, "mget", {"MGET", "cluster:item:a", "cluster:item:b"}),
               keyspace::CommandError);
  EXPECT_EQ(observer->attempts(), std::vector<int>{1});
}

TEST_F(ClusterRouting, ReadsFromReplicasAreServedByAReplicaOfTheSlot) {
  keyspace::Options options = fast_options();
  options.read_from_replicas = true;
  keyspace::Client client(options);
  const std::string key = "cluster:item:replicated";
  const int slot = cluster().key_slot(key);
  const int master = cluster().master_port_for_slot(slot);
  std::vector<int> replicas;
  const std::string master_id = id_of(master);
  for (const RedisCluster::Node& node : cluster().nodes()) {
    if (!node.master && node.master_id == master_id) replicas.push_back(node.port);
  }
  ASSERT_FALSE(replicas.empty());
  ClientAccess::execute(client, kItem, "set", {"SET", key, "v"});  // a write: the master
  // Replication is asynchronous: WAIT until the replicas have the write.
  EXPECT_EQ(cluster().cli_at(master, {"WAIT", std::to_string(replicas.size()), "2000"}), std::to_string(replicas.size()));
  long long before = 0;
  for (const int port : replicas) before += get_calls(port);
  const long long master_before = get_calls(master);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(ClientAccess::execute(client, kItem, "get", {"GET", key}).str, "v");
  long long after = 0;
  for (const int port : replicas) after += get_calls(port);
  EXPECT_EQ(after - before, 4);
  EXPECT_EQ(get_calls(master), master_before);
}

TEST_F(ClusterRouting, GetManyAndBatchesSpreadOverEveryMasterComeBackInOrder) {
  keyspace::Client client(fast_options());
  std::vector<std::string> keys;
  for (int i = 0; i < 100; ++i) keys.push_back("cluster:item:" + std::to_string(i));
  keyspace::Batch batch(client);
  std::vector<keyspace::Pending<void>> writes;
  for (const std::string& key : keys) writes.push_back(keyspace::ops::queue_set_raw(batch, kItem, key, key + "!"));
  batch.execute();
  for (const auto& write : writes) EXPECT_NO_THROW(write.get());
  EXPECT_EQ(cluster().cli({"DBSIZE"}), "100");
  for (const int port : master_ports()) {
    EXPECT_NE(cluster().cli_at(port, {"DBSIZE"}), "0") << "no key on the master on port " << port;
  }
  keys.insert(keys.begin() + 50, "cluster:item:missing");
  const auto values = keyspace::ops::get_many_raw(client, kItem, keys);
  ASSERT_EQ(values.size(), keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i == 50) {
      EXPECT_EQ(values[i], std::nullopt);
    } else {
      EXPECT_EQ(values[i], keys[i] + "!");
    }
  }
  EXPECT_EQ(keyspace::ops::delete_all(client, kItem, "cluster:item:*", {}), 100);
  EXPECT_EQ(cluster().cli({"DBSIZE"}), "0");
}

}  // namespace
