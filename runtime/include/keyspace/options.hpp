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
};

}  // namespace keyspace
