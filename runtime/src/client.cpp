#include "keyspace/client.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "cluster.hpp"
#include "connection.hpp"
#include "pool.hpp"
#include "keyspace/detail/escape.hpp"
#include "keyspace/errors.hpp"
#include "retry.hpp"
#include "sentinel.hpp"
#include "slot.hpp"

namespace keyspace {

using detail::Connection;
using detail::Context;
using detail::Lease;
using detail::Pool;

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
  if (options.max_redirects < 0) throw ConfigError("Options::max_redirects must not be negative");
  if (options.topology == Topology::cluster && !options.unix_socket.empty()) {
    throw ConfigError("a cluster client reaches its nodes by TCP: set Options::seeds (or host/port), not unix_socket");
  }
  if (options.topology == Topology::cluster && options.db != 0) {
    throw ConfigError("a Redis Cluster has database 0 only: leave Options::db at 0");
  }
  if (options.topology == Topology::sentinel && (options.sentinels.empty() || options.master_name.empty())) {
    throw ConfigError("a Sentinel client needs Options::sentinels and Options::master_name");
  }
  if (options.topology == Topology::sentinel && !options.unix_socket.empty()) {
    throw ConfigError("a Sentinel client reaches the servers the Sentinels name by TCP: leave unix_socket empty");
  }
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

// EVALSHA, and EVAL after NOSCRIPT; the reply unchecked, so that a cluster redirect is seen.
RawReply run_script_on(Lease& lease, const Context& context, const Script& script, CommandArgs keys,
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
    // The server lost its script cache (restart, SCRIPT FLUSH, failover), or it is another
    // node of a cluster. EVAL runs the source and caches it again under the same SHA, so later
    // calls use EVALSHA again.
    argv[0] = "EVAL";
    argv[1] = script.source();
    reply = lease.command(argv, context);
  }
  return reply;
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
  explicit Impl(Options client_options) : key_prefix(key_prefix_of(client_options)), options(std::move(client_options)) {
    if (options.topology == Topology::cluster) {
      cluster = std::make_unique<detail::ClusterRouter>(options);
    } else if (options.topology == Topology::sentinel) {
      sentinel = std::make_unique<detail::SentinelRouter>(options);
    } else {
      pool = std::make_unique<Pool>(options);
    }
  }

