#include "lint/policy.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "diag/codes.hpp"
#include "lint/param_language.hpp"
#include "model/duration.hpp"

namespace keyspace::gen {
namespace {

std::string label(const Key& key) { return key.namespace_name + "." + key.name; }

const Param* find_param(const std::vector<Param>& params, const std::string& name) {
  const auto p = std::find_if(params.begin(), params.end(), [&](const Param& x) { return x.name == name; });
  return p == params.end() ? nullptr : &*p;
}

// The longest text a parameter renders into its segment, escaping included (a byte the runtime
// percent-encodes takes three); nullopt when nothing bounds it.
std::optional<std::size_t> longest_value(const Param& p, const Schema& schema) {
  switch (p.type) {
    case Param::Type::int64:
    case Param::Type::uint64: return 20;  // "-9223372036854775808", "18446744073709551615"
    case Param::Type::enum_: {
      std::size_t longest_name = 0;
      if (const TypeDef* t = schema.find_type(p.enum_type)) {
        for (const EnumValue& v : t->values) longest_name = std::max(longest_name, v.name.size());
      }
      return longest_name;
    }
    case Param::Type::string:
      if (!p.pattern.empty()) {
        const std::optional<ParamLanguage> language = rendered_language(p, schema);
        if (language && !language->unchecked_max_length) return longest(language->automaton);
      }
      // max_length bounds it, each byte three when the pattern lets escaping expand it.
      if (p.max_length == 0) return std::nullopt;
      return (p.pattern.empty() || pattern_may_expand(p.pattern) ? 3 : 1) * p.max_length;
  }
  return std::nullopt;
}

std::size_t longest_environment_prefix(const Schema& schema) {
  std::size_t longest_prefix = 0;
  for (const std::string& env : schema.environments) longest_prefix = std::max(longest_prefix, env.size() + 1);
  return longest_prefix;
}

// One template a key writes (its own or a companion's), with the parameters it is filled from.
struct Rendering {
  std::string owner;  // "users.by_name" or "users.by_name (load lock)"
  const KeyTemplate* key;
  const std::vector<Param>* params;
};

std::string unbounded_reason(const Param& p) {
  if (p.pattern.empty()) return "has no max_length";
  if (pattern_automaton(p.pattern)) return fmt::format("has no max_length and its pattern '{}' does not bound its length", p.pattern);
  return fmt::format("has no max_length, and its pattern '{}' is beyond what keyspace reads for a length bound",
                     p.pattern);
}

// KS0310 for one key and its companions: one finding per parameter that nothing bounds, and one
// for the longest template above the policy, each with a note naming every template it affects.
void check_key_length(const Schema& schema, const Key& key, DiagnosticSink& sink) {
  std::vector<Rendering> renderings{{label(key), &key.key, &key.params}};
  const std::vector<CompanionKey> companions = companion_keys(key);
  for (const CompanionKey& c : companions) renderings.push_back({label(key) + " (" + c.role + ")", &c.key, &c.params});
  std::vector<std::pair<const Param*, std::vector<const Rendering*>>> unbounded;
  std::vector<std::pair<const Rendering*, std::size_t>> too_long;
  for (const Rendering& r : renderings) {
    std::size_t length = longest_environment_prefix(schema) + (r.key->segments.empty() ? 0 : r.key->segments.size() - 1);
    bool bounded = true;
    for (const Segment& seg : r.key->segments) {
      if (!seg.is_param) {
        length += seg.text.size();
        continue;
      }
      const Param* p = find_param(*r.params, seg.text);
      if (!p) return;  // an undeclared placeholder, reported elsewhere
      const std::optional<std::size_t> value = longest_value(*p, schema);
      if (!value) {
        auto same = std::find_if(unbounded.begin(), unbounded.end(), [&](const auto& u) {
          return u.first->name == p->name && u.first->loc.line == p->loc.line && u.first->loc.column == p->loc.column;
        });
        if (same == unbounded.end()) same = unbounded.insert(unbounded.end(), {p, {}});
        same->second.push_back(&r);
        bounded = false;
        continue;
      }
      length += *value + (seg.text == key.hash_tag ? 2 : 0);
    }
    if (bounded && length > *schema.max_key_length) too_long.emplace_back(&r, length);
  }
  for (const auto& [p, affected] : unbounded) {
    std::vector<Note> notes{{schema.max_key_length_loc, "policy set here"}};
    for (const Rendering* r : affected) notes.push_back({r->key->loc, fmt::format("'{}' ({}) uses it", r->key->text, r->owner)});
    sink.error(code::kKeyTooLong, p->loc,
               fmt::format("string parameter '{}' of '{}' {}, so its keys cannot be kept within "
                           "policies.max_key_length {}", p->name, label(key), unbounded_reason(*p), *schema.max_key_length),
               std::move(notes));
  }
  if (too_long.empty()) return;
  const auto longest_one = std::max_element(too_long.begin(), too_long.end(),
                                            [](const auto& a, const auto& b) { return a.second < b.second; });
  std::vector<Note> notes{{schema.max_key_length_loc, "policy set here"}};
  for (const auto& [r, length] : too_long) {
    if (r != longest_one->first) notes.push_back({r->key->loc, fmt::format("'{}' ({}) is {} bytes", r->key->text, r->owner, length)});
  }
  sink.error(code::kKeyTooLong, longest_one->first->key->loc,
             fmt::format("the longest key of '{}' ({}) is {} bytes, above policies.max_key_length {} "
                         "(environment prefix and parameters at their longest, escaping included)",
                         longest_one->first->key->text, longest_one->first->owner, longest_one->second,
                         *schema.max_key_length),
             std::move(notes));
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
      check_key_length(schema, key, sink);
    }
  }
}

}  // namespace keyspace::gen
