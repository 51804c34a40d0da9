// Reading one key of a namespace: kind, template, params, value type, TTL and kind fields.
#include <algorithm>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "diag/codes.hpp"
#include "model/key_template.hpp"
#include "model/param_pattern.hpp"
#include "model/reader.hpp"
#include "model/type_expr.hpp"

namespace keyspace::gen {
namespace {

struct KindField {
  const char* field;
  std::vector<Kind> kinds;
};

// Kind-specific fields and the kinds that accept them.
const std::vector<KindField>& kind_fields() {
  static const std::vector<KindField> table{
      // Every kind that holds data (docs/tags.md); not counters, flags, locks, limits, queues, channels.
      {"tags", {Kind::value, Kind::hash, Kind::set, Kind::sorted_set, Kind::list, Kind::stream, Kind::session,
                Kind::cache, Kind::hyperloglog, Kind::presence, Kind::geo}},
      {"on_error", {Kind::cache}},
      {"refresh_ahead", {Kind::cache}},
      {"stale", {Kind::cache}},
      {"early_refresh", {Kind::cache}},
      {"limit", {Kind::rate_limit}},
      {"index", {Kind::session}},
      {"sliding", {Kind::session}},
      {"max_length", {Kind::list, Kind::stream, Kind::queue}},
      {"visibility_timeout", {Kind::queue}},
      {"fields", {Kind::hash}},
      {"channel", {Kind::channel}},
  };
  return table;
}

bool kind_has_value(Kind k) {
  return k != Kind::counter && k != Kind::flag && k != Kind::lock && k != Kind::rate_limit;
}

Param read_param(const ModelReader& r, const std::string& name, const Node& node, const Schema& s) {
  Param p;
  p.name = name;
  p.loc = r.key_loc(node);
  r.check_name(node, name, "parameter");
  Node type_node = node;
  if (node.json->is_object()) {
    type_node = r.child(node, "type");
    p.pattern = r.string(node, "pattern").value_or("");
    p.max_length = static_cast<std::size_t>(std::max<std::int64_t>(0, r.integer(node, "max_length").value_or(0)));
  }
  if (!type_node || !type_node.json->is_string()) return p;
  const std::string type = type_node.json->get<std::string>();
  const TypeDef* def = s.find_type(type);
  if (type == "string") p.type = Param::Type::string;
  else if (type == "int64") p.type = Param::Type::int64;
  else if (type == "uint64") p.type = Param::Type::uint64;
  else if (def && def->is_enum) {
    p.type = Param::Type::enum_;
    p.enum_type = type;
  } else if (!def && !type.empty() && type[0] >= 'A' && type[0] <= 'Z') {
    r.sink().error(code::kUnknownType, r.value_loc(type_node), fmt::format("unknown type '{}'", type));
  } else {
    r.sink().error(code::kBadParamType, r.value_loc(type_node),
                   fmt::format("parameter type must be string, int64, uint64 or an enum type, not '{}'", type));
  }
  if (!p.pattern.empty()) {
    const std::string error = pattern_error(p.pattern);
    if (!error.empty()) {
      r.sink().error(code::kBadPattern, r.value_loc(r.child(node, "pattern")),
                     fmt::format("pattern '{}' is not a valid RE2 regular expression: {}", p.pattern, error));
    }
  }
  if (p.type != Param::Type::string && (!p.pattern.empty() || p.max_length != 0)) {
    r.sink().error(code::kBadParamType, r.value_loc(type_node), "pattern and max_length apply to string parameters only");
  }
  return p;
}

// A template over `params`: placeholders declared, params used, first segment `first` (if set).
KeyTemplate read_template(const ModelReader& r, const Node& node, const std::vector<Param>& params,
                          const std::string& first, bool require_all_params) {
  const std::size_t errors_before = r.sink().all().size();
  KeyTemplate t = parse_key_template(node.json->get<std::string>(), r.text_loc(node), r.sink());
  // A malformed segment hides the placeholder it meant to hold; "unused" would only repeat that.
  const bool well_formed = r.sink().all().size() == errors_before;
  std::set<std::string> used;
  for (const Segment& seg : t.segments) {
    if (!seg.is_param) continue;
    used.insert(seg.text);
    if (std::none_of(params.begin(), params.end(), [&](const Param& p) { return p.name == seg.text; })) {
      r.sink().error(code::kUndeclaredParam, seg.loc,
                     fmt::format("placeholder '{{{}}}' is not declared in params", seg.text));
    }
  }
  if (!first.empty() && !t.segments.empty() && (t.segments[0].is_param || t.segments[0].text != first)) {
    r.sink().error(code::kWrongFirstSegment, t.segments[0].loc,
                   fmt::format("the first segment of key template '{}' must be the namespace name '{}'", t.text, first));
  }
  if (require_all_params && well_formed) {
    for (const Param& p : params) {
      if (!used.count(p.name)) {
        r.sink().error(code::kUnusedParam, p.loc, fmt::format("parameter '{}' is not used in '{}'", p.name, t.text));
      }
    }
  }
  return t;
}

// "10%" -> 10; nullopt unless a whole percentage in 1..99.
std::optional<int> read_percent(const std::string& text) {
  if (text.size() < 2 || text.size() > 3 || text.back() != '%') return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  if (value < 1 || value > 99) return std::nullopt;
  return value;
}

// `stale: <duration>` and `early_refresh: xfetch | {beta: <number>}` of a cache key.
void read_cache_refresh(const ModelReader& r, const Node& node, Key& k) {
  k.stale = r.duration(node, "stale");
  const Node early = r.child(node, "early_refresh");
  if (!early) return;
  if (early.json->is_string()) {
    if (early.json->get<std::string>() == "xfetch") k.early_refresh_beta = 1.0;
  } else if (const Node beta = r.child(early, "beta"); beta && beta.json->is_number()) {
    const double value = beta.json->get<double>();
    if (value > 0 && value <= 10) {
      k.early_refresh_beta = value;
    } else {
      r.sink().error(code::kBadKindSetting, r.value_loc(beta),
                     "early_refresh beta must be above 0 and at most 10 (1 is XFetch's default; above 1 refreshes earlier)");
    }
  }
  if (k.early_refresh_beta && r.child(node, "refresh_ahead")) {
    r.sink().error(code::kBadKindSetting, r.key_loc(early),
                   "refresh_ahead and early_refresh both refresh entries early: keep one");
  }
}

void read_kind_fields(const ModelReader& r, const Node& node, Key& k, const Schema& s) {
  for (const KindField& kf : kind_fields()) {
    const Node field = r.child(node, kf.field);
    if (!field || std::find(kf.kinds.begin(), kf.kinds.end(), k.kind) != kf.kinds.end()) continue;
    r.sink().error(code::kFieldNotForKind, r.key_loc(field),
                   fmt::format("'{}' does not apply to kind '{}'", kf.field, kind_name(k.kind)));
  }
  for (const Node& tag : r.items(r.child(node, "tags"))) {
    if (tag.json->is_string()) k.tags.push_back(read_template(r, tag, k.params, "", false));
  }
  // The JSON Schema has refused other spellings already; the default stays for them.
  k.on_error = parse_on_error(r.string(node, "on_error").value_or("throw")).value_or(CacheOnError::throw_error);
  if (const Node refresh = r.child(node, "refresh_ahead"); refresh && refresh.json->is_string()) {
    k.refresh_ahead = read_percent(refresh.json->get<std::string>());
    if (!k.refresh_ahead) {
      r.sink().error(code::kBadKindSetting, r.value_loc(refresh),
                     "refresh_ahead must be a share of the TTL between 1% and 99%, e.g. \"10%\"");
    }
  }
  read_cache_refresh(r, node, k);
  k.sliding = r.child(node, "sliding") && r.child(node, "sliding").json->is_boolean() &&
              r.child(node, "sliding").json->get<bool>();
  if (const Node limit = r.child(node, "limit")) {
    RateLimit l;
    l.requests = r.integer(limit, "requests").value_or(0);
    l.per = r.duration(limit, "per").value_or(Millis{0});
    l.algorithm = parse_algorithm(r.string(limit, "algorithm").value_or("fixed_window"))
                      .value_or(RateLimitAlgorithm::fixed_window);
    l.burst = r.integer(limit, "burst").value_or(0);
    l.loc = r.key_loc(limit);
    k.limit = l;
  }
  if (const Node index = r.child(node, "index")) {
    SessionIndex ix;
    ix.params = read_params(r, r.child(index, "params"), s);
    if (const Node key = r.child(index, "key"); key && key.json->is_string()) {
      ix.key = read_template(r, key, ix.params, k.namespace_name, true);
    }
    ix.max = r.integer(index, "max").value_or(0);
    ix.loc = r.key_loc(index);
    k.index = std::move(ix);
  }
  k.max_length = r.integer(node, "max_length");
  k.visibility_timeout = r.duration(node, "visibility_timeout");
  for (const auto& [name, field_node] : r.members(r.child(node, "fields"))) {
    r.check_name(field_node, name, "field");
    Field f = read_field(r, name, field_node);
    if (f.type.tag == TypeRef::Tag::named && !s.find_type(f.type.name)) {
      r.sink().error(code::kUnknownType, f.type.loc, fmt::format("unknown type '{}'", f.type.name));
    }
    k.fields.push_back(std::move(f));
  }
}

void read_value_type(const ModelReader& r, const Node& node, const std::string& key_name, Key& k, const Schema& s) {
  const Node value = r.child(node, "value");
  if (!value || !value.json->is_string()) {
    const bool needed = kind_has_value(k.kind) && !(k.kind == Kind::hash && r.child(node, "fields"));
    if (needed && !value) {
      r.sink().error(code::kMissingValue, r.key_loc(node),
                     fmt::format("key '{}' of kind '{}' needs a value type ('value:')", key_name, kind_name(k.kind)));
    }
    return;
  }
  if (!kind_has_value(k.kind)) {
    r.sink().error(code::kFieldNotForKind, r.key_loc(value),
                   fmt::format("'value' does not apply to kind '{}'", kind_name(k.kind)));
    return;
  }
  const std::string text = value.json->get<std::string>();
  auto t = parse_type_expr(text, r.value_loc(value));
  if (!t) {
    r.sink().error(code::kBadValueType, r.value_loc(value), fmt::format("'{}' is not a value type", text));
    return;
  }
  std::function<const TypeRef*(const TypeRef&)> unknown = [&](const TypeRef& ref) -> const TypeRef* {
    if (ref.tag == TypeRef::Tag::named && !s.find_type(ref.name)) return &ref;
    for (const TypeRef& a : ref.args) {
      if (const TypeRef* u = unknown(a)) return u;
    }
    return nullptr;
  };
  if (const TypeRef* u = unknown(*t)) {
    r.sink().error(code::kUnknownType, r.value_loc(value), fmt::format("unknown type '{}'", u->name));
    return;
  }
  k.value = std::move(*t);
}

// The effective TTL: the key's own, else the namespace default, else the schema default; or
// persistent with a reason. A rate limit without a TTL keeps its counters for one window.
void read_ttl(const ModelReader& r, const Node& node, const std::string& key_name, const Namespace& ns,
              const Schema& s, Key& k) {
  const Node ttl_node = r.child(node, "ttl");
  const Node reason_node = r.child(node, "persistent_reason");
  if (k.kind == Kind::channel) {
    // A pub/sub channel holds no data, so nothing expires; a TTL on one is a misunderstanding.
    for (const Node& n : {ttl_node, reason_node}) {
      if (n) r.sink().error(code::kFieldNotForKind, r.key_loc(n), "a channel holds no data and has no TTL");
    }
    return;
  }
  k.ttl.persistent_reason = r.string(node, "persistent_reason").value_or("");
  if (reason_node && reason_node.json->is_string() && k.ttl.persistent_reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    r.sink().error(code::kBlankPersistentReason, r.value_loc(reason_node),
                   fmt::format("key '{}' has a blank persistent_reason: say why it may never expire", key_name));
  }
  bool none = false;
  if (ttl_node) {
    k.ttl.value = r.duration(node, "ttl", &none);
    k.ttl.loc = r.value_loc(ttl_node);
    k.ttl.from = Ttl::From::key;
    if (k.ttl.value && reason_node) {
      r.sink().error(code::kTtlConflict, r.value_loc(reason_node),
                     fmt::format("key '{}' has a TTL and a persistent_reason; keep one of them", key_name));
    }
    if (none && !reason_node) {
      r.sink().error(code::kMissingTtl, r.value_loc(ttl_node),
                     fmt::format("key '{}' has 'ttl: none' without a persistent_reason saying why", key_name));
    }
    k.ttl.persistent = none;
    return;
  }
  if (reason_node) {
    k.ttl.persistent = true;
    k.ttl.loc = r.value_loc(reason_node);
  } else if (k.kind == Kind::rate_limit && k.limit && k.limit->per.count() > 0) {
    k.ttl = {k.limit->per, false, "", Ttl::From::kind, k.limit->loc};
  } else if (ns.ttl_default) {
    k.ttl = {ns.ttl_default, false, "", Ttl::From::namespace_default, ns.loc};
  } else if (s.default_ttl) {
    k.ttl = {s.default_ttl, false, "", Ttl::From::schema_default, s.default_ttl_loc};
  } else {
    r.sink().error(code::kMissingTtl, r.key_loc(node),
                   fmt::format("key '{}' has no TTL: set 'ttl' (here, on the namespace or in defaults), or "
                               "'persistent_reason' for a key that must never expire", key_name));
  }
}

}  // namespace

std::vector<Param> read_params(const ModelReader& r, const Node& params_node, const Schema& s) {
  std::vector<Param> out;
  for (const auto& [name, node] : r.members(params_node)) out.push_back(read_param(r, name, node, s));
  return out;
}

Key read_key(const ModelReader& r, const Node& node, const std::string& key_name, const Namespace& ns,
             const Schema& s) {
  r.check_name(node, key_name, "key");
  Key k;
  k.name = key_name;
  k.namespace_name = ns.name;
  k.loc = r.key_loc(node);
  if (!node.json->is_object()) return k;
  k.description = r.string(node, "description").value_or("");
  if (const Node kind = r.child(node, "kind"); kind && kind.json->is_string()) {
    const std::string text = kind.json->get<std::string>();
    k.kind_loc = r.value_loc(kind);
    if (auto parsed = parse_kind(text)) {
      k.kind = *parsed;
    } else {
      r.sink().error(code::kUnknownKind, r.value_loc(kind),
                     fmt::format("unknown kind '{}'; kinds are value, counter, flag, hash, set, sorted_set, list, "
                                 "stream, cache, session, rate_limit, lock, queue, channel", text));
    }
  }
  k.params = read_params(r, r.child(node, "params"), s);
  const char* template_field = k.kind == Kind::channel ? "channel" : "key";
  if (const Node t = r.child(node, template_field); t && t.json->is_string()) {
    k.key = read_template(r, t, k.params, ns.name, true);
  } else if (!t) {
    r.sink().error(code::kMissingField, r.key_loc(node),
                   fmt::format("key '{}' has no '{}:' template", key_name, template_field));
  }
  read_value_type(r, node, key_name, k, s);
  k.encoding = read_encoding(r, node, s.default_encoding);
  read_kind_fields(r, node, k, s);
  read_ttl(r, node, key_name, ns, s, k);
  k.owner = r.string(node, "owner").value_or(ns.owner);
  k.readers = r.child(node, "readers") ? r.strings(node, "readers") : ns.readers;
  if (const Node owner = r.child(node, "owner")) check_service_ref(r, owner, s);
  for (const Node& reader : r.items(r.child(node, "readers"))) check_service_ref(r, reader, s);
  if (auto reason = r.string(node, "deprecated")) k.deprecated = *reason;
  if (const Node version = r.child(node, "version")) {
    k.version = static_cast<int>(std::clamp<std::int64_t>(r.integer(node, "version").value_or(1), 1, 1'000'000));
    k.version_loc = r.value_loc(version);
  }
  if (const Node tag = r.child(node, "hash_tag"); tag && tag.json->is_string()) {
    k.hash_tag = tag.json->get<std::string>();
    if (std::none_of(k.params.begin(), k.params.end(), [&](const Param& p) { return p.name == k.hash_tag; })) {
      r.sink().error(code::kBadHashTag, r.value_loc(tag),
                     fmt::format("hash_tag '{}' is not a parameter of key '{}'", k.hash_tag, key_name));
    }
  }
  return k;
}

}  // namespace keyspace::gen