  // Runs `attempt(context)` once, or again after a ConnectionError / TimeoutError (PoolTimeout
  // and AuthError excluded) when `retryable`, then tells the observer. Without an observer and
  // without a failure this is one null check and one call.
  template <typename Attempt>
  auto run(Context context, bool retryable, Attempt&& attempt) {
    Observer* const observer = options.observer.get();
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

  // The slot of the command's first key in a cluster; nullopt for a standalone server (where
  // neither the key nor its slot is looked for: the hot path stays as it was) and for commands
  // without keys.
  std::optional<std::uint16_t> slot_of(CommandArgs args) const noexcept {
    if (!cluster) return std::nullopt;
    const std::optional<std::string_view> key = detail::routing_key(args);
    if (!key) return std::nullopt;
    return detail::key_slot(*key);
  }

  // Runs `send(lease)` on the server (standalone) or on the node serving `slot` (cluster; any
  // node when nullopt) and returns its reply unchecked. In a cluster, redirects are followed:
  // MOVED patches the slot map and goes to the new node, ASK goes to the importing node with
  // ASKING, TRYAGAIN / CLUSTERDOWN / LOADING wait (the retry backoff) and go again, together
  // at most Options::max_redirects times, then ClusterError. A connection error marks the map
  // as stale and is thrown as it is (the caller's retry policy applies).
  // `replica`: the command may be served by a replica of the slot (read_from_replicas); after
  // a redirect it goes to the master.
  template <typename Send>
  RawReply routed(const Context& context, std::optional<std::uint16_t> slot, Send&& send, bool replica = false) {
    if (sentinel) return via_sentinel(context, send, replica);
    if (!cluster) {
      Lease lease(*pool, context);
      return send(lease);
    }
    std::optional<Address> asking;
    for (int redirects = 0;; ++redirects) {
      Pool& node = asking            ? cluster->pool_at(*asking)
                   : !slot           ? cluster->any_node(context)
                   : replica && redirects == 0 ? cluster->replica_for_slot(*slot, context)
                                               : cluster->pool_for_slot(*slot, context);
      RawReply reply;
      try {
        Lease lease(node, context, asking.has_value());
        reply = send(lease);
      } catch (const PoolTimeout&) {
        throw;
      } catch (const AuthError&) {
        throw;
      } catch (const ConnectionError&) {
        cluster->suspect();
        throw;
      }
      const detail::Redirect redirect = detail::redirect_of(reply, node.options().host);
      if (redirect.kind == detail::Redirect::Kind::none) return reply;
      if (redirects >= options.max_redirects) {
        throw ClusterError(fmt::format("{}: the cluster did not serve the command after {} redirects and "
                                       "retries; it last answered: {}",
                                       detail::describe(context), redirects, reply.str()),
                           context.key_template);
      }
      asking.reset();
      switch (redirect.kind) {
        case detail::Redirect::Kind::moved:
          cluster->moved(redirect.slot, redirect.address);
          break;
        case detail::Redirect::Kind::ask:
          asking = redirect.address;
          break;
        default:
          if (redirect.cluster_down) cluster->suspect();
          std::this_thread::sleep_for(detail::retry_backoff(redirects, options.retry_backoff, options.retry_backoff_max));
      }
    }
  }

  // Runs `send(lease)` on the master the Sentinels named (or a replica, see routed). A READONLY
  // reply comes from a demoted master and did not run the command, so it goes again, to the
  // master asked for anew, at most Options::max_redirects times. A connection error asks the
  // Sentinels again on the next command and is thrown as it is.
  template <typename Send>
  RawReply via_sentinel(const Context& context, Send& send, bool replica) {
    for (int tries = 0;; ++tries) {
      Pool& server = replica && tries == 0 ? sentinel->replica(context) : sentinel->master(context);
      RawReply reply;
      try {
        Lease lease(server, context);
        reply = send(lease);
      } catch (const PoolTimeout&) {
        throw;
      } catch (const AuthError&) {
        throw;
      } catch (const ConnectionError&) {
        sentinel->suspect();
        throw;
      }
      if (!demoted(reply) || tries >= options.max_redirects) return reply;
      sentinel->suspect();
      std::this_thread::sleep_for(detail::retry_backoff(tries, options.retry_backoff, options.retry_backoff_max));
    }
  }

  static bool demoted(const RawReply& reply) noexcept {
    return reply.type() == Reply::Type::error && starts_with(reply.str(), "READONLY");
  }

  // The pool of a topology without slots: the server, or the master the Sentinels named.
  Pool& single_pool(const Context& context) { return sentinel ? sentinel->master(context) : *pool; }

  // A pipeline in a cluster: one pipeline per node, all written before any is read; the
  // commands a node redirected go again one at a time (routed), and the replies come back in
  // the order of the commands. Not atomic, like any pipeline.
  std::vector<RawReply> cluster_pipeline(const Context& context, std::string_view commands, std::size_t count,
                                         const detail::PipelineLayout& layout) {
    if (layout.ends.size() != count || layout.slots.size() != count) {
      throw BatchError(fmt::format("{}: {} commands but a layout of {}", detail::describe(context), count,
                                   layout.ends.size()), context.key_template);
    }
    const auto text_of = [&](std::size_t i) {
      const std::size_t begin = i == 0 ? 0 : layout.ends[i - 1];
      return commands.substr(begin, layout.ends[i] - begin);
    };
    std::vector<Pool*> node_of(count);
    std::vector<std::pair<Pool*, std::vector<std::size_t>>> groups;
    for (std::size_t i = 0; i < count; ++i) {
      node_of[i] = &cluster->pool_for_slot(layout.slots[i], context);
      auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == node_of[i]; });
      if (group == groups.end()) group = groups.insert(groups.end(), {node_of[i], {}});
      group->second.push_back(i);
    }
    // Every node's pipeline is written before any is read, so the nodes work at once. Leases
    // are taken in the order of their pools, so two callers never wait on each other's.
    std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return std::less<Pool*>()(a.first, b.first); });
    std::vector<RawReply> replies(count);
    std::vector<std::unique_ptr<Lease>> leases;
    std::size_t read = 0;  // leases whose replies were all read
    try {
      for (const auto& [node, indices] : groups) {
        leases.push_back(std::make_unique<Lease>(*node, context));
        if (groups.size() == 1) {
          leases.back()->send(commands, context);
          continue;
        }
        std::string text;
        for (const std::size_t i : indices) text += text_of(i);
        leases.back()->send(text, context);
      }
      for (; read < groups.size(); ++read) {
        const std::vector<std::size_t>& indices = groups[read].second;
        std::vector<RawReply> received = leases[read]->receive(indices.size(), context);
        for (std::size_t k = 0; k < indices.size(); ++k) replies[indices[k]] = std::move(received[k]);
      }
    } catch (const ConnectionError& error) {
      for (std::size_t k = read; k < leases.size(); ++k) leases[k]->abandon();
      if (!dynamic_cast<const PoolTimeout*>(&error) && !dynamic_cast<const AuthError*>(&error)) cluster->suspect();
      throw;
    }
    leases.clear();
    for (std::size_t i = 0; i < count; ++i) {
      const detail::Redirect redirect = detail::redirect_of(replies[i], node_of[i]->options().host);
      if (redirect.kind == detail::Redirect::Kind::none) continue;
      if (redirect.kind == detail::Redirect::Kind::moved) cluster->moved(redirect.slot, redirect.address);
      replies[i] = routed(context, layout.slots[i], [&](Lease& lease) {
        return std::move(lease.pipeline(text_of(i), 1, context).front());
      });
    }
    return replies;
  }

  std::string key_prefix;  // "<key_prefix>:<environment>:", either part absent when empty
  const Options options;
  std::unique_ptr<Pool> pool;                      // standalone
  std::unique_ptr<detail::ClusterRouter> cluster;  // cluster
  std::unique_ptr<detail::SentinelRouter> sentinel;  // sentinel
};

