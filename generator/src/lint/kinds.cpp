#include "lint/kinds.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "diag/codes.hpp"
#include "model/duration.hpp"

namespace keyspace::gen {
namespace {

std::string key_name(const Key& key) { return key.namespace_name + "." + key.name; }

// A lock that never expires outlives a crashed holder; a cache or session entry that never
// expires is not a cache or a session; a presence's TTL is how long a member stays present.
void check_needs_ttl(const Key& key, DiagnosticSink& sink) {
  if (key.kind != Kind::lock && key.kind != Kind::cache && key.kind != Kind::session && key.kind != Kind::presence) return;
  if (!key.ttl.persistent) return;
  sink.error(code::kKindNeedsTtl, key.ttl.loc,
             fmt::format("key '{}' of kind '{}' cannot be persistent: set a TTL", key_name(key), kind_name(key.kind)));
}

void check_rate_limit(const Key& key, DiagnosticSink& sink) {
  if (key.kind != Kind::rate_limit) return;
  if (!key.limit) {
    sink.error(code::kBadKindSetting, key.kind_loc,
               fmt::format("rate limit '{}' needs a limit, e.g. limit: {{requests: 5, per: 1m}}", key_name(key)));
    return;
  }
  const RateLimit& l = *key.limit;
  if (l.requests < 1) {
    sink.error(code::kBadKindSetting, l.loc, fmt::format("limit of '{}' needs requests of at least 1", key_name(key)));
  }
  if (l.per.count() < 1) {
    sink.error(code::kBadKindSetting, l.loc, fmt::format("limit of '{}' needs a window 'per' of at least 1ms", key_name(key)));
  }
  if (l.algorithm != RateLimitAlgorithm::token_bucket && l.burst != 0) {
    sink.error(code::kBadKindSetting, l.loc,
               fmt::format("'burst' applies to algorithm token_bucket only, not {}", algorithm_name(l.algorithm)));
  }
  if (l.burst < 0) sink.error(code::kBadKindSetting, l.loc, "'burst' must not be negative");
  if (key.ttl.from == Ttl::From::key && key.ttl.value && *key.ttl.value < l.per) {
    sink.error(code::kTtlShorterThanWindow, key.ttl.loc,
               fmt::format("TTL {} of rate limit '{}' is shorter than its window {}: counts would expire early",
                           format_duration(*key.ttl.value), key_name(key), format_duration(l.per)),
               {{l.loc, "window set here"}});
  }
}

// A session key holds one generated id: besides parameters of its index (which let a hash_tag
// put the session and its index in one cluster slot) its template has exactly one parameter, a
// string: the session id that create() generates.
void check_session(const Key& key, DiagnosticSink& sink) {
  if (key.kind != Kind::session) return;
  std::size_t ids = 0, string_ids = 0;
  for (const Param& p : key.params) {
    const bool of_index = key.index && std::any_of(key.index->params.begin(), key.index->params.end(),
                                                   [&](const Param& x) { return x.name == p.name; });
    if (of_index) continue;
    ++ids;
    if (p.type == Param::Type::string) ++string_ids;
  }
  if (ids != 1 || string_ids != 1) {
    sink.error(code::kBadKindSetting, key.key.loc,
               fmt::format("session key '{}' needs exactly one parameter besides those of its index, a string: "
                           "the session id that create() generates", key_name(key)));
  }
  if (key.index && key.index->max < 0) {
    sink.error(code::kBadKindSetting, key.index->loc, "index 'max' must not be negative (0: unbounded)");
  }
}

void check_lengths(const Key& key, DiagnosticSink& sink) {
  if (key.max_length && *key.max_length < 1) {
    sink.error(code::kBadKindSetting, key.loc, fmt::format("max_length of '{}' must be at least 1", key_name(key)));
  }
}

// A hash holds named fields (`fields:`) or is a map (`value: map<string,T>`).
void check_hash(const Key& key, DiagnosticSink& sink) {
  if (key.kind != Kind::hash) return;
  if (key.value && !key.fields.empty()) {
    sink.error(code::kBadKindSetting, key.value->loc,
               fmt::format("hash '{}' has both 'fields' and 'value'; keep one of them", key_name(key)));
  } else if (key.value && key.value->tag != TypeRef::Tag::map) {
    sink.error(code::kBadKindSetting, key.value->loc,
               fmt::format("the value of hash '{}' must be a map<string,T> (or use 'fields')", key_name(key)));
  }
}

}  // namespace

void check_kind_rules(const Key& key, DiagnosticSink& sink) {
  check_needs_ttl(key, sink);
  check_rate_limit(key, sink);
  check_session(key, sink);
  check_lengths(key, sink);
  check_hash(key, sink);
}

}  // namespace keyspace::gen
