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
void get_many_100(benchmark::State& state, keyspace::Client& client) {
  bench_keys::Keyspace keys{client};
  std::vector<std::int64_t> ids;
  for (std::int64_t id = 0; id < static_cast<std::int64_t>(kBatch); ++id) {
    keys.bench.product.set(id, bench::sample_product());
    ids.push_back(id);
  }
  for (auto _ : state) benchmark::DoNotOptimize(keys.bench.product.get_many(ids));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatch));
}

void TypedGetMany100(benchmark::State& state) { get_many_100(state, single_client()); }

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

// The same through one cluster Client (a pool of 8 per master), the threads' keys spread over
// the masters; bench/run compares them with redis-benchmark --cluster on the same cluster.
keyspace::Client* cluster_client() {
  static const std::optional<keyspace::Options> options = bench::cluster_options(8);
  if (!options) return nullptr;
  static keyspace::Client client{*options};
  return &client;
}

void ClusterSet8Threads(benchmark::State& state) {
  keyspace::Client* client = cluster_client();
  if (client == nullptr) return state.SkipWithError("no cluster (KEYSPACE_BENCH_CLUSTER_PORTS)");
  bench_keys::Keyspace keys{*client};
  const bench_keys::Product value = bench::sample_product();
  for (auto _ : state) keys.bench.product.set(state.thread_index(), value);
  state.SetItemsProcessed(state.iterations());
}

void ClusterGet8Threads(benchmark::State& state) {
  keyspace::Client* client = cluster_client();
  if (client == nullptr) return state.SkipWithError("no cluster (KEYSPACE_BENCH_CLUSTER_PORTS)");
  bench_keys::Keyspace keys{*client};
  keys.bench.product.set(state.thread_index(), bench::sample_product());
  for (auto _ : state) benchmark::DoNotOptimize(keys.bench.product.get(state.thread_index()));
  state.SetItemsProcessed(state.iterations());
}

// get_many of 100 keys spread over the slots (one MGET per slot, one pipeline per master).
void ClusterGetMany100(benchmark::State& state) {
  keyspace::Client* client = cluster_client();
  if (client == nullptr) return state.SkipWithError("no cluster (KEYSPACE_BENCH_CLUSTER_PORTS)");
  get_many_100(state, *client);
}

BENCHMARK(TypedSet)->UseRealTime();
BENCHMARK(RawSet)->UseRealTime();
BENCHMARK(TypedGet)->UseRealTime();
BENCHMARK(RawGet)->UseRealTime();
BENCHMARK(TypedGetMany100)->UseRealTime();
BENCHMARK(TypedBatchGet100)->UseRealTime();
BENCHMARK(TypedSet8Threads)->Threads(8)->UseRealTime();
BENCHMARK(TypedGet8Threads)->Threads(8)->UseRealTime();
BENCHMARK(ClusterSet8Threads)->Threads(8)->UseRealTime();
BENCHMARK(ClusterGet8Threads)->Threads(8)->UseRealTime();
BENCHMARK(ClusterGetMany100)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
