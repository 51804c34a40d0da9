// Typed accessors vs raw hiredis on the same server, key and bytes (bench/run starts the server
// and passes its port in KEYSPACE_BENCH_PORT). items_per_second is operations (or keys) per second.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "common.hpp"

namespace {

constexpr std::int64_t kId = 4242;
constexpr std::size_t kBatch = 100;

// One connection for the single-threaded comparisons: the typed side must not win by pooling.
keyspace::Client& single_client() {
  static keyspace::Client client{bench::client_options(1)};
  return client;
}
keyspace::Client& shared_client() {  // 8 threads through one Client
  static keyspace::Client client{bench::client_options(8)};
  return client;
}

void TypedSet(benchmark::State& state) {
  bench_keys::Keyspace keys{single_client()};
  const bench_keys::Product value = bench::sample_product();
  for (auto _ : state) keys.bench.product.set(kId, value);
  state.SetItemsProcessed(state.iterations());
}

void RawSet(benchmark::State& state) {
  bench_keys::Keyspace keys{single_client()};
  bench::RawConnection raw;
  // The bytes the typed set() sends: its key, its encoding and the schema's TTL (1h).
  const std::string key = keys.bench.product.key(kId);
  const std::string bytes = keyspace::SchemaJsonCodec<bench_keys::Product>::encode(bench::sample_product());
  const std::string ttl = std::to_string(bench_keys::bench::Product::spec.ttl.count());
  for (auto _ : state) raw.set(key, bytes, ttl);
  state.SetItemsProcessed(state.iterations());
}

void TypedGet(benchmark::State& state) {
  bench_keys::Keyspace keys{single_client()};
  keys.bench.product.set(kId, bench::sample_product());
  for (auto _ : state) benchmark::DoNotOptimize(keys.bench.product.get(kId));
  state.SetItemsProcessed(state.iterations());
}

void RawGet(benchmark::State& state) {
  bench_keys::Keyspace keys{single_client()};
  keys.bench.product.set(kId, bench::sample_product());
  bench::RawConnection raw;
  const std::string key = keys.bench.product.key(kId);
  for (auto _ : state) benchmark::DoNotOptimize(raw.get(key));
  state.SetItemsProcessed(state.iterations());
}

// get_many of 100 existing keys; items are keys, to compare with redis-benchmark -P 100.
void TypedGetMany100(benchmark::State& state) {
  bench_keys::Keyspace keys{single_client()};
  std::vector<std::int64_t> ids;
  for (std::int64_t id = 0; id < static_cast<std::int64_t>(kBatch); ++id) {
    keys.bench.product.set(id, bench::sample_product());
    ids.push_back(id);
  }
  for (auto _ : state) benchmark::DoNotOptimize(keys.bench.product.get_many(ids));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatch));
}

// keys.batch() of 100 typed gets, one round trip; items are keys, like TypedGetMany100.
void TypedBatchGet100(benchmark::State& state) {
  bench_keys::Keyspace keys{single_client()};
  for (std::int64_t id = 0; id < static_cast<std::int64_t>(kBatch); ++id) {
    keys.bench.product.set(id, bench::sample_product());
  }
  std::vector<keyspace::Pending<std::optional<bench_keys::Product>>> results;
  results.reserve(kBatch);
  for (auto _ : state) {
    keyspace::Batch batch = keys.batch();
    results.clear();
    for (std::int64_t id = 0; id < static_cast<std::int64_t>(kBatch); ++id) {
      results.push_back(keys.bench.product.get(batch, id));
    }
    batch.execute();
    for (const auto& result : results) benchmark::DoNotOptimize(result.get());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatch));
}

// 8 threads through one Client (pool of 8), each on its own key.
void TypedSet8Threads(benchmark::State& state) {
  bench_keys::Keyspace keys{shared_client()};
  const bench_keys::Product value = bench::sample_product();
  for (auto _ : state) keys.bench.product.set(state.thread_index(), value);
  state.SetItemsProcessed(state.iterations());
}

void TypedGet8Threads(benchmark::State& state) {
  bench_keys::Keyspace keys{shared_client()};
  keys.bench.product.set(state.thread_index(), bench::sample_product());
  for (auto _ : state) benchmark::DoNotOptimize(keys.bench.product.get(state.thread_index()));
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(TypedSet)->UseRealTime();
BENCHMARK(RawSet)->UseRealTime();
BENCHMARK(TypedGet)->UseRealTime();
BENCHMARK(RawGet)->UseRealTime();
BENCHMARK(TypedGetMany100)->UseRealTime();
BENCHMARK(TypedBatchGet100)->UseRealTime();
BENCHMARK(TypedSet8Threads)->Threads(8)->UseRealTime();
BENCHMARK(TypedGet8Threads)->Threads(8)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
