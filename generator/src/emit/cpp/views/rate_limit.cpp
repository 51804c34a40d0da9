#include <string>

#include <fmt/format.h>

#include "emit/cpp/kind_views.hpp"
#include "model/duration.hpp"

namespace keyspace::gen {

namespace {

// One comment line for the accessor: how the algorithm counts and when its key expires.
std::string algorithm_summary(RateLimitAlgorithm algorithm) {
  switch (algorithm) {
    case RateLimitAlgorithm::fixed_window:
      return "A counter per window, which starts at its first hit; the key expires when the window ends.";
    case RateLimitAlgorithm::sliding_window:
      return "A log of the hits of the last window (sorted set): exact in every window; the key expires one window "
             "after the last hit.";
    case RateLimitAlgorithm::token_bucket:
      break;
  }
  return "Tokens refilled continuously from server time; the key expires when the bucket would be full again.";
}

}  // namespace

// The limit becomes constexpr data of the accessor (`limit`), which the runtime reads on every
// hit: the generated operations stay one-line calls and the algorithm lives in the runtime.
void add_rate_limit_view(const Key& key, const Schema&, mstch::data& view) {
  view.set("has_limit", mstch::data(key.limit.has_value()));
  if (!key.limit) return;
  const RateLimit& limit = *key.limit;
  view.set("limit_requests", std::to_string(limit.requests));
  view.set("limit_per_ms", std::to_string(limit.per.count()));
  const std::string algorithm = algorithm_name(limit.algorithm);
  view.set("limit_algorithm", algorithm);
  view.set("limit_burst", std::to_string(limit.burst));
  std::string text = fmt::format("{} requests per {}, {}", limit.requests, format_duration(limit.per), algorithm);
  if (limit.algorithm == RateLimitAlgorithm::token_bucket) {
    text += fmt::format(", burst {}", limit.burst > 0 ? limit.burst : limit.requests);
  }
  view.set("limit_text", text);
  view.set("limit_how", algorithm_summary(limit.algorithm));
}

}  // namespace keyspace::gen
