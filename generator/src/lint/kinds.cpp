#include "lint/kinds.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "diag/codes.hpp"
#include "model/duration.hpp"

namespace keyspace::gen {
namespace {

std::string key_name(const Key& key) { return key.namespace_name + "." + key.name; }

// A lock that never expires outlives a crashed holder; a cache or session entry that never
// expires is not a cache or a session.
void check_needs_ttl(const Key& key, DiagnosticSink& sink) {
  if (key.kind != Kind::lock && key.kind != Kind::cache && key.kind != Kind::session) return;
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
  for (const Field& f : key.fields) {
    // get_<field>/set_<field> accessors sit beside get_all/set_all, which read and write them all.
    if (f.name == "all") {
      sink.error(code::kReservedName, f.loc,
                 fmt::format("hash field name 'all' of '{}' is reserved: get_all/set_all read and write every field",
                             key_name(key)));
    }
  }
  if (key.value && !key.fields.empty()) {
    sink.error(code::kBadKindSetting, key.value->loc,
               fmt::format("hash '{}' has both 'fields' and 'value'; keep one of them", key_name(key)));
  } else if (key.value && key.value->tag != TypeRef::Tag::map) {
    sink.error(code::kBadKindSetting, key.value->loc,
               fmt::format("the value of hash '{}' must be a map<string,T> (or use 'fields')", key_name(key)));
  }
}

std::string param_signature(const KeyTemplate& tag, const Key& key) {
  std::string out;
  for (const Segment& seg : tag.segments) {
    if (!seg.is_param) continue;
    for (const Param& p : key.params) {
      if (p.name == seg.text) out += fmt::format("{}:{}{},", p.name, static_cast<int>(p.type), p.enum_type);
    }
  }
  return out;
}

// Names the kind's generated operations use beside the key's parameters: their arguments, and
// the members and locals their bodies call (`policy`, `session_ref`, ...). `client` (spelled
// `client_`, the accessor's own member) and `batch` (every kind's pipelined overloads take a
// `Batch& batch`) are taken in every kind. A key parameter of such a name would declare or
// shadow the same name twice.
const std::vector<std::string>& operation_arguments(Kind kind) {
  static const std::map<Kind, std::vector<std::string>> names{
      {Kind::value, {"value", "ttl_override", "ids"}},
      {Kind::counter, {"by"}},
      {Kind::cache, {"value", "loader", "policy", "tag_keys"}},
      {Kind::channel, {"value", "on_message", "on_error"}},
      {Kind::hash, {"field", "fields", "value", "by", "stored", "read", "write"}},
      {Kind::list, {"value", "start", "stop"}},
      {Kind::lock, {"wait"}},
      {Kind::queue, {"value", "timeout", "older_than", "queue_keys"}},
      {Kind::rate_limit, {"cost"}},
      {Kind::session, {"value", "session_ref", "index_key", "fn"}},
      {Kind::set, {"member", "members"}},
      {Kind::sorted_set, {"member", "score", "by", "start", "stop", "min", "max", "limit"}},
      {Kind::stream, {"value", "after_id", "count", "group", "start_id", "consumer", "block", "id", "ids"}},
  };
  static const std::vector<std::string> none;
  const auto it = names.find(kind);
  return it == names.end() ? none : it->second;
}

bool taken_by_every_kind(const std::string& name) { return name == "client" || name == "batch"; }

void check_param_names(const Key& key, DiagnosticSink& sink) {
  const std::vector<std::string>& reserved = operation_arguments(key.kind);
  for (const Param& p : key.params) {
    if (!taken_by_every_kind(p.name) && std::find(reserved.begin(), reserved.end(), p.name) == reserved.end()) continue;
    sink.error(code::kReservedName, p.loc,
               fmt::format("parameter name '{}' of '{}' is taken by the generated operations of kind '{}'; rename it "
                           "(e.g. '{}_id')", p.name, key_name(key), kind_name(key.kind), p.name));
  }
}

}  // namespace

// Each namespace is a C++ namespace and a member of `Keyspace`, beside what the schema's C++
// namespace holds of its own: `Keyspace::batch()` and `client_`, and the functions of declared
// types (`to_string` / `from_string` of enums, the JSON `write_value` / `read_value`). Each key is
// a member of its namespace's `Keys`, beside `client_`.
void check_member_names(const Namespace& ns, DiagnosticSink& sink) {
  static const std::map<std::string, std::string> taken{
      {"batch", "Keyspace::batch()"},     {"client", "Keyspace::client_"},
      {"to_string", "to_string(Enum)"},   {"from_string", "from_string(text, Enum&)"},
      {"write_value", "write_value(Writer&, const Type&)"}, {"read_value", "read_value(Reader&, Type&)"}};
  if (const auto it = taken.find(ns.name); it != taken.end()) {
    sink.error(code::kReservedName, ns.loc,
               fmt::format("namespace name '{}' is taken by the generated code ({}); rename it", ns.name, it->second));
  }
  for (const Key& key : ns.keys) {
    if (key.name != "client") continue;
    sink.error(code::kReservedName, key.loc,
               fmt::format("key name 'client' of namespace '{}' is taken by the generated code (Keys::client_); "
                           "rename it",
                           ns.name));
  }
}

void check_cache_tags(const Namespace& ns, DiagnosticSink& sink) {
  struct Seen {
    const KeyTemplate* tag;
    const Key* key;
    std::string signature;
  };
  std::map<std::string, Seen> functions;
  for (const Key& key : ns.keys) {
    if (key.kind != Kind::cache) continue;
    for (const KeyTemplate& tag : key.tags) {
      const std::string name = tag_function_name(tag);
      const std::string signature = param_signature(tag, key);
      const auto clash = std::find_if(ns.keys.begin(), ns.keys.end(), [&](const Key& k) { return k.name == name; });
      if (clash != ns.keys.end()) {
        sink.error(code::kTagClash, tag.loc,
                   fmt::format("tag '{}' of '{}' gives the namespace a function '{}', which is also a key's name",
                               tag.text, key_name(key), name),
                   {{clash->loc, "key declared here"}});
        continue;
      }
      const auto [it, inserted] = functions.emplace(name, Seen{&tag, &key, signature});
      if (inserted || (it->second.tag->text == tag.text && it->second.signature == signature)) continue;
      const bool same_text = it->second.tag->text == tag.text;
      sink.error(code::kTagClash, tag.loc,
                 same_text ? fmt::format("tag '{}' of '{}' has parameters of other types than the same tag of '{}'; "
                                         "one invalidate function serves both", tag.text, key_name(key),
                                         key_name(*it->second.key))
                           : fmt::format("tags '{}' and '{}' would both be invalidated by '{}'; rename one",
                                         it->second.tag->text, tag.text, name),
                 {{it->second.tag->loc, "other tag here"}});
    }
  }
}

void check_kind_rules(const Key& key, DiagnosticSink& sink) {
  check_needs_ttl(key, sink);
  check_rate_limit(key, sink);
  check_session(key, sink);
  check_lengths(key, sink);
  check_hash(key, sink);
  check_param_names(key, sink);
}

}  // namespace keyspace::gen
