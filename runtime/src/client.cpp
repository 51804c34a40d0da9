#include "keyspace/client.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "connection.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/escape.hpp"

namespace keyspace {

using detail::Connection;
using detail::Context;

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// A server that requires a password answers NOAUTH to every command of an unauthenticated
// connection; that is a credentials problem, not a problem of the command.
[[noreturn]] void throw_error_reply(const Context& context, const Reply& reply) {
  const std::string message =
      fmt::format("{}: Redis answered: {}", detail::describe(context), reply.str);
  if (starts_with(reply.str, "NOAUTH") || starts_with(reply.str, "WRONGPASS")) {
    throw AuthError(message, context.key_template);
  }
  throw CommandError(message, context.key_template);
}

Reply checked(const Context& context, Reply reply) {
  if (reply.type == Reply::Type::error) throw_error_reply(context, reply);
  return reply;
}

// The prefix becomes part of every key, so it must be a clean segment: an environment holding
// ':' or glob characters could make keys of one environment match patterns of another.
void validate(const Options& options) {
  if (options.pool_size == 0) throw ConfigError("Options::pool_size must be at least 1");
  if (escape_segment(options.environment) != options.environment) {
    throw ConfigError(
        fmt::format("environment '{}' contains characters that are not allowed in "
                    "a key segment",
                    options.environment));
  }
}

// The pool: connections are opened lazily up to pool_size; a caller that finds none idle and
// the pool full waits up to pool_wait. Connections are only ever used by one thread at a time.
class Pool {
 public:
  explicit Pool(Options options)
      : options_(std::move(options)), endpoint_(detail::describe_endpoint(options_)) {
    idle_.reserve(options_.pool_size);  // so that release() never allocates
  }

  const Options& options() const noexcept { return options_; }

  std::unique_ptr<Connection> acquire(const Context& context) {
    std::unique_lock<std::mutex> lock(mutex_);
    const bool ready = released_.wait_for(
        lock, options_.pool_wait, [&] { return !idle_.empty() || open_ < options_.pool_size; });
    if (!ready) {
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
    ++open_;  // reserve the slot, then connect without holding the lock
    lock.unlock();
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
    {
      std::lock_guard<std::mutex> lock(mutex_);
      idle_.push_back(std::move(connection));
    }
    released_.notify_one();
  }

 private:
  void give_back_slot() noexcept {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --open_;
    }
    released_.notify_one();
  }

  const Options options_;
  const std::string endpoint_;
  std::mutex mutex_;
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

  Reply command(const std::vector<std::string_view>& args, const Context& context) {
    return connection_->command(args, context);
  }
  void set_timeout(std::chrono::milliseconds timeout, const Context& context) {
    connection_->set_timeout(timeout, context);
  }

 private:
  Pool& pool_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace

struct Client::Impl {
  explicit Impl(Options options)
      : key_prefix(options.environment.empty() ? "" : options.environment + ":"),
        pool(std::move(options)) {}

  std::string key_prefix;  // "<environment>:" or empty
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

Reply Client::execute(const KeySpec& spec, std::string_view op,
                      const std::vector<std::string_view>& args) {
  const Context context{spec.name, spec.key_template, op};
  Lease lease(impl_->pool, context);
  return checked(context, lease.command(args, context));
}

Reply Client::execute_blocking(const KeySpec& spec, std::string_view op, const std::vector<std::string_view>& args,
                              std::chrono::milliseconds block) {
  const Context context{spec.name, spec.key_template, op};
  Lease lease(impl_->pool, context);
  const std::chrono::milliseconds normal = impl_->pool.options().command_timeout;
  lease.set_timeout(normal.count() == 0 ? normal : block + normal, context);
  Reply reply = lease.command(args, context);
  lease.set_timeout(normal, context);
  return checked(context, std::move(reply));
}

void Client::report_cache(const KeySpec& spec, CacheOutcome outcome) const noexcept {
  if (Observer* observer = impl_->pool.options().observer.get()) observer->on_cache(spec, outcome);
}

Reply Client::run_script(const KeySpec& spec, std::string_view op, const Script& script,
                         const std::vector<std::string_view>& keys,
                         const std::vector<std::string_view>& args) {
  const Context context{spec.name, spec.key_template, op};
  Lease lease(impl_->pool, context);
  std::string sha = script.sha();
  if (sha.empty()) {
    Reply loaded = checked(context, lease.command({"SCRIPT", "LOAD", script.source()}, context));
    script.set_sha(loaded.str);
    sha = std::move(loaded.str);
  }
  const std::string key_count = std::to_string(keys.size());
  std::vector<std::string_view> argv{"EVALSHA", sha, key_count};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  Reply reply = lease.command(argv, context);
  if (reply.type == Reply::Type::error && starts_with(reply.str, "NOSCRIPT")) {
    // The server lost its script cache (restart, SCRIPT FLUSH, failover). EVAL runs the
    // source and caches it again under the same SHA, so later calls use EVALSHA again.
    argv[0] = "EVAL";
    argv[1] = script.source();
    reply = lease.command(argv, context);
  }
  return checked(context, std::move(reply));
}

void Client::ping() {
  const Context context{{}, {}, "ping"};
  Lease lease(impl_->pool, context);
  checked(context, lease.command({"PING"}, context));
}

}  // namespace keyspace
