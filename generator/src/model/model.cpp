#include "model/model.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace keyspace::gen {
namespace {

constexpr std::array<std::pair<Kind, const char*>, 17> kKinds{{
    {Kind::value, "value"},     {Kind::counter, "counter"}, {Kind::flag, "flag"},
    {Kind::hash, "hash"},       {Kind::set, "set"},         {Kind::sorted_set, "sorted_set"},
    {Kind::list, "list"},       {Kind::stream, "stream"},   {Kind::cache, "cache"},
    {Kind::session, "session"}, {Kind::rate_limit, "rate_limit"}, {Kind::lock, "lock"},
    {Kind::queue, "queue"},     {Kind::channel, "channel"}, {Kind::hyperloglog, "hyperloglog"},
    {Kind::presence, "presence"}, {Kind::geo, "geo"},
}};

constexpr std::array<std::pair<RateLimitAlgorithm, const char*>, 3> kAlgorithms{{
    {RateLimitAlgorithm::fixed_window, "fixed_window"},
    {RateLimitAlgorithm::sliding_window, "sliding_window"},
    {RateLimitAlgorithm::token_bucket, "token_bucket"},
}};

constexpr std::array<std::pair<CacheOnError, const char*>, 2> kOnErrors{{
    {CacheOnError::throw_error, "throw"},
    {CacheOnError::miss, "miss"},
}};

template <class Enum, std::size_t N>
const char* name_in(const std::array<std::pair<Enum, const char*>, N>& names, Enum value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "?";
}

template <class Enum, std::size_t N>
std::optional<Enum> parse_in(const std::array<std::pair<Enum, const char*>, N>& names, const std::string& text) {
  for (const auto& [v, name] : names) {
    if (text == name) return v;
  }
  return std::nullopt;
}

Segment literal_segment(std::string text, const SourceLoc& loc) { return Segment{false, std::move(text), loc}; }

// The key's rendered template followed by one more literal segment. Companion segments start
// with `_`, which a declared literal segment cannot, so they never equal a declared literal.
KeyTemplate suffixed(const Key& key, const std::string& suffix) {
  KeyTemplate t = rendered_key_template(key);
  t.segments.push_back(literal_segment(suffix, key.loc));
  t.text += ":" + suffix;
  return t;
}

std::vector<Param> params_used(const KeyTemplate& t, const std::vector<Param>& params) {
  std::vector<Param> out;
  for (const Segment& seg : t.segments) {
    if (!seg.is_param) continue;
    auto p = std::find_if(params.begin(), params.end(), [&](const Param& x) { return x.name == seg.text; });
    if (p != params.end()) out.push_back(*p);
  }
  return out;
}

}  // namespace

KeyTemplate tag_set_template(const std::string& namespace_name, const KeyTemplate& tag) {
  KeyTemplate t = tag;
  t.segments.insert(t.segments.begin(), {literal_segment(namespace_name, tag.loc), literal_segment("_tag", tag.loc)});
  t.text = namespace_name + ":_tag:" + tag.text;
  return t;
}

std::vector<CompanionKey> companion_keys(const Key& key) {
  std::vector<CompanionKey> out;
  auto add = [&](std::string role, std::string type, KeyTemplate t, const std::vector<Param>& params) {
    std::vector<Param> used = params_used(t, params);
    out.push_back(CompanionKey{std::move(role), std::move(type), std::move(t), std::move(used)});
  };
  switch (key.kind) {
    case Kind::cache:
      add("load lock", "string", suffixed(key, "_fill"), key.params);
      break;
    case Kind::session:
      // An index whose `key` is missing or did not parse has been reported; it has no template.
      if (key.index && !key.index->key.segments.empty()) add("session index", "zset", key.index->key, key.index->params);
      break;
    case Kind::lock:
      add("fencing counter", "string", suffixed(key, "_fence"), key.params);
      break;
    case Kind::queue:
      add("processing list", "list", suffixed(key, "_processing"), key.params);
      add("in-flight index", "zset", suffixed(key, "_inflight"), key.params);
      break;
    default:
      break;
  }
  // Tag sets, of every kind that accepts tags (docs/tags.md): shared by the namespace's keys.
  for (const KeyTemplate& tag : key.tags) add("tag set", "set", tag_set_template(key.namespace_name, tag), key.params);
  return out;
}

const char* kind_name(Kind kind) { return name_in(kKinds, kind); }
std::optional<Kind> parse_kind(const std::string& text) { return parse_in(kKinds, text); }
const char* algorithm_name(RateLimitAlgorithm algorithm) { return name_in(kAlgorithms, algorithm); }
std::optional<RateLimitAlgorithm> parse_algorithm(const std::string& text) { return parse_in(kAlgorithms, text); }
const char* on_error_name(CacheOnError on_error) { return name_in(kOnErrors, on_error); }
std::optional<CacheOnError> parse_on_error(const std::string& text) { return parse_in(kOnErrors, text); }

bool takes_ttl_override(Kind kind) { return kind == Kind::value || kind == Kind::flag; }

std::optional<Millis> max_ttl(const Key& key, const Schema& schema) {
  std::optional<Millis> out;
  for (const Namespace& ns : schema.namespaces) {
    if (ns.name == key.namespace_name) out = ns.ttl_max;
  }
  const auto policy = schema.kind_policies.find(key.kind);
  if (policy != schema.kind_policies.end() && policy->second.max_ttl && (!out || *policy->second.max_ttl < *out)) {
    out = policy->second.max_ttl;
  }
  return out;
}

Access access_of(const Key& key, const std::string& service) {
  if (key.owner == service) return Access::read_write;
  if (std::find(key.readers.begin(), key.readers.end(), service) != key.readers.end()) return Access::read;
  return Access::none;
}

std::string rendered_template(const Key& key) {
  return key.version > 1 ? key.key.text + ":v" + std::to_string(key.version) : key.key.text;
}

KeyTemplate rendered_key_template(const Key& key) {
  KeyTemplate t = key.key;
  if (key.version > 1) t.segments.push_back(literal_segment("v" + std::to_string(key.version), key.version_loc));
  t.text = rendered_template(key);
  return t;
}

void index_types(Schema& schema) {
  schema.type_positions.clear();
  for (std::size_t i = 0; i < schema.types.size(); ++i) schema.type_positions.emplace(schema.types[i].name, i);
  schema.indexed_types = schema.types.size();
}

const TypeDef* Schema::find_type(const std::string& type_name) const {
  if (indexed_types == types.size()) {
    const auto it = type_positions.find(type_name);
    return it == type_positions.end() ? nullptr : &types[it->second];
  }
  for (const TypeDef& t : types) {
    if (t.name == type_name) return &t;
  }
  return nullptr;
}

const Service* Schema::find_service(const std::string& service_name) const {
  for (const Service& s : services) {
    if (s.name == service_name) return &s;
  }
  return nullptr;
}

}  // namespace keyspace::gen
