#include "emit/export/export.hpp"

#include "model/duration.hpp"
#include "model/key_patterns.hpp"
#include "model/type_expr.hpp"

namespace keyspace::gen {
namespace {

using Json = nlohmann::ordered_json;

Json location(const SourceLoc& loc) {
  return Json{{"file", loc.file}, {"line", loc.line}, {"column", loc.column}};
}

// Durations carry both spellings: milliseconds for programs, the schema's text for people.
Json duration(const std::optional<Millis>& d) {
  if (!d) return nullptr;
  return Json{{"ms", d->count()}, {"text", format_duration(*d)}};
}

const char* encoding_name(Encoding e) { return e == Encoding::msgpack ? "msgpack" : "json"; }

const char* ttl_source(Ttl::From from) {
  switch (from) {
    case Ttl::From::key: return "key";
    case Ttl::From::namespace_default: return "namespace";
    case Ttl::From::schema_default: return "defaults";
    case Ttl::From::kind: return "kind";
  }
  return "key";
}

const char* param_type(const Param& p) {
  switch (p.type) {
    case Param::Type::string: return "string";
    case Param::Type::int64: return "int64";
    case Param::Type::uint64: return "uint64";
    case Param::Type::enum_: return p.enum_type.c_str();
  }
  return "string";
}

Json key_template(const KeyTemplate& t) {
  Json segments = Json::array();
  for (const Segment& seg : t.segments) {
    segments.push_back(Json{{"type", seg.is_param ? "param" : "literal"}, {"text", seg.text}, {"location", location(seg.loc)}});
  }
  return Json{{"text", t.text}, {"segments", segments}, {"location", location(t.loc)}};
}

Json params(const std::vector<Param>& list) {
  Json out = Json::array();
  for (const Param& p : list) {
    Json param{{"name", p.name}, {"type", param_type(p)}, {"enum", p.type == Param::Type::enum_}};
    param["pattern"] = p.pattern.empty() ? Json(nullptr) : Json(p.pattern);
    param["max_length"] = p.max_length == 0 ? Json(nullptr) : Json(p.max_length);
    param["location"] = location(p.loc);
    out.push_back(param);
  }
  return out;
}

Json fields(const std::vector<Field>& list) {
  Json out = Json::array();
  for (const Field& f : list) {
    out.push_back(Json{{"name", f.name}, {"type", type_expr_text(f.type)}, {"optional", f.optional},
                       {"description", f.description}, {"location", location(f.loc)}});
  }
  return out;
}

Json ttl(const Ttl& t) {
  Json out = duration(t.value);
  if (out.is_null()) out = Json{{"ms", nullptr}, {"text", "none"}};
  out["persistent"] = t.persistent;
  out["persistent_reason"] = t.persistent_reason;
  out["from"] = ttl_source(t.from);
  out["location"] = location(t.loc);
  return out;
}

// Fields of kinds other than the key's own are left out rather than written as null.
void kind_fields(const Key& k, Json& out) {
  if (k.kind == Kind::cache) {
    Json tags = Json::array();
    for (const KeyTemplate& t : k.tags) tags.push_back(key_template(t));
    out["tags"] = tags;
    out["on_error"] = on_error_name(k.on_error);
  }
  if (k.limit) {
    out["limit"] = Json{{"requests", k.limit->requests}, {"per", duration(k.limit->per)},
                        {"algorithm", algorithm_name(k.limit->algorithm)}, {"burst", k.limit->burst},
                        {"location", location(k.limit->loc)}};
  }
  if (k.index) {
    out["index"] = Json{{"key", key_template(k.index->key)}, {"params", params(k.index->params)},
                        {"max", k.index->max}, {"location", location(k.index->loc)}};
  }
  if (k.max_length) out["max_length"] = *k.max_length;
  if (k.visibility_timeout) out["visibility_timeout"] = duration(k.visibility_timeout);
  if (k.kind == Kind::hash) out["fields"] = fields(k.fields);
}

Json key(const Key& k, const ScanExactness& exactness) {
  Json out{{"name", k.name}, {"namespace", k.namespace_name}, {"description", k.description},
           {"kind", kind_name(k.kind)}, {"template", key_template(k.key)}, {"version", k.version}, {"params", params(k.params)}};
  out["value"] = k.value ? Json{{"type", type_expr_text(*k.value)}, {"encoding", encoding_name(k.encoding)}}
                         : Json(nullptr);
  out["ttl"] = ttl(k.ttl);
  out["owner"] = k.owner.empty() ? Json(nullptr) : Json(k.owner);
  out["readers"] = k.readers;
  out["deprecated"] = k.deprecated ? Json(*k.deprecated) : Json(nullptr);
  out["hash_tag"] = k.hash_tag.empty() ? Json(nullptr) : Json(k.hash_tag);
  out["scan_pattern"] = Json{{"match", scan_pattern(rendered_key_template(k))}, {"exact", exactness.is_exact(k)}};
  kind_fields(k, out);
  out["location"] = location(k.loc);
  return out;
}

Json namespace_json(const Namespace& ns, const ScanExactness& exactness) {
  Json keys = Json::array();
  for (const Key& k : ns.keys) keys.push_back(key(k, exactness));
  return Json{{"name", ns.name}, {"description", ns.description},
              {"owner", ns.owner.empty() ? Json(nullptr) : Json(ns.owner)}, {"readers", ns.readers},
              {"ttl", Json{{"default", duration(ns.ttl_default)}, {"max", duration(ns.ttl_max)}}},
              {"keys", keys}, {"location", location(ns.loc)}};
}

Json types(const Schema& schema) {
  Json out = Json::array();
  for (const TypeDef& t : schema.types) {
    Json type{{"name", t.name}, {"description", t.description}, {"kind", t.is_enum ? "enum" : "struct"}};
    if (t.is_enum) {
      Json values = Json::array();
      for (const EnumValue& v : t.values) values.push_back(Json{{"name", v.name}, {"location", location(v.loc)}});
      type["values"] = values;
    } else {
      type["fields"] = fields(t.fields);
    }
    type["location"] = location(t.loc);
    out.push_back(type);
  }
  return out;
}

Json policies(const Schema& schema) {
  Json kinds = Json::object();
  for (const auto& [kind, policy] : schema.kind_policies) {  // std::map: in Kind order
    kinds[kind_name(kind)] = Json{{"max_ttl", duration(policy.max_ttl)}, {"location", location(policy.loc)}};
  }
  return Json{{"max_key_length", schema.max_key_length ? Json(*schema.max_key_length) : Json(nullptr)},
              {"require_descriptions", schema.require_descriptions},
              {"kinds", kinds}};
}

}  // namespace

Json export_model(const Schema& schema) {
  Json services = Json::array();
  for (const Service& s : schema.services) {
    services.push_back(Json{{"name", s.name}, {"description", s.description}, {"location", location(s.loc)}});
  }
  const ScanExactness exactness(schema);
  Json namespaces = Json::array();
  for (const Namespace& ns : schema.namespaces) namespaces.push_back(namespace_json(ns, exactness));
  Json body{{"file", schema.file},
            {"keyspace", schema.version},
            {"name", schema.name},
            {"description", schema.description},
            {"cpp_namespace", schema.cpp_namespace},
            {"environments", schema.environments},
            {"defaults", Json{{"ttl", duration(schema.default_ttl)}, {"encoding", encoding_name(schema.default_encoding)}}},
            {"policies", policies(schema)},
            {"services", services},
            {"types", types(schema)},
            {"namespaces", namespaces},
            {"location", location(schema.loc)}};
  return Json{{"format", "keyspace-model"}, {"version", kExportFormatVersion}, {"schema", body}};
}

}  // namespace keyspace::gen
