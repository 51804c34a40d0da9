#pragma once
// Connection settings of a keyspace::Client.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "keyspace/observer.hpp"

namespace keyspace {

struct Options {
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
};

}  // namespace keyspace
