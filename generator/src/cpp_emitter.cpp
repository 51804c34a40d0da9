#include "cpp_emitter.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "cpp_kind_views.hpp"
#include "cpp_read_only.hpp"
#include "cpp_types.hpp"
#include "duration.hpp"
#include "mustache_render.hpp"
#include "namer.hpp"

namespace keyspace::gen {
namespace {

constexpr int kRuntimeApi = 2;

std::string members_init(const std::vector<std::string>& members) {
  if (members.empty()) return "";
  std::vector<std::string> inits;
  for (const std::string& m : members) inits.push_back(m + "(client)");
  return ": " + join(inits, ", ");
}

mstch::data enum_view(const TypeDef& t) {
  mstch::list values;
  std::vector<std::string> idents;
  for (const EnumValue& v : t.values) {
    mstch::data value;
    value.set("name", v.name);
    value.set("ident", cpp_identifier(v.name));
    value.set("type", t.name);
    values.push_back(value);
    idents.push_back(cpp_identifier(v.name));
  }
  mstch::data view;
  view.set("name", t.name);
  view.set("doc", doc_lines(t.description));
  view.set("values", values);
  view.set("values_list", join(idents, ", "));
  return view;
}

mstch::data struct_view(const TypeDef& t, const Schema& schema) {
  mstch::list fields;
  std::vector<std::string> comparisons;
  for (const Field& f : t.fields) {
    const std::string ident = cpp_identifier(f.name);
    const std::string type = cpp_type(f.type, schema);
    mstch::data field;
    field.set("name", f.name);
    field.set("ident", ident);
    field.set("cpp_type", f.optional ? "std::optional<" + type + ">" : type);
    field.set("element_type", type);
    field.set("optional", f.optional);
    field.set("doc", doc_lines(f.description));
    fields.push_back(field);
    comparisons.push_back(fmt::format("a.{0} == b.{0}", ident));
  }
  mstch::data view;
  view.set("name", t.name);
  view.set("doc", doc_lines(t.description));
  view.set("fields", fields);
  view.set("equality", comparisons.empty() ? "true" : join(comparisons, " &&\n         "));
  return view;
}

// The largest TTL an override may set: the smaller of the namespace's and the kind's maximum.
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

mstch::data key_view(const Key& key, const Schema& schema, const std::optional<std::string>& service) {
  std::vector<std::string> decls, args;
  mstch::list string_rules;
  for (const Param& p : key.params) {
    decls.push_back(param_decl(p, schema));
    args.push_back(cpp_identifier(p.name));
    if (p.type != Param::Type::string) continue;
    mstch::data rule;
    rule.set("name", p.name);
    rule.set("ident", cpp_identifier(p.name));
    rule.set("pattern_literal", cpp_string_literal(p.pattern));
    rule.set("max_length", std::to_string(p.max_length));
    string_rules.push_back(rule);
  }
  mstch::data view;
  view.set("name", key.name);
  view.set("class_name", upper_camel(key.name) == "Keys" ? "Keys_" : upper_camel(key.name));
  view.set("member", cpp_identifier(key.name));
  view.set("spec_name", key.namespace_name + "." + key.name);
  view.set("template", rendered_template(key));
  view.set("kind", kind_name(key.kind));
  view.set("doc", doc_lines(key.description));
  view.set("ttl_ms", std::to_string(key.ttl.value ? key.ttl.value->count() : 0));
  const std::string ttl_text =
      key.ttl.value ? format_duration(*key.ttl.value) : "none (" + key.ttl.persistent_reason + ")";
  view.set("ttl_text", ttl_text);
  // Channels live outside the keyspace and never expire.
  view.set("summary", key.kind == Kind::channel
                          ? fmt::format("Channel `{}` · channel", rendered_template(key))
                          : fmt::format("Key `{}` · {} · TTL {}", rendered_template(key), kind_name(key.kind), ttl_text));
  if (!key.owner.empty()) view.set("owner", key.owner);
  if (!key.readers.empty()) view.set("readers", join(key.readers, ", "));
  view.set("params", join(decls, ", "));
  view.set("params_comma", decls.empty() ? "" : join(decls, ", ") + ", ");
  view.set("comma_params", decls.empty() ? "" : ", " + join(decls, ", "));
  view.set("args", join(args, ", "));
  view.set("key_calls", key_builder_calls(key.key, key.params, key.version, schema, key.hash_tag));
  view.set("string_rules", string_rules);
  if (key.value) {
    view.set("value_type", cpp_type(*key.value, schema));
    view.set("codec", cpp_codec(*key.value, key.encoding, schema));
  }
  if (const std::optional<Millis> max = max_ttl(key, schema)) {
    view.set("max_ttl_ms", std::to_string(max->count()));
    view.set("max_ttl_text", format_duration(*max));
  }
  if (key.deprecated) view.set("deprecated", cpp_string_literal(*key.deprecated));
  add_kind_view(key, schema, view);
  std::string operations = render(fmt::format("templates/cpp/kind_{}.hpp.mustache", kind_name(key.kind)), view);
  while (!operations.empty() && operations.back() == '\n') operations.pop_back();
  if (service && access_of(key, *service) == Access::read) operations = read_only_operations(operations, key, *service);
  view.set("operations", operations);
  return view;
}

mstch::list namespaces_view(const Schema& schema, const EmitOptions& options, std::vector<std::string>& members) {
  mstch::list out;
  for (const Namespace& ns : schema.namespaces) {
    mstch::list keys;
    std::vector<std::string> key_members;
    std::vector<const Key*> in_view;
    bool deprecated = false;
    for (const Key& key : ns.keys) {
      if (options.service && access_of(key, *options.service) == Access::none) continue;
      keys.push_back(key_view(key, schema, options.service));
      deprecated = deprecated || key.deprecated.has_value();
      key_members.push_back(cpp_identifier(key.name));
      in_view.push_back(&key);
    }
    if (key_members.empty()) continue;
    mstch::data view;
    view.set("name", ns.name);
    view.set("ident", cpp_identifier(ns.name));
    view.set("doc", doc_lines(ns.description));
    view.set("keys", keys);
    view.set("members_init", members_init(key_members));
    view.set("has_deprecated", deprecated);
    view.set("cpp_namespace", schema.cpp_namespace);
    add_namespace_view(ns, in_view, schema, view);
    out.push_back(view);
    members.push_back(cpp_identifier(ns.name));
  }
  return out;
}

}  // namespace

std::string cpp_string_literal(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string param_decl(const Param& p, const Schema& schema) {
  const std::string ident = cpp_identifier(p.name);
  switch (p.type) {
    case Param::Type::string: return "::keyspace::StringParam " + ident;
    case Param::Type::int64: return "::keyspace::Int64Param " + ident;
    case Param::Type::uint64: return "::keyspace::UInt64Param " + ident;
    case Param::Type::enum_: return "::" + schema.cpp_namespace + "::" + p.enum_type + " " + ident;
  }
  return ident;
}

std::string key_builder_calls(const KeyTemplate& t, const std::vector<Param>& params, int version,
                              const Schema& schema, const std::string& hash_tag) {
  std::string calls, literal;
  auto flush = [&] {
    if (!literal.empty()) calls += ".literal(" + cpp_string_literal(literal) + ")";
    literal.clear();
  };
  for (std::size_t i = 0; i < t.segments.size(); ++i) {
    const Segment& seg = t.segments[i];
    if (i > 0) literal += ':';
    if (!seg.is_param) {
      literal += seg.text;
      continue;
    }
    const bool tagged = seg.text == hash_tag;
    if (tagged) literal += '{';
    flush();
    const auto p = std::find_if(params.begin(), params.end(), [&](const Param& x) { return x.name == seg.text; });
    const std::string ident = cpp_identifier(seg.text);
    if (p->type == Param::Type::string) calls += fmt::format(".param({0}, {0}_rule())", ident);
    else if (p->type == Param::Type::enum_) calls += fmt::format(".param_name(::{}::to_string({}))", schema.cpp_namespace, ident);
    else calls += fmt::format(".param({})", ident);
    if (tagged) literal += '}';
  }
  // A version above 1 is a last literal segment (see rendered_template and docs/diff.md), so
  // entries of an incompatible earlier layout are never read back by new code.
  if (version > 1) literal += fmt::format(":v{}", version);
  flush();
  return calls;
}

OutputSet emit_cpp(const Schema& schema, const EmitOptions& options) {
  const std::string header_path = schema.name + "/keyspace.hpp";
  mstch::data view;
  view.set("version", KEYSPACE_VERSION);
  view.set("runtime_api", std::to_string(kRuntimeApi));
  view.set("schema_file", options.schema_display_path);
  view.set("header_path", header_path);
  view.set("name", schema.name);
  view.set("doc", doc_lines(schema.description));
  view.set("cpp_namespace", schema.cpp_namespace);
  if (options.service) view.set("service", *options.service);

  mstch::list enums, structs;
  for (const TypeDef& t : schema.types) {
    if (t.is_enum) enums.push_back(enum_view(t));
  }
  for (const TypeDef* t : structs_in_dependency_order(schema)) structs.push_back(struct_view(*t, schema));
  view.set("has_types", !schema.types.empty());
  view.set("has_structs", !structs.empty());
  view.set("enums", enums);
  view.set("structs", structs);

  std::vector<std::string> members;
  view.set("namespaces", namespaces_view(schema, options, members));
  view.set("keyspace_init", members_init(members) + (members.empty() ? ": " : ", ") + "client_(&client)");
  std::vector<std::string> environments;
  for (const std::string& env : schema.environments) environments.push_back(cpp_string_literal(env));
  view.set("environments", join(environments, ", "));

  OutputSet out;
  out[header_path] = render("templates/cpp/keyspace.hpp.mustache", view);
  out[schema.name + "/keyspace.cpp"] = render("templates/cpp/keyspace.cpp.mustache", view);
  return out;
}

}  // namespace keyspace::gen
