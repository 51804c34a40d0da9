#pragma once
// A real redis-server for tests: the Debian binary, started on a free loopback port with a
// private temporary directory, and stopped (and its directory removed) by the destructor.
// No persistence, no daemonizing; DEBUG is enabled for local clients so that tests can make
// the server slow on purpose (DEBUG SLEEP). The server also gets SIGTERM when the thread that
// started it exits (so a crashed test binary leaves no server behind): create RedisServer
// objects on the test's main thread.

#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

#include "keyspace/options.hpp"

namespace keyspace::test {

struct RedisServerConfig {
  std::string password;                 // --requirepass; also used by cli()
  bool unix_socket = false;             // also listen on <dir>/redis.sock
  std::vector<std::string> extra_args;  // appended to the command line as is
  // When set, the server runs as a Redis Sentinel (--sentinel) with these lines as its config
  // file (<dir>/sentinel.conf, which the Sentinel rewrites as it learns the deployment).
  std::string sentinel_config;
};

class RedisServer {
 public:
  // Throws std::runtime_error (with the server's log) when redis-server is missing or does not
  // answer PING within a few seconds.
  explicit RedisServer(RedisServerConfig config = {});
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  const std::string& host() const noexcept { return host_; }
  int port() const noexcept { return port_; }
  // Path of the unix socket; empty unless RedisServerConfig::unix_socket was set.
  const std::string& unix_socket() const noexcept { return unix_socket_; }
  const std::filesystem::path& dir() const noexcept { return dir_; }

  // Options of a keyspace::Client talking to this server over TCP (password included).
  keyspace::Options options() const;

  // Runs one command through redis-cli (a client independent of the code under test) and
  // returns its raw output without the final newline. Throws when redis-cli fails.
  std::string cli(const std::vector<std::string>& command) const;
  void flush_all() const;

  // Stops the server now (SIGTERM, then SIGKILL); the destructor then only cleans up.
  void stop() noexcept;
  // Kills the server with SIGKILL (a crash: no shutdown, clients see their sockets reset or
  // closed by the kernel) and waits for it to exit.
  void kill() noexcept;
  // Starts the stopped server again on the same port and directory (an empty dataset: there
  // is no persistence); returns once it answers PING. Call from the thread that created the
  // server. Throws std::runtime_error when it does not come back.
  void start();
  // stop() then start(): what a client sees when the server is restarted under it.
  void restart();
  bool running() const noexcept { return pid_ > 0; }

 private:
  bool try_start(const std::string& binary);
  bool start_on_port(const std::string& binary);
  std::vector<std::string> command_line(const std::string& binary) const;
  std::string log_tail() const;

  RedisServerConfig config_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  std::string unix_socket_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  std::string binary_;
};

// A free TCP port on 127.0.0.1 at the time of the call (the OS picks it).
int find_free_port();

}  // namespace keyspace::test
