#include "keyspace/client.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "connection.hpp"
#include "keyspace/detail/escape.hpp"
#include "keyspace/errors.hpp"
#include "retry.hpp"

namespace keyspace {

using detail::Connection;
using detail::Context;

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// A server that requires a password answers NOAUTH to every command of an unauthenticated
// connection; that is a credentials problem, not a problem of the command.
[[noreturn]] void throw_error_reply(const Context& context, std::string_view error) {
  const std::string message = fmt::format("{}: Redis answered: {}", detail::describe(context), error);
  if (starts_with(error, "NOAUTH") || starts_with(error, "WRONGPASS")) {
    throw AuthError(message, context.key_template);
  }
  throw CommandError(message, context.key_template);
}

RawReply checked(const Context& context, RawReply reply) {
  if (reply.type() == Reply::Type::error) throw_error_reply(context, reply.str());
  return reply;
}

// Whether each ':'-separated segment of `prefix` is a non-empty clean segment.
bool clean_segments(std::string_view prefix) {
  for (std::size_t start = 0;;) {
    const std::size_t colon = prefix.find(':', start);
    const std::string_view segment = prefix.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    if (segment.empty() || escape_segment(segment) != segment) return false;
    if (colon == std::string_view::npos) return true;
    start = colon + 1;
  }
}

// The prefixes become part of every key, so they must be clean segments: an environment holding
// ':' or glob characters could make keys of one environment match patterns of another.
void validate(const Options& options) {
  if (options.pool_size == 0) throw ConfigError("Options::pool_size must be at least 1");
  if (options.retry_attempts < 0) throw ConfigError("Options::retry_attempts must not be negative");
  if (options.connect_attempts < 1) throw ConfigError("Options::connect_attempts must be at least 1");
  if (escape_segment(options.environment) != options.environment) {
    throw ConfigError(
        fmt::format("environment '{}' contains characters that are not allowed in "
                    "a key segment",
                    options.environment));
  }
  if (!options.key_prefix.empty() && !clean_segments(options.key_prefix)) {
    throw ConfigError(fmt::format("key prefix '{}' must be ':'-separated key segments, none empty, without "
                                  "'%', '{{', '}}', glob characters, whitespace or control bytes",
                                  options.key_prefix));
  }
}

std::string key_prefix_of(const Options& options) {
  std::string out = options.key_prefix.empty() ? "" : options.key_prefix + ":";
  if (!options.environment.empty()) out += options.environment + ":";
  return out;
}

// The pool: connections are opened lazily up to pool_size; a caller that finds none idle and
// the pool full waits up to pool_wait. Connections are only ever used by one thread at a time.
// Idle connections are handed out most recently used first and checked for a close by the
// server on the way out (one non-blocking peek when idle for 1 ms or more), so a restarted
// server costs no failed command.
class Pool {
 public:
  explicit Pool(Options options)
      : options_(std::move(options)), endpoint_(detail::describe_endpoint(options_)) {
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
      return Connection::open(options_, context);
    } catch (...) {
      give_back_slot();
      throw;
    }
  }

  // A connection that saw an I/O error or timeout may still have a reply in flight; it is
  // closed instead of being returned, and its slot is freed for a fresh connection.
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
                                    detail::describe(context), options_.pool_size, endpoint_,
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
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // idle + leased + being opened
};

