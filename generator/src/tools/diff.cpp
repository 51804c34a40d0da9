#include "tools/diff.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "model/duration.hpp"
#include "model/type_expr.hpp"

namespace keyspace::gen {
namespace {

constexpr auto kSource = ChangeCategory::source;
constexpr auto kData = ChangeCategory::data;
constexpr auto kOps = ChangeCategory::ops;

template <typename T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.name == name; });
  return it == items.end() ? nullptr : &*it;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

std::string param_type_text(const Param& p) {
  switch (p.type) {
    case Param::Type::string: return "string";
    case Param::Type::int64: return "int64";
    case Param::Type::uint64: return "uint64";
    case Param::Type::enum_: return p.enum_type;
  }
  return "string";
}

bool param_is_numeric(const Param& p) { return p.type == Param::Type::int64 || p.type == Param::Type::uint64; }

std::string ttl_text(const Ttl& ttl) {
  if (ttl.value) return format_duration(*ttl.value);
  return ttl.persistent ? "none (persistent)" : "none";
}

std::string limit_text(const std::optional<RateLimit>& l) {
  if (!l) return "none";
  std::string out = fmt::format("{} per {} {}", l->requests, format_duration(l->per), algorithm_name(l->algorithm));
  return l->burst ? out + fmt::format(" burst {}", l->burst) : out;
}

std::string max_length_text(const std::optional<std::int64_t>& n) { return n ? std::to_string(*n) : "unbounded"; }

// A cache's early refresh: `refresh_ahead`, XFetch or none.
std::string early_refresh_text(const Key& k) {
  if (k.refresh_ahead) return fmt::format("refresh_ahead {}%", *k.refresh_ahead);
  if (k.early_refresh_beta) return fmt::format("xfetch beta {}", *k.early_refresh_beta);
  return "none";
}

std::string stale_text(const Key& k) { return k.stale ? format_duration(*k.stale) : "none"; }

const char* on_error_text(CacheOnError e) { return e == CacheOnError::miss ? "miss" : "throw"; }

std::string field_text(const Field& f) { return type_expr_text(f.type) + (f.optional ? " (optional)" : ""); }

const char* encoding_name(Encoding e) { return e == Encoding::msgpack ? "msgpack" : "json"; }

// Scalars have one fixed wire form; only structured values go through the JSON/MessagePack codec.
bool encoding_matters(const std::optional<TypeRef>& value) {
  if (!value) return false;
  switch (value->tag) {
    case TypeRef::Tag::named: case TypeRef::Tag::list: case TypeRef::Tag::map: case TypeRef::Tag::uint64: return true;
    default: return false;
  }
}

SourceLoc loc_or(const SourceLoc& preferred, const SourceLoc& fallback) {
  return preferred.line > 0 ? preferred : fallback;
}

class Differ {
 public:
  Differ(const Schema& before, const Schema& after) : before_(before), after_(after) {}

  std::vector<Change> run() {
    diff_namespaces();
    diff_types();
    return std::move(out_);
  }

 private:
  void add(const char* code, ChangeCategory cat, bool breaking, std::string subject, std::string what,
           std::string old_text, std::string new_text, SourceLoc loc) {
    out_.push_back({code, cat, breaking, std::move(subject), std::move(what), std::move(old_text),
                    std::move(new_text), std::move(loc), key_, type_, ""});
  }

  void diff_namespaces() {
    for (const Namespace& a : before_.namespaces) {
      const Namespace* b = find_named(after_.namespaces, a.name);
      if (!b) {
        add("KD1001", kSource, true, a.name, "namespace removed", a.name, "", a.loc);
        continue;
      }
      if (a.description != b->description) {
        add("KD3103", kOps, false, b->name, "description changed", a.description, b->description, b->loc);
      }
      for (const Key& k : a.keys) {
        key_ = a.name + "." + k.name;
        if (const Key* bk = find_named(b->keys, k.name)) diff_key(k, *bk);
        else add("KD1002", kSource, true, key_, "key removed", k.key.text, "", k.loc);
      }
      for (const Key& k : b->keys) {
        key_ = b->name + "." + k.name;
        if (!find_named(a.keys, k.name)) add("KD1102", kSource, false, key_, "key added", "", k.key.text, k.loc);
      }
      key_.clear();
    }
    for (const Namespace& b : after_.namespaces) {
      if (!find_named(before_.namespaces, b.name)) {
        add("KD1101", kSource, false, b.name, "namespace added", "", b.name, b.loc);
      }
    }
  }

