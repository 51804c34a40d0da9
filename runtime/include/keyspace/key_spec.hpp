#pragma once
// Static facts about one key template, emitted by the generator as a constexpr value per
// accessor. The runtime uses them for error messages, observer labels and the default TTL.

#include <chrono>
#include <string_view>

namespace keyspace {

struct KeySpec {
  std::string_view name;          // "<namespace>.<key>", e.g. "cache.user_profile"
  std::string_view key_template;  // e.g. "cache:user:{user_id}:profile"
  std::chrono::milliseconds ttl;  // zero for persistent keys (ttl: none)
  // The largest TTL an override may set (the namespace's `ttl.max` or the kind's `max_ttl`,
  // whichever is smaller); zero when the schema sets no bound.
  std::chrono::milliseconds max_ttl{0};

  constexpr bool persistent() const noexcept { return ttl.count() == 0; }
};

}  // namespace keyspace
