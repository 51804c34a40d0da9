#pragma once
// keyspace::Client: a thread-safe connection to one Redis server (a small pool of hiredis
// connections), or to a Redis Cluster (a pool per node, commands routed by key slot). Generated accessors hold a reference to a Client; many accessors and threads
// may share one.
//
// Failure handling (docs/runtime.md has the whole story):
// - a connection that saw an I/O error or a timeout is closed, never reused; idle connections
//   the server closed (restart, CLIENT KILL) are noticed and dropped before they are used
//   (checked when idle for 1 ms or more), so after a restart commands go over fresh
//   connections without failing first;
// - idempotent reads are retried on ConnectionError / TimeoutError (Options::retry_attempts);
//   writes, scripts and blocking commands are sent once and fail with the typed error;
// - every command is reported to Options::observer (one null check when there is none).

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "keyspace/detail/command_args.hpp"
#include "keyspace/detail/pipeline_layout.hpp"
#include "keyspace/detail/raw_reply.hpp"
#include "keyspace/detail/reply.hpp"
#include "keyspace/detail/script.hpp"
#include "keyspace/health.hpp"
#include "keyspace/key_spec.hpp"
#include "keyspace/observer.hpp"
#include "keyspace/options.hpp"

namespace keyspace {

namespace detail {
struct ClientAccess;
}  // namespace detail

class Client {
 public:
  explicit Client(Options options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const Options& options() const noexcept;
  // "<key_prefix>:<environment>:" (either part absent when empty); prepended to every key.
  const std::string& key_prefix() const noexcept;

  // Throws ConfigError unless the client's environment is one of `allowed` (or both are empty).
  void check_environment(std::string_view schema_name,
                         std::initializer_list<std::string_view> allowed) const;

  // Round trip to the server (PING, retried like a read), for health checks; throws
  // ConnectionError when it is unreachable.
  void ping();

  // The server and the pool for a /health endpoint; never throws for an unreachable server
  // (reachable is false, error says why). `eviction_sensitive` names the key templates whose
  // loss breaks a guarantee (locks, rate limits: generated Keyspace::health() passes the
  // schema's); a maxmemory-policy that may evict them is a warning, as is memory near maxmemory.
  Health health(std::initializer_list<std::string_view> eviction_sensitive = {});
  PoolStats pool_stats() const noexcept;

  // For start-up: opens a connection now (connections are otherwise opened by the first
  // command), trying Options::connect_attempts times, Options::connect_retry_delay apart, so a
  // service may start before its Redis. Throws the last ConnectionError / TimeoutError, or
  // AuthError at once.
  void connect();

 private:
  friend struct detail::ClientAccess;  // the kinds' operations send their commands through it

  // Sends one command. `spec` names the key template in errors; `op` names the operation.
  // Error replies throw CommandError; I/O failures throw ConnectionError / TimeoutError.
  // Read-only commands (by name, see Options::retry_attempts) are retried; others are not.
  Reply execute(const KeySpec& spec, std::string_view op, CommandArgs args);
  // The same, with the reply read in place instead of copied (the hot path of a value's get).
  RawReply execute_raw(const KeySpec& spec, std::string_view op, CommandArgs args);

  // Sends a command that blocks on the server for up to `block` (BLMOVE, XREADGROUP BLOCK ...):
  // the connection's timeout for it is `block` plus the command timeout, so the client never
  // gives up before the server answers.
  Reply execute_blocking(const KeySpec& spec, std::string_view op, CommandArgs args,
                         std::chrono::milliseconds block);

  // Sends `count` commands, written in the Redis protocol in `commands`, in one round trip on
  // one connection (a pipeline) and returns one reply per command, in order, as hiredis parsed
  // it. Error replies are returned, not thrown: each belongs to its own operation
  // (keyspace::Batch). I/O failures throw ConnectionError / TimeoutError and are never retried,
  // since some of the commands may have run. `spec` and `op` name the batch for the observer
  // and in errors. In a cluster, `layout` says where each command goes: the commands are sent
  // as one pipeline per node, and those a node redirected go again one by one.
  std::vector<RawReply> execute_pipeline(const KeySpec& spec, std::string_view op, std::string_view commands,
                                         std::size_t count, const detail::PipelineLayout& layout);

  // The masters of a cluster (of the current slot map), for commands that walk the whole
  // keyspace (SCAN); empty for a standalone server, where execute() reaches every key.
  std::vector<Address> cluster_masters();
  // The master of a cluster serving `key`'s slot (reading the slot map when needed), or the
  // master the Sentinels name.
  Address cluster_node_of(const KeySpec& spec, std::string_view key);
  // Runs `args` on the cluster node at `address` as execute() does, following no redirect.
  Reply execute_at(const Address& address, const KeySpec& spec, std::string_view op, CommandArgs args);

  // Reports the outcome of a cache read to the observer (Options::observer), if any.
  void report_cache(const KeySpec& spec, CacheOutcome outcome) const noexcept;

  // Runs `script` with EVALSHA (EVAL after NOSCRIPT) on the given keys and arguments.
  Reply run_script(const KeySpec& spec, std::string_view op, const Script& script, CommandArgs keys,
                   CommandArgs args);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace keyspace