  void diff_key(const Key& a, const Key& b) {
    diff_key_shape(a, b);
    diff_params(a, b);
    diff_value(a, b);
    diff_key_ops(a, b);
    diff_key_reads(a, b);
    diff_key_meta(a, b);
  }

  // What decides the rendered key and the Redis type behind it.
  void diff_key_shape(const Key& a, const Key& b) {
    if (a.kind != b.kind) {
      add("KD1007", kSource, true, key_, "kind changed: the accessor's operations change", kind_name(a.kind),
          kind_name(b.kind), loc_or(b.kind_loc, b.loc));
      add("KD2012", kData, true, key_, "kind changed: existing entries have another Redis type (WRONGTYPE)",
          kind_name(a.kind), kind_name(b.kind), loc_or(b.kind_loc, b.loc));
    }
    if (a.key.text != b.key.text) {
      const bool channel = a.kind == Kind::channel || b.kind == Kind::channel;
      add(channel ? "KD2013" : "KD2001", kData, true, key_,
          channel ? "channel name changed: old publishers and new subscribers miss each other"
                  : "key template changed: old and new binaries read and write different keys",
          a.key.text, b.key.text, loc_or(b.key.loc, b.loc));
    }
    if (a.hash_tag != b.hash_tag) {
      add("KD2011", kData, true, key_, "hash tag changed: keys move to other cluster slots",
          a.hash_tag.empty() ? "none" : a.hash_tag, b.hash_tag.empty() ? "none" : b.hash_tag, b.loc);
    }
    if (b.version > a.version) {
      add("KD2103", kData, false, key_, "version raised: entries of the old layout become unreachable",
          std::to_string(a.version), std::to_string(b.version), loc_or(b.version_loc, b.loc));
    } else if (b.version < a.version) {
      add("KD2014", kData, true, key_, "version lowered: new binaries may read entries of an older layout",
          std::to_string(a.version), std::to_string(b.version), loc_or(b.version_loc, b.loc));
    }
  }

  void diff_params(const Key& a, const Key& b) {
    for (const Param& p : a.params) {
      const Param* q = find_named(b.params, p.name);
      if (!q) {
        add("KD1003", kSource, true, key_, fmt::format("parameter '{}' removed", p.name), param_type_text(p), "",
            p.loc);
        continue;
      }
      if (param_type_text(p) == param_type_text(*q)) continue;
      add("KD1005", kSource, true, key_, fmt::format("type of parameter '{}' changed", p.name), param_type_text(p),
          param_type_text(*q), q->loc);
      if (param_is_numeric(p) != param_is_numeric(*q)) {
        add("KD2002", kData, true, key_,
            fmt::format("parameter '{}' is rendered differently (escaping, leading zeros, signs)", p.name),
            param_type_text(p), param_type_text(*q), q->loc);
      }
    }
    for (const Param& q : b.params) {
      if (!find_named(a.params, q.name)) {
        add("KD1004", kSource, true, key_, fmt::format("parameter '{}' added", q.name), "", param_type_text(q),
            q.loc);
      }
    }
  }

  void diff_value(const Key& a, const Key& b) {
    const std::string old_type = a.value ? type_expr_text(*a.value) : "none";
    const std::string new_type = b.value ? type_expr_text(*b.value) : "none";
    const SourceLoc value_loc = b.value ? loc_or(b.value->loc, b.loc) : b.loc;
    if (old_type != new_type) {
      add("KD1011", kSource, true, key_, "value type changed", old_type, new_type, value_loc);
      add("KD2003", kData, true, key_, "value type changed: stored values no longer decode both ways", old_type,
          new_type, value_loc);
    }
    if (a.encoding != b.encoding && encoding_matters(a.value) && encoding_matters(b.value)) {
      add("KD2008", kData, true, key_, "encoding changed: stored values no longer decode both ways",
          encoding_name(a.encoding), encoding_name(b.encoding), b.loc);
    }
    for (const Field& f : a.fields) {
      const Field* g = find_named(b.fields, f.name);
      if (!g) {
        add("KD2010", kData, true, key_, fmt::format("hash field '{}' removed", f.name), type_expr_text(f.type), "",
            f.loc);
      }
    }
  }

