#pragma once
// A TTL override known at compile time: `keys.profile.user.set(42, p, keyspace::ttl<30, std::chrono::minutes>{})`.
// Accessors check it against the key's maximum with a static_assert, so an override above the
// schema's bound does not compile.

#include <chrono>
#include <cstdint>

namespace keyspace {

template <std::int64_t N, class Unit = std::chrono::seconds>
struct ttl {
  static_assert(N > 0, "keyspace::ttl: a TTL override must be positive");
  static constexpr std::chrono::milliseconds value = std::chrono::duration_cast<std::chrono::milliseconds>(Unit(N));
};

}  // namespace keyspace
