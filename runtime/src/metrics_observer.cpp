#include "keyspace/metrics_observer.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <tuple>
#include <mutex>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "keyspace/key_spec.hpp"

namespace keyspace {

namespace {

constexpr std::size_t kShards = 16;
constexpr std::size_t kBuckets = MetricsObserver::kLatencyBuckets.size() + 1;  // + +Inf
constexpr std::memory_order kRelaxed = std::memory_order_relaxed;

constexpr std::array<std::string_view, 4> kCommandOutcomes{"ok", "error_reply", "timeout",
                                                           "connection_error"};
constexpr std::array<std::string_view, 4> kCacheOutcomes{"hit", "miss", "degraded_miss", "stale"};

// The names and template are written once, before the series is published under its shard's
// lock, and never change; the counts are the only shared mutable state.
struct CommandSeries {
  std::string key_name;
  std::string key_template;
  std::string op;
  std::array<std::atomic<std::uint64_t>, kCommandOutcomes.size()> outcomes{};
  std::atomic<std::uint64_t> retries{0};
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets{};  // not cumulative; last is +Inf
  std::atomic<std::uint64_t> latency_ns{0};
};

struct CacheSeries {
  std::string key_name;
  std::string key_template;
  std::array<std::atomic<std::uint64_t>, kCacheOutcomes.size()> outcomes{};
};

// Lets the maps be searched with string_views, so that recording an event never allocates.
using NameOp = std::pair<std::string_view, std::string_view>;
struct ByNameOp {
  using is_transparent = void;
  static NameOp view(const NameOp& key) noexcept { return key; }
  static NameOp view(const std::pair<std::string, std::string>& key) noexcept {
    return {key.first, key.second};
  }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const noexcept {
    return view(a) < view(b);
  }
};

struct Shard {
  mutable std::mutex mutex;  // guards the two maps, not the counts
  std::map<std::pair<std::string, std::string>, std::unique_ptr<CommandSeries>, ByNameOp> commands;
  std::map<std::string, std::unique_ptr<CacheSeries>, std::less<>> caches;
};

std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string seconds(std::uint64_t nanoseconds) {
  return fmt::format("{}", static_cast<double>(nanoseconds) / 1e9);
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

struct MetricsObserver::Registry {
  std::array<Shard, kShards> shards;

  static std::size_t shard_of(std::string_view name, std::string_view op) noexcept {
    const std::size_t h = std::hash<std::string_view>{}(name);
    return (h ^ (std::hash<std::string_view>{}(op) * 31)) % kShards;
  }

  // Null only when memory ran out while creating the series (the event is then dropped: an
  // observer must not throw).
  CommandSeries* command(const CommandEvent& event) noexcept {
    Shard& shard = shards[shard_of(event.key_name, event.op)];
    std::lock_guard<std::mutex> lock(shard.mutex);
    const auto found = shard.commands.find(NameOp{event.key_name, event.op});
    if (found != shard.commands.end()) return found->second.get();
    try {
      auto series = std::make_unique<CommandSeries>();
      series->key_name = event.key_name;
      series->key_template = event.key_template;
      series->op = event.op;
      CommandSeries* raw = series.get();
      shard.commands.emplace(std::make_pair(std::string(event.key_name), std::string(event.op)),
                             std::move(series));
      return raw;
    } catch (...) {
      return nullptr;
    }
  }

  CacheSeries* cache(const KeySpec& spec) noexcept {
    Shard& shard = shards[shard_of(spec.name, {})];
    std::lock_guard<std::mutex> lock(shard.mutex);
    const auto found = shard.caches.find(spec.name);
    if (found != shard.caches.end()) return found->second.get();
    try {
      auto series = std::make_unique<CacheSeries>();
      series->key_name = spec.name;
      series->key_template = spec.key_template;
      CacheSeries* raw = series.get();
      shard.caches.emplace(std::string(spec.name), std::move(series));
      return raw;
    } catch (...) {
      return nullptr;
    }
  }

  const CommandSeries* find_command(std::string_view name, std::string_view op) const noexcept {
    const Shard& shard = shards[shard_of(name, op)];
    std::lock_guard<std::mutex> lock(shard.mutex);
    const auto found = shard.commands.find(NameOp{name, op});
    return found == shard.commands.end() ? nullptr : found->second.get();
  }

  const CacheSeries* find_cache(std::string_view name) const noexcept {
    const Shard& shard = shards[shard_of(name, {})];
    std::lock_guard<std::mutex> lock(shard.mutex);
    const auto found = shard.caches.find(name);
    return found == shard.caches.end() ? nullptr : found->second.get();
  }

  // Every series, sorted; the shard locks make the series' strings visible to this thread.
  template <typename Series, typename Select>
  std::vector<const Series*> all(Select select) const {
    std::vector<const Series*> out;
    for (const Shard& shard : shards) {
      std::lock_guard<std::mutex> lock(shard.mutex);
      for (const auto& entry : select(shard)) out.push_back(entry.second.get());
    }
    return out;
  }
};

MetricsObserver::MetricsObserver() : registry_(std::make_unique<Registry>()) {}
MetricsObserver::~MetricsObserver() = default;

void MetricsObserver::on_command(const CommandEvent& event) noexcept {
  CommandSeries* series = registry_->command(event);
  if (series == nullptr) return;
  series->outcomes[static_cast<std::size_t>(event.outcome)].fetch_add(1, kRelaxed);
  if (event.attempts > 1) {
    series->retries.fetch_add(static_cast<std::uint64_t>(event.attempts - 1), kRelaxed);
  }
  const double elapsed = std::chrono::duration<double>(event.latency).count();
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), elapsed) -
      kLatencyBuckets.begin());
  series->buckets[bucket].fetch_add(1, kRelaxed);
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(event.latency).count();
  series->latency_ns.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(ns, 0)), kRelaxed);
}