  void diff_key_ops(const Key& a, const Key& b) {
    const SourceLoc ttl_loc = loc_or(b.ttl.loc, b.loc);
    if (a.ttl.value && !b.ttl.value && b.ttl.persistent) {
      add("KD3003", kOps, true, key_, "TTL removed: entries never expire", ttl_text(a.ttl), ttl_text(b.ttl), ttl_loc);
    } else if (!a.ttl.value && b.ttl.value) {
      add("KD3004", kOps, true, key_, "TTL added: entries that never expired now do", ttl_text(a.ttl),
          ttl_text(b.ttl), ttl_loc);
    } else if (a.ttl.value && b.ttl.value && *b.ttl.value < *a.ttl.value) {
      add("KD3001", kOps, true, key_, "TTL lowered", ttl_text(a.ttl), ttl_text(b.ttl), ttl_loc);
    } else if (a.ttl.value && b.ttl.value && *b.ttl.value > *a.ttl.value) {
      add("KD3002", kOps, true, key_, "TTL raised: more memory held", ttl_text(a.ttl), ttl_text(b.ttl), ttl_loc);
    }
    if (limit_text(a.limit) != limit_text(b.limit)) {
      add("KD3005", kOps, true, key_, "rate limit changed", limit_text(a.limit), limit_text(b.limit),
          b.limit ? loc_or(b.limit->loc, b.loc) : b.loc);
    }
    if (a.owner != b.owner) {
      add("KD3006", kOps, true, key_, "owner changed: ACLs change", a.owner.empty() ? "none" : a.owner,
          b.owner.empty() ? "none" : b.owner, b.loc);
    }
    std::vector<std::string> ra = a.readers, rb = b.readers;
    std::sort(ra.begin(), ra.end());
    std::sort(rb.begin(), rb.end());
    if (ra != rb) {
      add("KD3007", kOps, true, key_, "readers changed: ACLs change", ra.empty() ? "none" : join(ra),
          rb.empty() ? "none" : join(rb), b.loc);
    }
    const std::int64_t unbounded = std::numeric_limits<std::int64_t>::max();
    const std::int64_t old_max = a.max_length.value_or(unbounded), new_max = b.max_length.value_or(unbounded);
    if (new_max != old_max) {
      add(new_max < old_max ? "KD3008" : "KD3102", kOps, new_max < old_max, key_,
          new_max < old_max ? "max_length lowered: entries beyond it are trimmed" : "max_length raised",
          max_length_text(a.max_length), max_length_text(b.max_length), b.loc);
    }
  }

  // What reads and invalidations of the key do: a cache's failure policy and refresh, and tags.
  void diff_key_reads(const Key& a, const Key& b) {
    if (a.on_error != b.on_error) {
      const bool now_throws = b.on_error == CacheOnError::throw_error;
      add(now_throws ? "KD3009" : "KD3104", kOps, now_throws, key_,
          now_throws ? "on_error changed to throw: reads that Redis fails raise instead of missing"
                     : "on_error changed to miss: reads that Redis fails become misses (the loader runs)",
          on_error_text(a.on_error), on_error_text(b.on_error), b.loc);
    }
    if (early_refresh_text(a) != early_refresh_text(b)) {
      add("KD3105", kOps, false, key_, "early refresh changed: reloads come at other times",
          early_refresh_text(a), early_refresh_text(b), b.loc);
    }
    if (stale_text(a) != stale_text(b)) {
      add("KD3106", kOps, false, key_, "stale changed: entries are kept and served for another time past their TTL",
          stale_text(a), stale_text(b), b.loc);
    }
    for (const KeyTemplate& tag : a.tags) {
      if (std::none_of(b.tags.begin(), b.tags.end(), [&](const KeyTemplate& t) { return t.text == tag.text; })) {
        add("KD3010", kOps, true, key_, fmt::format("tag '{}' removed: invalidate_<tag> no longer deletes the key", tag.text),
            tag.text, "", b.loc);
      }
    }
    for (const KeyTemplate& tag : b.tags) {
      if (std::none_of(a.tags.begin(), a.tags.end(), [&](const KeyTemplate& t) { return t.text == tag.text; })) {
        add("KD3107", kOps, false, key_,
            fmt::format("tag '{}' added: keys written before the change are not in its tag set until rewritten", tag.text),
            "", tag.text, b.loc);
      }
    }
  }

