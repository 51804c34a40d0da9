#pragma once
// What Client::health() reports for a /health endpoint: whether the server answers and how
// fast, what INFO says about it, the pool's own figures, and warnings about a server
// configuration the schema's keys cannot live with (docs/runtime.md, "Health").

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keyspace {

struct PoolStats {
  std::size_t size = 0;  // Options::pool_size: connections at most
  std::size_t open = 0;  // open now (idle, in use, or being opened)
  std::size_t idle = 0;  // open and free
};

struct Health {
  bool reachable = false;
  std::string error;  // why not, when unreachable (the ConnectionError's message)
  std::chrono::microseconds round_trip{0};  // one PING
  // From INFO; empty or 0 when the server did not say (an ACL user without +info).
  std::string redis_version;
  std::string role;                  // master, slave
  std::int64_t used_memory = 0;      // bytes
  std::int64_t maxmemory = 0;        // bytes; 0: no limit
  std::string maxmemory_policy;      // noeviction, allkeys-lru, volatile-ttl, ...
  std::int64_t connected_clients = 0;
  std::int64_t ops_per_second = 0;   // instantaneous_ops_per_sec
  std::optional<double> hit_ratio;   // keyspace_hits / (hits + misses); nullopt before any read
  PoolStats pool;
  std::vector<std::string> warnings;

  // {"reachable":true,"round_trip_us":83,...,"pool":{...},"warnings":[...]}; absent figures
  // are null.
  std::string to_json() const;
};

}  // namespace keyspace