void MetricsObserver::on_cache(const KeySpec& spec, CacheOutcome outcome) noexcept {
  CacheSeries* series = registry_->cache(spec);
  if (series == nullptr) return;
  series->outcomes[static_cast<std::size_t>(outcome)].fetch_add(1, kRelaxed);
}

std::uint64_t MetricsObserver::commands(std::string_view key_name, std::string_view op,
                                        CommandOutcome outcome) const noexcept {
  const CommandSeries* series = registry_->find_command(key_name, op);
  return series == nullptr ? 0 : series->outcomes[static_cast<std::size_t>(outcome)].load(kRelaxed);
}

std::uint64_t MetricsObserver::cache_reads(std::string_view key_name,
                                           CacheOutcome outcome) const noexcept {
  const CacheSeries* series = registry_->find_cache(key_name);
  return series == nullptr ? 0 : series->outcomes[static_cast<std::size_t>(outcome)].load(kRelaxed);
}

namespace {

std::string command_labels(const CommandSeries& series) {
  return fmt::format("key=\"{}\",template=\"{}\",op=\"{}\"", escape_label(series.key_name),
                     escape_label(series.key_template), escape_label(series.op));
}

void render_commands(std::string& out, const std::vector<const CommandSeries*>& all) {
  auto to = std::back_inserter(out);
  header(out, "keyspace_commands_total", "counter",
         "Redis commands sent for each key, by operation and outcome.");
  for (const CommandSeries* series : all) {
    const std::string labels = command_labels(*series);
    for (std::size_t i = 0; i < kCommandOutcomes.size(); ++i) {
      fmt::format_to(to, "keyspace_commands_total{{{},outcome=\"{}\"}} {}\n", labels,
                     kCommandOutcomes[i], series->outcomes[i].load(kRelaxed));
    }
  }
  header(out, "keyspace_command_retries_total", "counter",
         "Extra attempts of idempotent reads after a connection error or timeout.");
  for (const CommandSeries* series : all) {
    fmt::format_to(to, "keyspace_command_retries_total{{{}}} {}\n", command_labels(*series),
                   series->retries.load(kRelaxed));
  }
}

// Buckets are stored per interval and rendered cumulatively; _count is the +Inf bucket, so the
// two always agree even while other threads keep recording.
void render_latencies(std::string& out, const std::vector<const CommandSeries*>& all) {
  auto to = std::back_inserter(out);
  header(out, "keyspace_command_duration_seconds", "histogram",
         "Latency of Redis commands for each key and operation, retries included.");
  for (const CommandSeries* series : all) {
    const std::string labels = command_labels(*series);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      cumulative += series->buckets[i].load(kRelaxed);
      const std::string le = i < MetricsObserver::kLatencyBuckets.size()
                                 ? fmt::format("{}", MetricsObserver::kLatencyBuckets[i])
                                 : std::string("+Inf");
      fmt::format_to(to, "keyspace_command_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                     le, cumulative);
    }
    fmt::format_to(to, "keyspace_command_duration_seconds_sum{{{}}} {}\n", labels,
                   seconds(series->latency_ns.load(kRelaxed)));
    fmt::format_to(to, "keyspace_command_duration_seconds_count{{{}}} {}\n", labels, cumulative);
  }
}

void render_caches(std::string& out, const std::vector<const CacheSeries*>& all) {
  header(out, "keyspace_cache_reads_total", "counter",
         "Cache reads for each key: hit, miss, degraded_miss (a failed read treated as a miss), or stale (served past its TTL while one caller reloads).");
  for (const CacheSeries* series : all) {
    for (std::size_t i = 0; i < kCacheOutcomes.size(); ++i) {
      fmt::format_to(std::back_inserter(out),
                     "keyspace_cache_reads_total{{key=\"{}\",template=\"{}\",outcome=\"{}\"}} {}\n",
                     escape_label(series->key_name), escape_label(series->key_template),
                     kCacheOutcomes[i], series->outcomes[i].load(kRelaxed));
    }
  }
}

}  // namespace

std::string MetricsObserver::prometheus_text() const {
  auto commands = registry_->all<CommandSeries>([](const Shard& s) -> const auto& { return s.commands; });
  std::sort(commands.begin(), commands.end(), [](const CommandSeries* a, const CommandSeries* b) {
    return std::tie(a->key_name, a->op) < std::tie(b->key_name, b->op);
  });
  auto caches = registry_->all<CacheSeries>([](const Shard& s) -> const auto& { return s.caches; });
  std::sort(caches.begin(), caches.end(), [](const CacheSeries* a, const CacheSeries* b) {
    return a->key_name < b->key_name;
  });
  std::string out;
  render_commands(out, commands);
  render_latencies(out, commands);
  render_caches(out, caches);
  return out;
}

}  // namespace keyspace
