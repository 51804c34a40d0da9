#pragma once
// keyspace::MetricsObserver: a ready Observer that keeps counters and latency histograms per
// key name and renders them in the Prometheus text exposition format (version 0.0.4), for a
// service's /metrics endpoint (the HTTP server is the service's; this is only the text).
//
//   auto metrics = std::make_shared<keyspace::MetricsObserver>();
//   options.observer = metrics;
//   ...
//   response.body = metrics->prometheus_text();
//
// Series (labels: key = KeySpec::name, template = the key template, op, outcome):
//   keyspace_commands_total{key,template,op,outcome}         counter; outcome is ok,
//                                                             error_reply, timeout, connection_error
//   keyspace_command_retries_total{key,template,op}          counter; extra attempts of reads
//   keyspace_command_duration_seconds{key,template,op}       histogram, fixed buckets
//                                                             (kLatencyBuckets, 100 us .. 1 s)
//   keyspace_cache_reads_total{key,template,outcome}         counter; hit, miss, degraded_miss, stale
// Labels come from the schema (names, templates, operations), never from rendered keys, so the
// number of series is bounded by the schema's size.
//
// Thread safety and cost: on_command / on_cache may be called from any number of threads.
// Series live in 16 shards chosen by a hash of (key name, op); a shard's mutex is held only to
// find (or, the first time, create) a series, and the counts themselves are relaxed atomics
// updated outside the lock. Series are never removed, so their addresses stay valid. Threads
// working on different keys rarely share a shard lock; a scrape locks one shard at a time.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "keyspace/observer.hpp"

namespace keyspace {

class MetricsObserver final : public Observer {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 13> kLatencyBuckets{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};

  MetricsObserver();
  ~MetricsObserver() override;
  MetricsObserver(const MetricsObserver&) = delete;
  MetricsObserver& operator=(const MetricsObserver&) = delete;

  void on_command(const CommandEvent& event) noexcept override;
  void on_cache(const KeySpec& spec, CacheOutcome outcome) noexcept override;

  // Every series in the text exposition format 0.0.4, sorted by metric, key and op.
  std::string prometheus_text() const;

  // The current count of one series (0 when it does not exist); for tests and health pages.
  std::uint64_t commands(std::string_view key_name, std::string_view op,
                         CommandOutcome outcome) const noexcept;
  std::uint64_t cache_reads(std::string_view key_name, CacheOutcome outcome) const noexcept;

 private:
  struct Registry;
  std::unique_ptr<Registry> registry_;
};

}  // namespace keyspace
