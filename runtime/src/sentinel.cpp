#include "sentinel.hpp"

#include <charconv>
#include <exception>

#include <fmt/format.h>

#include "keyspace/errors.hpp"
#include "subscriber.hpp"

namespace keyspace::detail {

namespace {

std::int64_t now_ticks() noexcept { return std::chrono::steady_clock::now().time_since_epoch().count(); }

std::string address_text(const Address& address) { return fmt::format("{}:{}", address.host, address.port); }

std::optional<Address> address_of(std::string_view host, std::string_view port_text) {
  int port = 0;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port <= 0 || port > 65535 || host.empty()) {
    return std::nullopt;
  }
  return Address{std::string(host), port};
}

// The field `name` of a flat [name, value, ...] array (SENTINEL REPLICAS); empty when absent.
std::string_view field(const Reply& entry, std::string_view name) {
  for (std::size_t i = 0; i + 1 < entry.elements.size(); i += 2) {
    if (entry.elements[i].str == name) return entry.elements[i + 1].str;
  }
  return {};
}

// Not flagged down or disconnected. (master-link-status is not read: a Sentinel reports "err"
// until its next INFO of a replica that has synced since, up to 10 s later.)
bool healthy(const Reply& replica) {
  const std::string_view flags = field(replica, "flags");
  for (std::string_view bad : {"s_down", "o_down", "disconnected"}) {
    if (flags.find(bad) != std::string_view::npos) return false;
  }
  return true;
}

constexpr KeySpec kWatcherSpec{"sentinel", "+switch-master", std::chrono::milliseconds(0)};

}  // namespace

SentinelRouter::SentinelRouter(Options options) : options_(std::move(options)) {}

SentinelRouter::~SentinelRouter() = default;

Pool& SentinelRouter::pool_at(const Address& address, Connection::Handshake handshake) {
  std::lock_guard<std::mutex> lock(pools_mutex_);
  std::unique_ptr<Pool>& pool = pools_[address_text(address) + (handshake == Connection::Handshake::plain ? " replica" : "")];
  if (!pool) {
    Options server = options_;
    server.host = address.host;
    server.port = address.port;
    server.unix_socket.clear();
    pool = std::make_unique<Pool>(std::move(server), handshake);
  }
  return *pool;
}

Pool& SentinelRouter::master(const Context& context) {
  Pool* pool = master_.load(std::memory_order_acquire);
  if (pool == nullptr || stale_.load(std::memory_order_relaxed)) {
    resolve(context);
    pool = master_.load(std::memory_order_acquire);
  }
  return *pool;
}

Pool& SentinelRouter::replica(const Context& context) {
  Pool& fallback = master(context);
  std::lock_guard<std::mutex> lock(pools_mutex_);
  if (replicas_.empty()) return fallback;
  return *replicas_[next_replica_.fetch_add(1, std::memory_order_relaxed) % replicas_.size()];
}

void SentinelRouter::use_master(Pool& pool) {
  Pool* old = master_.exchange(&pool, std::memory_order_acq_rel);
  if (old != nullptr && old != &pool) old->drain();
}

Reply SentinelRouter::ask(const Address& sentinel, CommandArgs args, const Context& context) {
  Options o;
  o.host = sentinel.host;
  o.port = sentinel.port;
  o.password = options_.sentinel_password;
  o.connect_timeout = options_.connect_timeout;
  o.command_timeout = options_.command_timeout;
  const std::unique_ptr<Connection> connection = Connection::open(o, context);
  Reply reply = connection->command(args, context).copy();
  if (reply.type == Reply::Type::error) {
    throw CommandError(fmt::format("{}: Sentinel {} answered {}: {}", describe(context), address_text(sentinel),
                                   args.front(), reply.str),
                       context.key_template);
  }
  return reply;
}

