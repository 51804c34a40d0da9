#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// The operations of kind rate_limit. Each algorithm is one Lua script, so a hit (check, count,
// TTL) is atomic on the server and concurrent clients can never both take the last request.
// Time always comes from the server (TIME), never from the client's clock.

#include <chrono>
#include <cstdint>
#include <string>

#include "keyspace/client.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace {

enum class RateLimitAlgorithm { fixed_window, sliding_window, token_bucket };

// The schema's `limit:`, emitted by the generator as a constexpr value per accessor.
struct RateLimitSpec {
  std::int64_t requests;           // hits allowed per window (token bucket: refill per `per`)
  std::chrono::milliseconds per;   // the window (token bucket: the refill period)
  RateLimitAlgorithm algorithm;
  std::int64_t burst;              // token bucket capacity; 0 means `requests`

  // The most a single hit may cost: a larger hit could never be allowed.
  constexpr std::int64_t capacity() const noexcept {
    return algorithm == RateLimitAlgorithm::token_bucket && burst > 0 ? burst : requests;
  }
};

struct RateLimitResult {
  bool allowed = false;
  // Hits of cost 1 that would be allowed right now (after this hit).
  std::int64_t remaining = 0;
  // Zero when allowed; otherwise how long until a hit of the same cost can be allowed.
  std::chrono::milliseconds retry_after{0};
  // How long until the limiter is back to its full allowance (zero when it already is).
  std::chrono::milliseconds reset_after{0};
};

namespace rate_limit {

// Counts a hit of `cost` requests if the limit allows it; a denied hit consumes nothing.
// Throws PolicyError (before sending anything) when `cost` is below 1 or above
// `limit.capacity()`, because such a hit could never be allowed and retrying would not help.
RateLimitResult hit(Client& client, const KeySpec& spec, const RateLimitSpec& limit, const std::string& key,
                    std::int64_t cost = 1);
// What a hit of cost 1 would answer now, without counting it (and without writing anything).
RateLimitResult peek(Client& client, const KeySpec& spec, const RateLimitSpec& limit, const std::string& key);
// Forgets every hit counted for the key; true when there was something to forget.
bool reset(Client& client, const KeySpec& spec, const std::string& key);

}  // namespace rate_limit
}  // namespace keyspace
