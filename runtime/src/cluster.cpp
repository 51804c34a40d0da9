#include "cluster.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "keyspace/errors.hpp"

namespace keyspace::detail {

namespace {

std::int64_t now_ticks() noexcept { return std::chrono::steady_clock::now().time_since_epoch().count(); }

std::string address_text(const Address& address) { return fmt::format("{}:{}", address.host, address.port); }

bool starts_with(std::string_view text, std::string_view prefix) noexcept {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

// "MOVED 3999 127.0.0.1:6381", "ASK 3999 [::1]:6381" (the port after the last ':').
Redirect redirect_of(const RawReply& reply, const std::string& answering_host) {
  Redirect out;
  if (reply.type() != Reply::Type::error) return out;
  const std::string_view text = reply.str();
  if (starts_with(text, "TRYAGAIN") || starts_with(text, "LOADING")) {
    out.kind = Redirect::Kind::retry_later;
    return out;
  }
  if (starts_with(text, "CLUSTERDOWN")) {
    out.kind = Redirect::Kind::retry_later;
    out.cluster_down = true;
    return out;
  }
  const bool moved = starts_with(text, "MOVED ");
  if (!moved && !starts_with(text, "ASK ")) return out;
  const std::string_view rest = text.substr(moved ? 6 : 4);
  const std::size_t space = rest.find(' ');
  const std::size_t colon = rest.rfind(':');
  if (space == std::string_view::npos || colon == std::string_view::npos || colon < space) return out;
  int slot = -1;
  int port = -1;
  const std::string_view slot_text = rest.substr(0, space);
  const std::string_view port_text = rest.substr(colon + 1);
  std::from_chars(slot_text.data(), slot_text.data() + slot_text.size(), slot);
  std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (slot < 0 || slot >= kSlotCount || port <= 0 || port > 65535) return out;
  std::string host(rest.substr(space + 1, colon - space - 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  out.kind = moved ? Redirect::Kind::moved : Redirect::Kind::ask;
  out.slot = static_cast<std::uint16_t>(slot);
  out.address = {host.empty() ? answering_host : host, port};
  return out;
}

ClusterRouter::ClusterRouter(Options options) : options_(std::move(options)) {}

Pool& ClusterRouter::pool_at(const Address& address, bool readonly) {
  const std::string name = address_text(address) + (readonly ? " readonly" : "");
  std::lock_guard<std::mutex> lock(pools_mutex_);
  std::unique_ptr<Pool>& pool = pools_[name];
  if (!pool) {
    Options node = options_;
    node.host = address.host;
    node.port = address.port;
    node.unix_socket.clear();
    node.seeds.clear();
    pool = std::make_unique<Pool>(std::move(node), readonly ? Connection::Handshake::readonly : Connection::Handshake::plain);
  }
  return *pool;
}

Pool& ClusterRouter::pool_for_slot(std::uint16_t slot, const Context& context) {
  refresh_if_due(context);
  if (Pool* pool = slots_[slot].load(std::memory_order_acquire)) return *pool;
  // A map without this slot: the cluster is being set up or lost the slot's master. Reading
  // the map again (the cooldown allowing) may find it; otherwise the command is refused here,
  // as the server would refuse it with CLUSTERDOWN.
  suspect();
  refresh_if_due(context);
  if (Pool* pool = slots_[slot].load(std::memory_order_acquire)) return *pool;
  throw ClusterError(fmt::format("{}: no node of the cluster serves slot {}", describe(context), slot),
                     context.key_template);
}

Pool& ClusterRouter::replica_for_slot(std::uint16_t slot, const Context& context) {
  Pool& master = pool_for_slot(slot, context);
  const std::vector<Pool*>* replicas = replicas_[slot].load(std::memory_order_acquire);
  if (replicas == nullptr || replicas->empty()) return master;
  return *(*replicas)[next_replica_.fetch_add(1, std::memory_order_relaxed) % replicas->size()];
}

void ClusterRouter::moved(std::uint16_t slot, const Address& address) {
  slots_[slot].store(&pool_at(address), std::memory_order_release);
  suspect();
}

void ClusterRouter::refresh_if_due(const Context& context) {
  const std::int64_t since = now_ticks() - refreshed_at_.load(std::memory_order_relaxed);
  const auto elapsed = std::chrono::steady_clock::duration(since);
  if (loaded_.load(std::memory_order_acquire)) {
    const bool due = elapsed >= options_.cluster_refresh_interval ||
                     (stale_.load(std::memory_order_relaxed) && elapsed >= kRefreshCooldown);
    if (!due) return;
    std::unique_lock<std::mutex> lock(refresh_mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return;  // another caller is reading it; this one keeps the current map
    try {
      refresh(context);
    } catch (const Error&) {
      // The map stays as it was; the command finds out for itself whether its node answers.
    }
    return;
  }
  std::lock_guard<std::mutex> lock(refresh_mutex_);  // the first map: every caller needs it
  if (!loaded_.load(std::memory_order_acquire)) refresh(context);
}

// Asks the masters of the current map first, then the seeds, and stops at the first answer.
void ClusterRouter::refresh(const Context& context) {
  refreshed_at_.store(now_ticks(), std::memory_order_relaxed);
  stale_.store(false, std::memory_order_relaxed);
  std::vector<Pool*> candidates = current_masters();
  if (options_.seeds.empty()) {
    candidates.push_back(&pool_at({options_.host, options_.port}));
  } else {
    for (const Address& seed : options_.seeds) candidates.push_back(&pool_at(seed));
  }
  std::exception_ptr last_error;
  for (Pool* pool : candidates) {
    try {
      if (read_slots_from(*pool, context)) {
        loaded_.store(true, std::memory_order_release);
        return;
      }
    } catch (const AuthError&) {
      throw;  // every node has the same users
    } catch (const ConnectionError&) {
      last_error = std::current_exception();
    }
  }
  stale_.store(true, std::memory_order_relaxed);
  if (last_error) std::rethrow_exception(last_error);
  throw ClusterError(fmt::format("{}: no node of the cluster answered CLUSTER SLOTS with a slot map", describe(context)),
                     context.key_template);
}

// CLUSTER SLOTS: [[first, last, [host, port, id, ...], replicas...], ...]. An empty host means
// the node that answered.
bool ClusterRouter::read_slots_from(Pool& pool, const Context& context) {
  Reply map;
  {
    Lease lease(pool, context);
    RawReply reply = lease.command({"CLUSTER", "SLOTS"}, context);
    if (reply.type() == Reply::Type::error && (reply.str().rfind("NOAUTH", 0) == 0 || reply.str().rfind("WRONGPASS", 0) == 0)) {
      throw AuthError(fmt::format("{}: Redis answered: {}", describe(context), reply.str()), context.key_template);
    }
    if (reply.type() != Reply::Type::array) return false;
    map = reply.copy();
  }
  std::vector<std::pair<std::uint16_t, Pool*>> assigned;
  std::vector<std::pair<std::uint16_t, const std::vector<Pool*>*>> replicas;
  for (const Reply& range : map.elements) {
    if (range.elements.size() < 3 || range.elements[0].type != Reply::Type::integer ||
        range.elements[1].type != Reply::Type::integer || range.elements[2].elements.size() < 2) {
      continue;
    }
    const Reply& master = range.elements[2];
    Address address{master.elements[0].str, static_cast<int>(master.elements[1].integer)};
    if (address.host.empty() || address.host == "?") address.host = pool.options().host;
    Pool* node = &pool_at(address);
    const std::int64_t first = std::max<std::int64_t>(range.elements[0].integer, 0);
    const std::int64_t last = std::min<std::int64_t>(range.elements[1].integer, kSlotCount - 1);
    const std::vector<Pool*>* readers = options_.read_from_replicas ? replica_list(range, pool.options().host) : nullptr;
    for (std::int64_t slot = first; slot <= last; ++slot) {
      assigned.emplace_back(static_cast<std::uint16_t>(slot), node);
      replicas.emplace_back(static_cast<std::uint16_t>(slot), readers);
    }
  }
  if (assigned.empty()) return false;  // a node that is not part of a cluster yet
  std::array<Pool*, kSlotCount> table{};
  for (const auto& [slot, node] : assigned) table[slot] = node;
  for (std::size_t slot = 0; slot < kSlotCount; ++slot) slots_[slot].store(table[slot], std::memory_order_release);
  std::array<const std::vector<Pool*>*, kSlotCount> readers{};
  for (const auto& [slot, list] : replicas) readers[slot] = list;
  for (std::size_t slot = 0; slot < kSlotCount; ++slot) replicas_[slot].store(readers[slot], std::memory_order_release);
  return true;
}

// The replicas of one CLUSTER SLOTS range (the nodes after the master), as a list kept once.
const std::vector<Pool*>* ClusterRouter::replica_list(const Reply& range, const std::string& answering_host) {
  std::vector<Pool*> list;
  std::string name;
  for (std::size_t i = 3; i < range.elements.size(); ++i) {
    const Reply& replica = range.elements[i];
    if (replica.elements.size() < 2 || replica.elements[1].type != Reply::Type::integer) continue;
    Address address{replica.elements[0].str, static_cast<int>(replica.elements[1].integer)};
    if (address.host.empty() || address.host == "?") address.host = answering_host;
    list.push_back(&pool_at(address, true));
    name += address_text(address) + " ";
  }
  std::lock_guard<std::mutex> lock(pools_mutex_);
  std::unique_ptr<const std::vector<Pool*>>& kept = replica_lists_[name];
  if (!kept) kept = std::make_unique<const std::vector<Pool*>>(std::move(list));
  return kept.get();
}

std::vector<Pool*> ClusterRouter::masters(const Context& context) {
  refresh_if_due(context);
  return current_masters();
}

std::vector<Pool*> ClusterRouter::current_masters() {
  std::set<Pool*> seen;
  std::vector<Pool*> out;
  for (const std::atomic<Pool*>& slot : slots_) {
    Pool* pool = slot.load(std::memory_order_acquire);
    if (pool != nullptr && seen.insert(pool).second) out.push_back(pool);
  }
  return out;
}

PoolStats ClusterRouter::stats() const {
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
