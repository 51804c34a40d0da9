// Client::health(): PING for the round trip, INFO for what the server says about itself, the
// pool's figures, and the warnings a /health endpoint should show.
#include <charconv>
#include <chrono>
#include <map>

#include <fmt/format.h>

#include "keyspace/client.hpp"
#include "keyspace/codec/json_writer.hpp"
#include "keyspace/errors.hpp"

namespace keyspace {
namespace {

constexpr KeySpec kHealth{"client.health", "", std::chrono::milliseconds{0}};

// INFO's "field:value" lines.
std::map<std::string, std::string, std::less<>> info_fields(const std::string& text) {
  std::map<std::string, std::string, std::less<>> out;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t colon = line.find(':');
    if (!line.empty() && line.front() != '#' && colon != std::string_view::npos) {
      out.emplace(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    }
    start = end + 1;
  }
  return out;
}

std::int64_t integer(const std::map<std::string, std::string, std::less<>>& fields, std::string_view name) {
  const auto it = fields.find(name);
  std::int64_t out = 0;
  if (it != fields.end()) std::from_chars(it->second.data(), it->second.data() + it->second.size(), out);
  return out;
}

std::string text(const std::map<std::string, std::string, std::less<>>& fields, std::string_view name) {
  const auto it = fields.find(name);
  return it == fields.end() ? std::string() : it->second;
}

void read_info(const std::string& info, Health& health) {
  const auto fields = info_fields(info);
  health.redis_version = text(fields, "redis_version");
  health.role = text(fields, "role");
  health.used_memory = integer(fields, "used_memory");
  health.maxmemory = integer(fields, "maxmemory");
  health.maxmemory_policy = text(fields, "maxmemory_policy");
  health.connected_clients = integer(fields, "connected_clients");
  health.ops_per_second = integer(fields, "instantaneous_ops_per_sec");
  const std::int64_t hits = integer(fields, "keyspace_hits");
  const std::int64_t misses = integer(fields, "keyspace_misses");
  if (hits + misses > 0) health.hit_ratio = static_cast<double>(hits) / static_cast<double>(hits + misses);
}

void add_warnings(std::initializer_list<std::string_view> eviction_sensitive, Health& health) {
  const std::string& policy = health.maxmemory_policy;
  if (!policy.empty() && policy != "noeviction" && eviction_sensitive.size() > 0) {
    std::string templates;
    for (std::string_view t : eviction_sensitive) templates += (templates.empty() ? "" : ", ") + std::string(t);
    health.warnings.push_back(fmt::format(
        "maxmemory-policy {} may evict keys the schema's guarantees depend on ({}): an evicted lock lets a "
        "second holder in, an evicted rate limit lets callers past it, an evicted queue loses its messages; "
        "use noeviction, or keep caches on another Redis",
        policy, templates));
  }
  if (health.maxmemory > 0 && health.used_memory * 10 >= health.maxmemory * 9) {
    health.warnings.push_back(fmt::format("used memory is {}% of maxmemory ({} of {} bytes)",
                                          health.used_memory * 100 / health.maxmemory, health.used_memory,
                                          health.maxmemory));
  }
}

}  // namespace

Health Client::health(std::initializer_list<std::string_view> eviction_sensitive) {
  Health health;
  try {
    const auto started = std::chrono::steady_clock::now();
    ping();
    health.round_trip = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    health.reachable = true;
    read_info(execute(kHealth, "health", {"INFO"}).str, health);
  } catch (const CommandError& e) {
    health.warnings.push_back(fmt::format("INFO was refused ({}): the server figures are missing", e.what()));
  } catch (const Error& e) {
    if (!health.reachable) {
      health.error = e.what();
    } else {
      health.warnings.push_back(fmt::format("INFO failed: {}", e.what()));
    }
  }
  health.pool = pool_stats();
  add_warnings(eviction_sensitive, health);
  return health;
}

std::string Health::to_json() const {
  json::Writer out;
  // Messages are ASCII but may quote a server's bytes; JSON text must be UTF-8.
  const auto ascii = [](std::string value) {
    for (char& c : value) {
      if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
    return value;
  };
  const auto text_or_null = [&](const std::string& value) { value.empty() ? out.null() : out.string(ascii(value)); };
  out.begin_object(14);
  out.plain_key("reachable");
  out.boolean(reachable);
  out.plain_key("error");
  text_or_null(error);
  out.plain_key("round_trip_us");
  reachable ? out.int64(round_trip.count()) : out.null();
  out.plain_key("redis_version");
  text_or_null(redis_version);
  out.plain_key("role");
  text_or_null(role);
  out.plain_key("used_memory");
  out.int64(used_memory);
  out.plain_key("maxmemory");
  out.int64(maxmemory);
  out.plain_key("maxmemory_policy");
  text_or_null(maxmemory_policy);
  out.plain_key("connected_clients");
  out.int64(connected_clients);
  out.plain_key("ops_per_second");
  out.int64(ops_per_second);
  out.plain_key("hit_ratio");
  hit_ratio ? out.number(*hit_ratio) : out.null();
  out.plain_key("pool");
  out.begin_object(3);
  out.plain_key("size");
  out.uint64(pool.size);
  out.plain_key("open");
  out.uint64(pool.open);
  out.plain_key("idle");
  out.uint64(pool.idle);
  out.end_object();
  out.plain_key("warnings");
  out.begin_array(warnings.size());
  for (const std::string& warning : warnings) out.string(ascii(warning));
  out.end_array();
  out.end_object();
  return std::move(out).take();
}

}  // namespace keyspace
