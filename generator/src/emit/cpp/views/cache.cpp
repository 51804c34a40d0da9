// View data of the cache kind: the accessor's policy and load lock (its tags: views/tags.cpp).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "emit/cpp/kind_views.hpp"
#include "model/duration.hpp"
#include "emit/cpp/names.hpp"

namespace keyspace::gen {

namespace {

constexpr std::int64_t kMaxLoadLockMs = 10'000;  // runtime: keyspace::cache::kMaxLoadLock

}  // namespace

void add_cache_view(const Key& key, const Schema& schema, mstch::data& view) {
  const std::int64_t ttl_ms = key.ttl.value ? key.ttl.value->count() : 0;
  const std::int64_t lock_ms = ttl_ms > 0 ? std::min(ttl_ms, kMaxLoadLockMs) : kMaxLoadLockMs;
  const bool miss = key.on_error == CacheOnError::miss;
  view.set("on_error", std::string(miss ? "miss" : "throw_error"));
  view.set("miss_on_error", mstch::data(miss));
  view.set("refresh_ahead", std::to_string(key.refresh_ahead.value_or(0)));
  view.set("has_refresh_ahead", mstch::data(key.refresh_ahead.has_value()));
  view.set("stale_ms", std::to_string(key.stale ? key.stale->count() : 0));
  view.set("has_stale", mstch::data(key.stale.has_value()));
  view.set("stale_text", key.stale ? format_duration(*key.stale) : std::string());
  view.set("early_refresh_beta", key.early_refresh_beta ? fmt::format("{}", *key.early_refresh_beta) : std::string("0"));
  view.set("has_early_refresh", mstch::data(key.early_refresh_beta.has_value()));
  view.set("lock_ttl_text", format_duration(Millis{lock_ms}));
  (void)schema;  // the cache's own entries need no types; its tags: add_tags_view
}

}  // namespace keyspace::gen
