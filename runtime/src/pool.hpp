#pragma once
// The connection pool of one server (internal), and the lease that holds one of its
// connections for one operation. A standalone client has one pool; a cluster client one per node.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "connection.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/health.hpp"
#include "keyspace/options.hpp"

namespace keyspace::detail {

// The pool: connections are opened lazily up to pool_size; a caller that finds none idle and
// the pool full waits up to pool_wait. Connections are only ever used by one thread at a time.
// Idle connections are handed out most recently used first and checked for a close by the
// server on the way out (one non-blocking peek when idle for 1 ms or more), so a restarted
// server costs no failed command.
class Pool {
 public:
  // `handshake`: what every new connection sends after AUTH / SELECT (Connection::open).
  explicit Pool(Options options, Connection::Handshake handshake = Connection::Handshake::plain)
      : options_(std::move(options)), endpoint_(describe_endpoint(options_)), handshake_(handshake) {
    idle_.reserve(options_.pool_size);  // so that release() never allocates
  }

  const Options& options() const noexcept { return options_; }

  PoolStats stats() const noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    return {options_.pool_size, open_, idle_.size()};
  }

  std::unique_ptr<Connection> acquire(const Context& context) {
    std::optional<std::chrono::steady_clock::time_point> deadline;  // set when a caller first waits
    // Each round either returns or drops one idle connection the server has closed; the peek
    // runs outside the lock so that callers do not queue behind a system call. After more
    // rounds than the pool has connections the next one is used unchecked (a bound, not a case
    // that happens: dead connections do not come back to the idle list).
    for (std::size_t round = 0;; ++round) {
      std::unique_ptr<Connection> idle = take_idle_or_reserve(context, deadline);
      if (!idle) break;  // a slot was reserved for a new connection
      if (round > options_.pool_size || !worth_checking(*idle) || idle->usable_when_idle()) {
        return idle;
      }
      idle.reset();
      give_back_slot();
    }
    try {
      return Connection::open(options_, context, handshake_);
    } catch (...) {
      give_back_slot();
      throw;
    }
  }

  // A connection that saw an I/O error or timeout may still have a reply in flight; it is
  // closed instead of being returned, and its slot is freed for a fresh connection.
  // Closes the idle connections (those of a server that stopped being the master); the ones
  // leased now come back and are kept, for when the pool is used again.
  void drain() {
    std::vector<std::unique_ptr<Connection>> closing;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closing.swap(idle_);
      idle_.reserve(options_.pool_size);
      open_ -= closing.size();
    }
    released_.notify_all();
  }

  void release(std::unique_ptr<Connection> connection) noexcept {
    if (connection->broken()) {
      connection.reset();
      give_back_slot();
      return;
    }
    connection->idle_since = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      idle_.push_back(std::move(connection));
    }
    released_.notify_one();
  }

 private:
  // The peek is a system call (1-2 us, a visible share of a loopback round trip), so a
  // connection that was in use within the last millisecond is taken as alive: under steady
  // load connections are reused within microseconds and never peeked, and if one did die in
  // that millisecond, its command fails like one in flight (reads retried, writes reported).
  static bool worth_checking(const Connection& connection) noexcept {
    constexpr std::chrono::milliseconds kTrustedIdle{1};
    return std::chrono::steady_clock::now() - connection.idle_since >= kTrustedIdle;
  }

  // An idle connection, or null after reserving a slot for a new one; PoolTimeout when neither
  // became available before `deadline`, which is pool_wait after the first time the caller had
  // to wait (the clock is only read then: most calls find a connection at once).
  std::unique_ptr<Connection> take_idle_or_reserve(
      const Context& context, std::optional<std::chrono::steady_clock::time_point>& deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    const auto available = [&] { return !idle_.empty() || open_ < options_.pool_size; };
    if (!available()) {
      if (!deadline) deadline = std::chrono::steady_clock::now() + options_.pool_wait;
      released_.wait_until(lock, *deadline, available);
    }
    if (!available()) {
      throw PoolTimeout(fmt::format("{}: connection pool exhausted: all {} connections to {} "
                                    "stayed busy for {} ms",
                                    describe(context), options_.pool_size, endpoint_,
                                    options_.pool_wait.count()),
                        context.key_template);
    }
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;  // reserve the slot; the caller connects without holding the lock
    return nullptr;
  }

  void give_back_slot() noexcept {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --open_;
    }
    released_.notify_one();
  }

  const Options options_;
  const std::string endpoint_;
  const Connection::Handshake handshake_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // idle + leased + being opened
};

// Holds one pooled connection for the duration of one operation. A lease `asking` a cluster
// node (the target of an ASK redirect) sends ASKING in front of each command, in the same
// round trip: the node serves a slot it is importing only to the command right after ASKING.
class Lease {
 public:
  Lease(Pool& pool, const Context& context, bool asking = false)
      : pool_(pool), connection_(pool.acquire(context)), asking_(asking) {}
  ~Lease() { pool_.release(std::move(connection_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  RawReply command(CommandArgs args, const Context& context) {
    if (!asking_) return connection_->command(args, context);
    std::string commands = asking_prefix();
    append_command(commands, args);
    return std::move(connection_->pipeline(commands, 2, context).back());
  }
  std::vector<RawReply> pipeline(std::string_view commands, std::size_t count, const Context& context) {
    if (!asking_) return connection_->pipeline(commands, count, context);
    std::string prefixed = asking_prefix();
    prefixed += commands;
    std::vector<RawReply> replies = connection_->pipeline(prefixed, count + 1, context);
    replies.erase(replies.begin());
    return replies;
  }
  // A pipeline in two halves (Connection::send / receive); not for an ASKING lease.
  void send(std::string_view commands, const Context& context) { connection_->send(commands, context); }
  std::vector<RawReply> receive(std::size_t count, const Context& context) {
    return connection_->receive(count, context);
  }
  void abandon() noexcept { connection_->abandon(); }
  void set_timeout(std::chrono::milliseconds timeout, const Context& context) {
    connection_->set_timeout(timeout, context);
  }

 private:
  static std::string asking_prefix() {
    std::string out;
    append_command(out, {"ASKING"});
    return out;
  }

  Pool& pool_;
  std::unique_ptr<Connection> connection_;
  bool asking_;
};

}  // namespace keyspace::detail
