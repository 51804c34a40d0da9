#pragma once
// Connection settings of a keyspace::Client.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "keyspace/observer.hpp"

namespace keyspace {

// A server's TCP address.
struct Address {
  std::string host;
  int port = 6379;
};

// What the client talks to (docs/runtime.md, "Topologies"). The generated API is the same for
// all of them.
enum class Topology {
  standalone,  // one server: host/port or unix_socket
  cluster,     // a Redis Cluster: commands are routed by key slot to the node that owns it
  sentinel,    // a master with replicas watched by Redis Sentinels, which name the master
};

struct Options {
  Topology topology = Topology::standalone;
  // Cluster: the nodes the client learns the slot map from (CLUSTER SLOTS), tried in order; any
  // node of the cluster will do. When empty, host/port is the only seed.
  std::vector<Address> seeds;
  // Cluster: how often the slot map is read again while nothing suggests it changed, and how
  // many MOVED / ASK redirects one command follows before it fails with a ClusterError.
  std::chrono::milliseconds cluster_refresh_interval{30000};
  int max_redirects = 5;
  // Cluster: idempotent reads of one key (GET, HGET, ...; not scripts or batches) go to a
  // replica of the key's slot, each in turn, over READONLY connections. Replication is
  // asynchronous: such a read may not see a write the master acknowledged a moment ago
  // (usually milliseconds behind, more under load or while a replica resyncs). Off by default.
  bool read_from_replicas = false;
  // Sentinel: the Sentinels asked for the address of the master named `master_name`
  // (SENTINEL GET-MASTER-ADDR-BY-NAME), tried in order from the one that answered last. Every
  // new connection to the master confirms it with ROLE. The client follows +switch-master, and
  // asks again after a connection error or a READONLY reply (the old master, demoted).
  // With read_from_replicas, reads go to the replicas the Sentinels do not flag as down or
  // disconnected, each in turn (the same staleness as above). `sentinel_password` is AUTH for
  // the Sentinels (empty: none); `password`/`username` are the data servers'.
  std::vector<Address> sentinels;
  std::string master_name;
  std::string sentinel_password;

  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_socket;  // when set, host and port are ignored
  std::string username;     // ACL user; empty means the default user
  std::string password;     // empty means no AUTH
  int db = 0;               // SELECTed on every new connection when non-zero
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{1000};
  // Environment name; every key gets the prefix "<environment>:". Generated keyspaces check it
  // against the schema's `environments` when they are constructed.
  std::string environment;
  // A prefix before the environment, for deployments that share one Redis among applications
  // or tenants: every key gets "<key_prefix>:" first ("tenant-7:prod:profile:user:42"). One or
  // more ':'-separated segments of the characters a parameter value keeps unescaped.
  std::string key_prefix;
  std::size_t pool_size = 8;                   // connections kept open at most
  std::chrono::milliseconds pool_wait{1000};   // how long a caller waits for a free connection
  // Told about every command and cache read (see observer.hpp); shared, may be null.
  std::shared_ptr<Observer> observer;
  // Retries of idempotent reads (docs/runtime.md). A read-only command (GET, EXISTS, PTTL,
  // HGETALL, ZRANGE, PING, ... — an allowlist inside the Client, decided by the command name)
  // that fails with ConnectionError or TimeoutError is sent again, at most `retry_attempts`
  // more times, after a sleep drawn uniformly from [0, min(retry_backoff_max,
  // retry_backoff * 2^n)) ("full jitter", so that many clients do not retry in lockstep).
  // Never retried: writes, scripts, blocking commands, error replies, AuthError, ConfigError
  // and PoolTimeout. A read therefore takes at most (retry_attempts + 1) command timeouts plus
  // the backoff. Zero attempts turns retries off.
  int retry_attempts = 2;
  std::chrono::milliseconds retry_backoff{10};
  std::chrono::milliseconds retry_backoff_max{100};
  // Start-up (Client::connect): the first connection is tried this many times, this far apart,
  // for a service that starts before its Redis does. Separate from the command retries above.
  int connect_attempts = 1;
  std::chrono::milliseconds connect_retry_delay{500};

  // Options from a URL (docs/runtime.md): redis://[[user]:password@]host[:port][/db] (an IPv6
  // host in brackets; user and password percent-decoded; redis://password@host is a password,
  // as redis-cli reads it) or unix://[[user]:password@]/path/to.sock[?db=N]. rediss:// is refused:
  // the runtime has no TLS (hiredis 0.14); use a TLS tunnel on loopback. The other fields are
  // those of `base`. Throws ConfigError naming what is wrong, never the password.
  static Options from_url(std::string_view url, Options base);
  static Options from_url(std::string_view url);
  // Options from the process environment: REDIS_URL (as from_url), or REDIS_HOST, REDIS_PORT,
  // REDIS_USERNAME, REDIS_PASSWORD, REDIS_DB one by one; and REDIS_KEY_PREFIX. Unset variables
  // leave `base` as it is; a malformed one throws ConfigError naming the variable.
  static Options from_env(Options base);
  static Options from_env();
};

}  // namespace keyspace
