#pragma once
// Hand-written KeySpecs and key renderers, shaped like the ones the generator emits, plus the
// checks the runtime tests share.

#include <chrono>
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "keyspace/keyspace.hpp"
#include "keyspace_test/shared_redis.hpp"

namespace runtime_test {

using namespace std::chrono_literals;

inline constexpr keyspace::KeySpec kUserName{"cache.user_name", "cache:user:{user_id}:name", 1h};
inline constexpr keyspace::KeySpec kPageViews{"stats.page_views", "stats:page:{page}:views", 10min};
inline constexpr keyspace::KeySpec kTotalOrders{"stats.total_orders", "stats:orders:total", 0ms};
inline constexpr keyspace::KeySpec kMaintenance{"feature.maintenance",
                                                "feature:{service}:maintenance", 90s};
inline constexpr keyspace::KeySpec kDocument{"doc.body", "doc:{owner}:{name}", 30min};

inline std::string user_name_key(const keyspace::Client& client, std::int64_t user_id) {
  return keyspace::KeyBuilder(client, kUserName)
      .literal("cache:user:")
      .param(user_id)
      .literal(":name")
      .build();
}

inline std::string page_views_key(const keyspace::Client& client, std::string_view page) {
  static const keyspace::StringRule rule("page", "", 200);
  return keyspace::KeyBuilder(client, kPageViews)
      .literal("stats:page:")
      .param(page, rule)
      .literal(":views")
      .build();
}

inline std::string total_orders_key(const keyspace::Client& client) {
  return keyspace::KeyBuilder(client, kTotalOrders).literal("stats:orders:total").build();
}

inline std::string maintenance_key(const keyspace::Client& client, std::string_view service) {
  static const keyspace::StringRule rule("service", "[a-z][a-z0-9_]*", 64);
  return keyspace::KeyBuilder(client, kMaintenance)
      .literal("feature:")
      .param(service, rule)
      .literal(":maintenance")
      .build();
}

inline std::string document_key(const keyspace::Client& client, std::string_view owner,
                                std::string_view name) {
  static const keyspace::StringRule owner_rule("owner", "", 0);
  static const keyspace::StringRule name_rule("name", "", 0);
  return keyspace::KeyBuilder(client, kDocument)
      .literal("doc:")
      .param(owner, owner_rule)
      .literal(":")
      .param(name, name_rule)
      .build();
}

// PTTL as Redis reports it, read with redis-cli (independent of the runtime).
inline std::int64_t raw_pttl(const std::string& key) {
  return std::stoll(keyspace::test::redis_cli({"PTTL", key}));
}

// Every write must leave the key with the spec's TTL: positive, never above it, and fresh
// (the slack covers a slow test machine, not a missing TTL).
inline void expect_fresh_ttl(const std::string& key, const keyspace::KeySpec& spec) {
  const std::int64_t pttl = raw_pttl(key);
  EXPECT_GT(pttl, 0) << key;
  EXPECT_LE(pttl, spec.ttl.count()) << key;
  EXPECT_GE(pttl, spec.ttl.count() - 5000) << key;
}

inline bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace runtime_test