  void diff_key_meta(const Key& a, const Key& b) {
    if (!a.deprecated && b.deprecated) {
      add("KD3101", kOps, false, key_, "key deprecated", "", *b.deprecated, b.loc);
    }
    if (a.description != b.description) {
      add("KD3103", kOps, false, key_, "description changed", a.description, b.description, b.loc);
    }
  }

  void diff_types() {
    for (const TypeDef& a : before_.types) {
      type_ = a.name;
      const TypeDef* b = find_named(after_.types, a.name);
      if (!b) add("KD1006", kSource, true, "type " + a.name, "type removed", a.name, "", a.loc);
      else if (a.is_enum != b->is_enum) diff_type_sort(a, *b);
      else if (a.is_enum) diff_enum(a, *b);
      else diff_struct(a, *b);
    }
    for (const TypeDef& b : after_.types) {
      type_ = b.name;
      if (!find_named(before_.types, b.name)) add("KD1103", kSource, false, "type " + b.name, "type added", "", b.name, b.loc);
    }
    type_.clear();
  }

  void diff_type_sort(const TypeDef& a, const TypeDef& b) {
    const char* old_sort = a.is_enum ? "enum" : "struct";
    const char* new_sort = b.is_enum ? "enum" : "struct";
    add("KD1011", kSource, true, "type " + a.name, "type changed between struct and enum", old_sort, new_sort, b.loc);
    add("KD2003", kData, true, "type " + a.name, "type changed between struct and enum: stored values no longer decode",
        old_sort, new_sort, b.loc);
  }

  void diff_enum(const TypeDef& a, const TypeDef& b) {
    for (const EnumValue& v : a.values) {
      if (find_named(b.values, v.name)) continue;
      const std::string subject = fmt::format("type {}.{}", a.name, v.name);
      add("KD1010", kSource, true, subject, "enum value removed", v.name, "", v.loc);
      add("KD2009", kData, true, subject, "enum value removed: stored values and keys holding it no longer decode",
          v.name, "", v.loc);
    }
    for (const EnumValue& v : b.values) {
      if (!find_named(a.values, v.name)) {
        add("KD2102", kData, false, fmt::format("type {}.{}", b.name, v.name),
            "enum value added: old binaries cannot decode it until they are rolled out", "", v.name, v.loc);
      }
    }
  }

  void diff_struct(const TypeDef& a, const TypeDef& b) {
    for (const Field& f : a.fields) {
      const std::string subject = fmt::format("type {}.{}", a.name, f.name);
      const Field* g = find_named(b.fields, f.name);
      if (!g) {
        add("KD1008", kSource, true, subject, "struct field removed", field_text(f), "", f.loc);
        add("KD2004", kData, true, subject, "struct field removed: old binaries cannot decode new values",
            field_text(f), "", f.loc);
        continue;
      }
      if (type_expr_text(f.type) != type_expr_text(g->type)) {
        add("KD1009", kSource, true, subject, "struct field type changed", field_text(f), field_text(*g), g->loc);
        add("KD2005", kData, true, subject, "struct field type changed: stored values no longer decode both ways",
            field_text(f), field_text(*g), g->loc);
      } else if (f.optional != g->optional) {
        add("KD1012", kSource, true, subject, "struct field optionality changed", field_text(f), field_text(*g),
            g->loc);
        add(g->optional ? "KD2015" : "KD2007", kData, true, subject,
            g->optional ? "struct field made optional: old binaries cannot decode values without it"
                        : "struct field made required: stored values without it no longer decode",
            field_text(f), field_text(*g), g->loc);
      }
    }
    for (const Field& g : b.fields) {
      if (find_named(a.fields, g.name)) continue;
      const std::string subject = fmt::format("type {}.{}", b.name, g.name);
      if (g.optional) add("KD2101", kData, false, subject, "optional struct field added", "", field_text(g), g.loc);
      else add("KD2006", kData, true, subject, "required struct field added: stored values without it no longer decode",
               "", field_text(g), g.loc);
    }
  }

