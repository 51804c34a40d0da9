#include "policy_rules.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>

#include "diagnostic_codes.hpp"
#include "duration.hpp"

namespace keyspace::gen {
namespace {

std::string label(const Key& key) { return key.namespace_name + "." + key.name; }

const Param* find_param(const std::vector<Param>& params, const std::string& name) {
  const auto p = std::find_if(params.begin(), params.end(), [&](const Param& x) { return x.name == name; });
  return p == params.end() ? nullptr : &*p;
}

// The longest text a parameter renders; nullopt for a string without max_length. Escaping can
// lengthen a string value (a percent-encoded byte takes three), which is not counted: the bound
// is on the value as the caller passes it.
std::optional<std::size_t> longest_value(const Param& p, const Schema& schema) {
  switch (p.type) {
    case Param::Type::int64:
    case Param::Type::uint64: return 20;  // "-9223372036854775808", "18446744073709551615"
    case Param::Type::enum_: {
      std::size_t longest = 0;
      if (const TypeDef* t = schema.find_type(p.enum_type)) {
        for (const EnumValue& v : t->values) longest = std::max(longest, v.name.size());
      }
      return longest;
    }
    case Param::Type::string:
      if (p.max_length == 0) return std::nullopt;
      return p.max_length;
  }
  return std::nullopt;
}

std::size_t longest_environment_prefix(const Schema& schema) {
  std::size_t longest = 0;
  for (const std::string& env : schema.environments) longest = std::max(longest, env.size() + 1);
  return longest;
}

void check_key_length(const Schema& schema, const std::string& owner, const KeyTemplate& t,
                      const std::vector<Param>& params, const std::string& hash_tag, DiagnosticSink& sink) {
  std::size_t length = longest_environment_prefix(schema) + (t.segments.empty() ? 0 : t.segments.size() - 1);
  for (const Segment& seg : t.segments) {
    if (!seg.is_param) {
      length += seg.text.size();
      continue;
    }
    const Param* p = find_param(params, seg.text);
    if (!p) return;  // an undeclared placeholder, reported elsewhere
    const std::optional<std::size_t> value = longest_value(*p, schema);
    if (!value) {
      sink.error(code::kKeyTooLong, p->loc,
                 fmt::format("string parameter '{}' of '{}' has no max_length, so the keys of '{}' cannot be kept "
                             "within policies.max_key_length {}", p->name, owner, t.text, *schema.max_key_length),
                 {{schema.max_key_length_loc, "policy set here"}});
      return;
    }
    length += *value + (seg.text == hash_tag ? 2 : 0);
  }
  if (length > *schema.max_key_length) {
    sink.error(code::kKeyTooLong, t.loc,
               fmt::format("the longest key of '{}' ({}) is {} bytes, above policies.max_key_length {} "
                           "(environment prefix and parameters at their longest included)",
                           t.text, owner, length, *schema.max_key_length),
               {{schema.max_key_length_loc, "policy set here"}});
  }
}

// Keys that one script touches must share a Redis Cluster slot. A key with hash_tag says it is
// meant for a cluster; its suffixed companions carry the same tag, but a cache's tag sets are
// shared by the whole namespace, and a session index has a template of its own.
void check_cluster_safety(const Key& key, DiagnosticSink& sink) {
  if (key.hash_tag.empty()) return;
  if (key.kind == Kind::cache && !key.tags.empty()) {
    sink.error(code::kCrossSlot, key.tags.front().loc,
               fmt::format("cache '{}' has hash_tag '{}' and tags: tag sets are shared by the namespace and "
                           "cannot share the entry's cluster slot", label(key), key.hash_tag));
  }
  if (key.kind == Kind::session && key.index && !key.index->key.segments.empty()) {
    const bool shared = std::any_of(key.index->key.segments.begin(), key.index->key.segments.end(),
                                    [&](const Segment& s) { return s.is_param && s.text == key.hash_tag; });
    if (!shared) {
      sink.error(code::kCrossSlot, key.index->key.loc,
                 fmt::format("the index of session '{}' does not use its hash_tag parameter '{}', so the session "
                             "and its index cannot share a cluster slot", label(key), key.hash_tag));
    }
  }
}

}  // namespace

void check_policy_rules(const Schema& schema, DiagnosticSink& sink) {
  for (const Namespace& ns : schema.namespaces) {
    for (const Key& key : ns.keys) {
      check_cluster_safety(key, sink);
      if (!schema.max_key_length || key.kind == Kind::channel) continue;
      check_key_length(schema, label(key), key.key, key.params, key.hash_tag, sink);
      for (const CompanionKey& companion : companion_keys(key)) {
        check_key_length(schema, label(key) + " (" + companion.role + ")", companion.key, companion.params,
                         key.hash_tag, sink);
      }
    }
  }
}

}  // namespace keyspace::gen
