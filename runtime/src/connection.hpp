#pragma once
// One blocking hiredis connection (internal to the runtime; never installed). It connects,
// authenticates and selects the database when opened. Commands are written by the runtime
// (resp.hpp) and sent with send(MSG_NOSIGNAL), so a server that went away can never raise
// SIGPIPE, without blocking the signal around every command; hiredis parses the replies.
// Failures are reported as keyspace exceptions; a connection that saw an I/O error or a timeout
// is broken for good and must be discarded, never reused.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "keyspace/detail/command_args.hpp"
#include "keyspace/detail/raw_reply.hpp"
#include "keyspace/detail/reply.hpp"
#include "keyspace/options.hpp"
#include "resp.hpp"

struct redisContext;

namespace keyspace::detail {

// What a failure message says about the operation that was running (empty for client-level
// work such as PING or opening a connection).
struct Context {
  std::string_view name;          // KeySpec::name
  std::string_view key_template;  // KeySpec::key_template
  std::string_view op;
  int attempt = 1;  // > 1 when an idempotent read is being retried; named in messages
};

class Connection {
 public:
  // Connects and runs AUTH / SELECT as configured; `context` is the operation that needed the
  // connection. Throws ConnectionError, TimeoutError, AuthError or ConfigError.
  // What follows AUTH / SELECT: READONLY for a cluster replica (which serves reads of its
  // master's slots only after it), or ROLE for the master a Sentinel named (a server that does
  // not answer "master" is refused with a ConnectionError: the Sentinel's answer was stale).
  enum class Handshake { plain, readonly, confirm_master };
  static std::unique_ptr<Connection> open(const Options& options, const Context& context,
                                          Handshake handshake = Handshake::plain);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends one command and returns its reply; error replies are returned, not thrown, so that
  // callers can react to specific ones (NOSCRIPT). I/O failures throw and break the connection.
  RawReply command(CommandArgs args, const Context& context);

  // Sends `count` commands, already in the Redis protocol (`commands`), before reading any reply
  // (a pipeline: one round trip) and returns their replies in order; error replies are
  // returned, I/O failures throw.
  std::vector<RawReply> pipeline(std::string_view commands, std::size_t count, const Context& context);
  // The two halves of pipeline(), for a cluster pipeline that writes to every node before it
  // reads from any. A connection whose replies will not be read must be abandon()ed.
  void send(std::string_view commands, const Context& context) { send_all(commands, context); }
  std::vector<RawReply> receive(std::size_t count, const Context& context);
  // Marks the connection broken (the pool closes it): replies are still owed on it.
  void abandon() noexcept { failed_ = true; }

  // Sets the read/write timeout of later commands (zero: no limit).
  void set_timeout(std::chrono::milliseconds timeout, const Context& context);

  bool broken() const noexcept;

  // False when an idle connection can no longer carry a command: the server closed it (restart,
  // CLIENT KILL, idle timeout), the socket failed, or unread bytes wait on it (a reply nobody
  // asked for would be taken for the answer to the next command). One non-blocking peek at the
  // socket; called by the pool before it hands out an idle connection, so that a write is never
  // sent over a connection that is already known to be dead.
  bool usable_when_idle() noexcept;

  // When the connection went back to the pool (set by the pool, read only by the thread that
  // leases it next; the pool's mutex orders the two).
  std::chrono::steady_clock::time_point idle_since;

 private:
  Connection(redisContext* context, std::string endpoint) noexcept;
  void authenticate(const Options& options, const Context& context);
  void select(int db, const Context& context);
  void confirm_master(const Context& context);
  // Sends `bytes`; throws (and breaks the connection) unless all of it was sent.
  void send_all(std::string_view bytes, const Context& context);
  RawReply receive(const Context& context);
  [[noreturn]] void throw_io_error(int saved_errno, const Context& context);
  [[noreturn]] void throw_failure(bool timed_out, std::string_view detail, const Context& context);

  redisContext* context_;
  std::string endpoint_;  // "host:port" or "unix:<path>", for messages
  CommandBuffer out_;     // the protocol text being sent; reused, so sending allocates nothing
  bool failed_ = false;   // set by every I/O failure, whatever hiredis recorded
};

// "<op> on <key name>", or just "<op>" for client-level work; the start of every message.
std::string describe(const Context& context);
// "host:port" or "unix:<path>".
std::string describe_endpoint(const Options& options);

}  // namespace keyspace::detail
