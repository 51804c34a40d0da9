#pragma once
// Shared by the runtime benchmarks: the server to talk to, the sample value, and the raw hiredis
// baseline that sends the very same command bytes as the typed accessor.
#include <cstddef>
#include <optional>
#include <string>

#include <hiredis/hiredis.h>

#include "bench/keyspace.hpp"

namespace bench {

// The loopback server bench/run started (KEYSPACE_BENCH_PORT; 6379 when unset).
int redis_port();
keyspace::Options client_options(std::size_t pool_size);
// The loopback Redis Cluster bench/run started (KEYSPACE_BENCH_CLUSTER_PORTS, its masters'
// ports, comma-separated); nullopt when there is none.
std::optional<keyspace::Options> cluster_options(std::size_t pool_size);
bench_keys::Product sample_product();

// One hiredis connection used the way the runtime uses it: redisCommandArgv, one reply at a time.
class RawConnection {
 public:
  RawConnection();
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // SET key bytes PX ttl_ms: the command the typed set() sends.
  void set(const std::string& key, const std::string& bytes, const std::string& ttl_ms);
  // GET key; returns the length of the value (no decoding: that is the typed layer's work).
  std::size_t get(const std::string& key);

 private:
  redisReply* command(int argc, const char** argv, const std::size_t* lens);
  redisContext* context_;
};

}  // namespace bench