  const Schema& before_;
  const Schema& after_;
  std::vector<Change> out_;
  std::string key_;   // the key being compared, if any
  std::string type_;  // the type being compared, if any
};

// Every declared type a key stores or renders: its value type (through struct fields, list and
// map elements), its hash fields, and enum parameters.
std::set<std::string> types_used_by(const Key& key, const Schema& schema) {
  std::set<std::string> used;
  std::function<void(const TypeRef&)> visit = [&](const TypeRef& t) {
    for (const TypeRef& arg : t.args) visit(arg);
    if (t.tag != TypeRef::Tag::named || !used.insert(t.name).second) return;
    if (const TypeDef* def = schema.find_type(t.name)) {
      for (const Field& f : def->fields) visit(f.type);
    }
  };
  if (key.value) visit(*key.value);
  for (const Field& f : key.fields) visit(f.type);
  for (const Param& p : key.params) {
    if (p.type == Param::Type::enum_) used.insert(p.enum_type);
  }
  return used;
}

// Keys whose version increased from `before` to `after`, and for each type the keys that use it.
struct VersionFacts {
  std::set<std::string> bumped;
  std::map<std::string, std::vector<std::string>> type_users;
};

VersionFacts version_facts(const Schema& before, const Schema& after) {
  VersionFacts facts;
  for (const Namespace& ns : after.namespaces) {
    const Namespace* old_ns = find_named(before.namespaces, ns.name);
    for (const Key& k : ns.keys) {
      const std::string id = ns.name + "." + k.name;
      const Key* old_key = old_ns ? find_named(old_ns->keys, k.name) : nullptr;
      if (old_key && k.version > old_key->version) facts.bumped.insert(id);
      for (const std::string& t : types_used_by(k, after)) facts.type_users[t].push_back(id);
    }
  }
  return facts;
}

std::string version_acknowledgement(const Change& c, const VersionFacts& facts) {
  if (!c.key.empty()) return facts.bumped.count(c.key) ? "version bump of " + c.key : "";
  if (c.type_name.empty()) return "";
  const auto users = facts.type_users.find(c.type_name);
  if (users == facts.type_users.end()) return "no key stores type " + c.type_name;
  const bool all_bumped = std::all_of(users->second.begin(), users->second.end(),
                                      [&](const std::string& id) { return facts.bumped.count(id) > 0; });
  return all_bumped ? "version bump of " + join(users->second) : "";
}

}  // namespace

const char* category_name(ChangeCategory c) {
  switch (c) {
    case ChangeCategory::source: return "SOURCE";
    case ChangeCategory::data: return "DATA";
    case ChangeCategory::ops: return "OPS";
  }
  return "SOURCE";
}

std::vector<Change> diff_schemas(const Schema& before, const Schema& after) { return Differ(before, after).run(); }

void acknowledge(std::vector<Change>& changes, const Schema& before, const Schema& after,
                 const std::set<std::string>& allowed) {
  const VersionFacts facts = version_facts(before, after);
  for (Change& c : changes) {
    if (!c.breaking) continue;
    if (allowed.count(c.code)) c.acknowledged_by = "--allow " + c.code;
    else if (c.category == ChangeCategory::data) c.acknowledged_by = version_acknowledgement(c, facts);
  }
}

bool has_unacknowledged_breaking(const std::vector<Change>& changes) {
  return std::any_of(changes.begin(), changes.end(),
                     [](const Change& c) { return c.breaking && c.acknowledged_by.empty(); });
}

}  // namespace keyspace::gen