// Holds one pooled connection for the duration of one operation.
class Lease {
 public:
  Lease(Pool& pool, const Context& context) : pool_(pool), connection_(pool.acquire(context)) {}
  ~Lease() { pool_.release(std::move(connection_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  RawReply command(CommandArgs args, const Context& context) { return connection_->command(args, context); }
  std::vector<RawReply> pipeline(std::string_view commands, std::size_t count, const Context& context) {
    return connection_->pipeline(commands, count, context);
  }
  void set_timeout(std::chrono::milliseconds timeout, const Context& context) {
    connection_->set_timeout(timeout, context);
  }

 private:
  Pool& pool_;
  std::unique_ptr<Connection> connection_;
};

Reply run_script_on(Lease& lease, const Context& context, const Script& script, CommandArgs keys,
                    CommandArgs args) {
  std::string sha = script.sha();
  if (sha.empty()) {
    sha = std::string(checked(context, lease.command({"SCRIPT", "LOAD", script.source()}, context)).str());
    script.set_sha(sha);
  }
  const std::string key_count = std::to_string(keys.size());
  std::vector<std::string_view> argv{"EVALSHA", sha, key_count};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  RawReply reply = lease.command(argv, context);
  if (reply.type() == Reply::Type::error && starts_with(reply.str(), "NOSCRIPT")) {
    // The server lost its script cache (restart, SCRIPT FLUSH, failover). EVAL runs the
    // source and caches it again under the same SHA, so later calls use EVALSHA again.
    argv[0] = "EVAL";
    argv[1] = script.source();
    reply = lease.command(argv, context);
  }
  return checked(context, std::move(reply)).copy();
}

// What the observer hears about a failure; see observer.hpp.
CommandOutcome outcome_of(std::exception_ptr error) noexcept {
  try {
    std::rethrow_exception(error);
  } catch (const CommandError&) {
    return CommandOutcome::error_reply;
  } catch (const TimeoutError&) {
    return CommandOutcome::timeout;
  } catch (...) {
    return CommandOutcome::connection_error;
  }
}

}  // namespace

struct Client::Impl {
  explicit Impl(Options options)
      : key_prefix(key_prefix_of(options)),
        pool(std::move(options)) {}

  // Runs `attempt(context)` once, or again after a ConnectionError / TimeoutError (PoolTimeout
  // and AuthError excluded) when `retryable`, then tells the observer. Without an observer and
  // without a failure this is one null check and one call.
  template <typename Attempt>
  auto run(Context context, bool retryable, Attempt&& attempt) {
    Observer* const observer = pool.options().observer.get();
    const auto started = observer != nullptr ? std::chrono::steady_clock::now()
                                             : std::chrono::steady_clock::time_point();
    try {
      auto reply = with_retries(context, retryable, attempt);
      if (observer != nullptr) report(*observer, context, started, CommandOutcome::ok);
      return reply;
    } catch (...) {
      if (observer != nullptr) report(*observer, context, started, outcome_of(std::current_exception()));
      throw;
    }
  }

  template <typename Attempt>
  auto with_retries(Context& context, bool retryable, Attempt& attempt) -> decltype(attempt(context)) {
    const Options& options = pool.options();
    const int last = retryable ? options.retry_attempts + 1 : 1;
    for (;; ++context.attempt) {
      try {
        return attempt(context);
      } catch (const PoolTimeout&) {
        throw;  // the pool is busy, not broken: another attempt would only wait again
      } catch (const AuthError&) {
        throw;  // the credentials will not get better
      } catch (const ConnectionError&) {
        if (context.attempt >= last) throw;
      }
      std::this_thread::sleep_for(
          detail::retry_backoff(context.attempt - 1, options.retry_backoff, options.retry_backoff_max));
    }
  }

  static void report(Observer& observer, const Context& context,
                     std::chrono::steady_clock::time_point started, CommandOutcome outcome) noexcept {
    CommandEvent event;
    event.key_name = context.name;
    event.key_template = context.key_template;
    event.op = context.op;
    event.latency = std::chrono::steady_clock::now() - started;
    event.outcome = outcome;
    event.attempts = context.attempt;
    observer.on_command(event);
  }

  std::string key_prefix;  // "<key_prefix>:<environment>:", either part absent when empty
  Pool pool;
};

Client::Client(Options options) {
  validate(options);
  impl_ = std::make_unique<Impl>(std::move(options));
}

Client::~Client() = default;

const Options& Client::options() const noexcept { return impl_->pool.options(); }

const std::string& Client::key_prefix() const noexcept { return impl_->key_prefix; }

void Client::check_environment(std::string_view schema_name,
                               std::initializer_list<std::string_view> allowed) const {
  const std::string& environment = impl_->pool.options().environment;
  const std::string declared = fmt::format("[{}]", fmt::join(allowed, ", "));
  if (allowed.size() == 0) {
    if (environment.empty()) return;
    throw ConfigError(
        fmt::format("schema '{}' declares no environments, but the client was "
                    "configured with environment '{}'",
                    schema_name, environment));
  }
  if (environment.empty()) {
    throw ConfigError(
        fmt::format("schema '{}' requires an environment, one of {}; set "
                    "Options::environment",
                    schema_name, declared));
  }
  if (std::find(allowed.begin(), allowed.end(), environment) == allowed.end()) {
    throw ConfigError(fmt::format("environment '{}' is not declared by schema '{}' (one of {})",
                                  environment, schema_name, declared));
  }
}

Reply Client::execute(const KeySpec& spec, std::string_view op, CommandArgs args) {
  return execute_raw(spec, op, args).copy();
}

RawReply Client::execute_raw(const KeySpec& spec, std::string_view op, CommandArgs args) {
  const bool read = !args.empty() && detail::is_idempotent_read(args.front());
  return impl_->run({spec.name, spec.key_template, op}, read, [&](const Context& context) {
    Lease lease(impl_->pool, context);
    return checked(context, lease.command(args, context));
  });
}

// Never retried: a blocking pop or group read changes the server's state when it answers.
Reply Client::execute_blocking(const KeySpec& spec, std::string_view op, CommandArgs args,
                               std::chrono::milliseconds block) {
  return impl_->run({spec.name, spec.key_template, op}, false, [&](const Context& context) {
    Lease lease(impl_->pool, context);
    const std::chrono::milliseconds normal = impl_->pool.options().command_timeout;
    lease.set_timeout(normal.count() == 0 ? normal : block + normal, context);
    RawReply reply = lease.command(args, context);
    lease.set_timeout(normal, context);
    return checked(context, std::move(reply)).copy();
  });
}

std::vector<RawReply> Client::execute_pipeline(const KeySpec& spec, std::string_view op, std::string_view commands,
                                               std::size_t count) {
  return impl_->run({spec.name, spec.key_template, op}, false, [&](const Context& context) {
    Lease lease(impl_->pool, context);
    return lease.pipeline(commands, count, context);
  });
}

void Client::report_cache(const KeySpec& spec, CacheOutcome outcome) const noexcept {
  if (Observer* observer = impl_->pool.options().observer.get()) observer->on_cache(spec, outcome);
}

// Never retried: scripts write (locks, rate limits, queues), and a script whose connection
// broke may have run.
Reply Client::run_script(const KeySpec& spec, std::string_view op, const Script& script, CommandArgs keys,
                         CommandArgs args) {
  return impl_->run({spec.name, spec.key_template, op}, false, [&](const Context& context) {
    Lease lease(impl_->pool, context);
    return run_script_on(lease, context, script, keys, args);
  });
}

PoolStats Client::pool_stats() const noexcept { return impl_->pool.stats(); }

void Client::connect() {
  const Options& options = impl_->pool.options();
  for (int attempt = 1;; ++attempt) {
    try {
      ping();
      return;
    } catch (const PoolTimeout&) {
      throw;
    } catch (const AuthError&) {
      throw;  // the credentials will not get better
    } catch (const ConnectionError&) {
      if (attempt >= options.connect_attempts) throw;
    }
    std::this_thread::sleep_for(options.connect_retry_delay);
  }
}

void Client::ping() {
  impl_->run({{}, {}, "ping"}, true, [&](const Context& context) {
    Lease lease(impl_->pool, context);
    checked(context, lease.command({"PING"}, context));
    return true;
  });
}

}  // namespace keyspace