Client::Client(Options options) {
  validate(options);
  impl_ = std::make_unique<Impl>(std::move(options));
}

Client::~Client() = default;

const Options& Client::options() const noexcept { return impl_->options; }

const std::string& Client::key_prefix() const noexcept { return impl_->key_prefix; }

void Client::check_environment(std::string_view schema_name,
                               std::initializer_list<std::string_view> allowed) const {
  const std::string& environment = impl_->options.environment;
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
  const std::optional<std::uint16_t> slot = impl_->slot_of(args);
  const bool replica = read && impl_->options.read_from_replicas;
  return impl_->run({spec.name, spec.key_template, op}, read, [&](const Context& context) {
    return checked(context, impl_->routed(context, slot, [&](Lease& lease) { return lease.command(args, context); },
                                          replica));
  });
}

// Never retried: a blocking pop or group read changes the server's state when it answers.
Reply Client::execute_blocking(const KeySpec& spec, std::string_view op, CommandArgs args,
                               std::chrono::milliseconds block) {
  const std::optional<std::uint16_t> slot = impl_->slot_of(args);
  return impl_->run({spec.name, spec.key_template, op}, false, [&](const Context& context) {
    return checked(context, impl_->routed(context, slot, [&](Lease& lease) {
             const std::chrono::milliseconds normal = impl_->options.command_timeout;
             lease.set_timeout(normal.count() == 0 ? normal : block + normal, context);
             RawReply reply = lease.command(args, context);
             lease.set_timeout(normal, context);
             return reply;
           })).copy();
  });
}

std::vector<RawReply> Client::execute_pipeline(const KeySpec& spec, std::string_view op, std::string_view commands,
                                               std::size_t count, const detail::PipelineLayout& layout) {
  return impl_->run({spec.name, spec.key_template, op}, false, [&](const Context& context) {
    if (!impl_->cluster) {
      Lease lease(impl_->single_pool(context), context);
      std::vector<RawReply> replies = lease.pipeline(commands, count, context);
      if (impl_->sentinel && std::any_of(replies.begin(), replies.end(), Impl::demoted)) impl_->sentinel->suspect();
      return replies;
    }
    return impl_->cluster_pipeline(context, commands, count, layout);
  });
}

std::vector<Address> Client::cluster_masters() {
  std::vector<Address> out;
  if (!impl_->cluster) return out;
  const Context context{{}, {}, "cluster_masters"};
  for (Pool* node : impl_->cluster->masters(context)) out.push_back({node->options().host, node->options().port});
  return out;
}

Address Client::cluster_node_of(const KeySpec& spec, std::string_view key) {
  const Context context{spec.name, spec.key_template, "route"};
  if (impl_->sentinel) {
    const Options& master = impl_->sentinel->master(context).options();
    return {master.host, master.port};
  }
  if (!impl_->cluster) throw ConfigError("Client::cluster_node_of needs a cluster or Sentinel client");
  const Options& node = impl_->cluster->pool_for_slot(detail::key_slot(key), context).options();
  return {node.host, node.port};
}

Reply Client::execute_at(const Address& address, const KeySpec& spec, std::string_view op, CommandArgs args) {
  const bool read = !args.empty() && detail::is_idempotent_read(args.front());
  return impl_->run({spec.name, spec.key_template, op}, read, [&](const Context& context) {
    if (!impl_->cluster) throw ConfigError("Client::execute_at needs a cluster client");
    Lease lease(impl_->cluster->pool_at(address), context);
    return checked(context, lease.command(args, context)).copy();
  });
}

void Client::report_cache(const KeySpec& spec, CacheOutcome outcome) const noexcept {
  if (Observer* observer = impl_->options.observer.get()) observer->on_cache(spec, outcome);
}

// Never retried: scripts write (locks, rate limits, queues), and a script whose connection
// broke may have run.
Reply Client::run_script(const KeySpec& spec, std::string_view op, const Script& script, CommandArgs keys,
                         CommandArgs args) {
  const std::optional<std::uint16_t> slot =
      impl_->cluster && !keys.empty() ? std::optional<std::uint16_t>(detail::key_slot(keys.front())) : std::nullopt;
  return impl_->run({spec.name, spec.key_template, op}, false, [&](const Context& context) {
    return checked(context, impl_->routed(context, slot, [&](Lease& lease) {
             return run_script_on(lease, context, script, keys, args);
           })).copy();
  });
}

PoolStats Client::pool_stats() const noexcept {
  if (impl_->cluster) return impl_->cluster->stats();
  return impl_->sentinel ? impl_->sentinel->stats() : impl_->pool->stats();
}

void Client::connect() {
  const Options& options = impl_->options;
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
    checked(context, impl_->routed(context, std::nullopt, [&](Lease& lease) { return lease.command({"PING"}, context); }));
    return true;
  });
}

}  // namespace keyspace