// The Sentinels are asked in turn from the one that answered last; the first that names a
// master wins. A master that does not confirm with ROLE shows up as a ConnectionError on the
// next command, which asks again.
void SentinelRouter::resolve(const Context& context) {
  std::unique_lock<std::mutex> lock(resolve_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) {
    if (master_.load(std::memory_order_acquire) != nullptr) return;  // go on with the master known
    lock.lock();
    if (master_.load(std::memory_order_acquire) != nullptr && !stale_.load(std::memory_order_relaxed)) return;
  }
  const auto cooldown = std::chrono::duration_cast<std::chrono::steady_clock::duration>(kSentinelCooldown).count();
  if (master_.load(std::memory_order_acquire) != nullptr && now_ticks() - resolved_at_ < cooldown) return;
  stale_.store(false, std::memory_order_relaxed);
  resolved_at_ = now_ticks();
  std::exception_ptr last_error;
  const std::size_t count = options_.sentinels.size();
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t index = (answered_ + k) % count;
    const Address& sentinel = options_.sentinels[index];
    try {
      const Reply named = ask(sentinel, {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", options_.master_name}, context);
      if (named.type != Reply::Type::array || named.elements.size() != 2) continue;  // does not know the name
      const std::optional<Address> address = address_of(named.elements[0].str, named.elements[1].str);
      if (!address) continue;
      std::vector<Pool*> replicas;
      if (options_.read_from_replicas) {
        for (const Reply& entry : ask(sentinel, {"SENTINEL", "REPLICAS", options_.master_name}, context).elements) {
          const std::optional<Address> replica = address_of(field(entry, "ip"), field(entry, "port"));
          if (replica && healthy(entry)) replicas.push_back(&pool_at(*replica, Connection::Handshake::plain));
        }
      }
      answered_ = index;
      use_master(pool_at(*address, Connection::Handshake::confirm_master));
      {
        std::lock_guard<std::mutex> pools_lock(pools_mutex_);
        replicas_ = std::move(replicas);
      }
      start_watching();
      return;
    } catch (const AuthError&) {
      throw;
    } catch (const Error&) {
      last_error = std::current_exception();
    }
  }
  // With no Sentinel to answer, the master known is kept (and the Sentinels asked again after
  // the cooldown): losing the Sentinels alone does not stop the data path.
  stale_.store(true, std::memory_order_relaxed);
  if (master_.load(std::memory_order_acquire) != nullptr) return;
  if (last_error) std::rethrow_exception(last_error);
  throw ConfigError(fmt::format("{}: no Sentinel knows a master named '{}'", describe(context), options_.master_name),
                    context.key_template);
}

void SentinelRouter::start_watching() {
  if (watcher_) return;
  Options o = options_;
  o.seeds = options_.sentinels;
  o.host = o.seeds.front().host;
  o.port = o.seeds.front().port;
  o.username.clear();
  o.password = options_.sentinel_password;
  o.db = 0;
  watcher_ = std::make_unique<Subscriber>(
      std::move(o), kWatcherSpec, "+switch-master", [this](std::string_view message) { switched(message); },
      [this](const std::exception&) { suspect(); });
}

void SentinelRouter::switched(std::string_view message) {
  std::vector<std::string_view> words;
  for (std::size_t start = 0; start <= message.size();) {
    const std::size_t space = std::min(message.find(' ', start), message.size());
    words.push_back(message.substr(start, space - start));
    start = space + 1;
  }
  if (words.size() != 5 || words[0] != options_.master_name) return;
  const std::optional<Address> address = address_of(words[3], words[4]);
  if (!address) return;
  use_master(pool_at(*address, Connection::Handshake::confirm_master));
  suspect();  // the replicas changed too: read them again on the next command
}

PoolStats SentinelRouter::stats() const {
  PoolStats total;
  std::lock_guard<std::mutex> lock(pools_mutex_);
  for (const auto& [name, pool] : pools_) {
    const PoolStats one = pool->stats();
    total.size += one.size;
    total.open += one.open;
    total.idle += one.idle;
  }
  return total;
}

}  // namespace keyspace::detail
