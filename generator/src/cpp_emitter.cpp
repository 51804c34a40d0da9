#include "cpp_emitter.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "cpp_types.hpp"
#include "duration.hpp"
#include "namer.hpp"
#include "resources.hpp"

namespace keyspace::gen {
namespace {

namespace mstch = kainjow::mustache;

constexpr int kRuntimeApi = 1;

// Description text as comment lines; a trailing backslash would splice the next source line.
mstch::list doc_lines(const std::string& text) {
  mstch::list out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\\' || line.back() == ' ' || line.back() == '\r')) line.pop_back();
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

std::string cpp_string_literal(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

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

std::string param_decl(const Param& p, const Schema& schema) {
  const std::string ident = cpp_identifier(p.name);
  switch (p.type) {
    case Param::Type::string: return "std::string_view " + ident;
    case Param::Type::int64: return "std::int64_t " + ident;
    case Param::Type::uint64: return "std::uint64_t " + ident;
    case Param::Type::enum_: return "::" + schema.cpp_namespace + "::" + p.enum_type + " " + ident;
  }
  return ident;
}

// The KeyBuilder calls rendering `key`: literal runs are merged, so "cache:user:{id}:profile"
// becomes .literal("cache:user:").param(id).literal(":profile").
std::string key_calls(const Key& key, const Schema& schema) {
  std::string calls, literal;
  auto flush = [&] {
    if (!literal.empty()) calls += ".literal(" + cpp_string_literal(literal) + ")";
    literal.clear();
  };
  for (std::size_t i = 0; i < key.key.segments.size(); ++i) {
    const Segment& seg = key.key.segments[i];
    if (i > 0) literal += ':';
    if (!seg.is_param) {
      literal += seg.text;
      continue;
    }
    flush();
    const auto p = std::find_if(key.params.begin(), key.params.end(), [&](const Param& x) { return x.name == seg.text; });
    const std::string ident = cpp_identifier(seg.text);
    if (p->type == Param::Type::string) calls += fmt::format(".param({0}, {0}_rule())", ident);
    else if (p->type == Param::Type::enum_) calls += fmt::format(".param_name(::{}::to_string({}))", schema.cpp_namespace, ident);
    else calls += fmt::format(".param({})", ident);
  }
  flush();
  return calls;
}

mstch::data key_view(const Key& key, const Schema& schema) {
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
  view.set("template", key.key.text);
  view.set("kind", kind_name(key.kind));
  view.set("doc", doc_lines(key.description));
  view.set("ttl_ms", std::to_string(key.ttl.value ? key.ttl.value->count() : 0));
  view.set("ttl_text", key.ttl.value ? format_duration(*key.ttl.value) : "none (" + key.ttl.persistent_reason + ")");
  if (!key.owner.empty()) view.set("owner", key.owner);
  if (!key.readers.empty()) view.set("readers", join(key.readers, ", "));
  view.set("params", join(decls, ", "));
  view.set("params_comma", decls.empty() ? "" : join(decls, ", ") + ", ");
  view.set("args", join(args, ", "));
  view.set("key_calls", key_calls(key, schema));
  view.set("string_rules", string_rules);
  view.set("is_value", key.kind == Kind::value);
  view.set("is_counter", key.kind == Kind::counter);
  view.set("is_flag", key.kind == Kind::flag);
  if (key.value) {
    view.set("value_type", cpp_type(*key.value, schema));
    view.set("codec", cpp_codec(*key.value, key.encoding, schema));
  }
  return view;
}

bool service_touches(const Key& key, const std::string& service) {
  return key.owner == service || std::find(key.readers.begin(), key.readers.end(), service) != key.readers.end();
}

mstch::list namespaces_view(const Schema& schema, const EmitOptions& options, std::vector<std::string>& members) {
  mstch::list out;
  for (const Namespace& ns : schema.namespaces) {
    mstch::list keys;
    std::vector<std::string> key_members;
    for (const Key& key : ns.keys) {
      if (options.service && !service_touches(key, *options.service)) continue;
      keys.push_back(key_view(key, schema));
      key_members.push_back(cpp_identifier(key.name));
    }
    if (key_members.empty()) continue;
    mstch::data view;
    view.set("name", ns.name);
    view.set("ident", cpp_identifier(ns.name));
    view.set("doc", doc_lines(ns.description));
    view.set("keys", keys);
    view.set("members_init", members_init(key_members));
    view.set("cpp_namespace", schema.cpp_namespace);
    out.push_back(view);
    members.push_back(cpp_identifier(ns.name));
  }
  return out;
}

// Mustache's "standalone" rule: a line holding only a section tag ({{#x}}, {{^x}}, {{/x}}) or a
// comment renders as nothing. The mustache library applies it to rendered sections only and
// also swallows blank lines that follow a section tag, so templates are normalised first: a
// standalone tag loses its line break (joining the next line), and blank lines carry a marker
// byte, removed after rendering, that keeps them from looking standalone.
constexpr char kBlankLineMarker = '\x01';

std::string normalise_standalone_tags(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    const std::string_view line = text.substr(start, end - start);
    start = end;
    const std::size_t first = line.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
      out += kBlankLineMarker;
      out += line;
      continue;
    }
    const std::size_t last = line.find_last_not_of(" \t\r\n");
    const bool standalone = line.compare(first, 2, "{{") == 0 && first + 2 < line.size() &&
                            std::string_view("#^/!").find(line[first + 2]) != std::string_view::npos &&
                            line.find("}}") == last - 1 && line.find("{{", first + 2) == std::string_view::npos;
    out += standalone ? line.substr(first, last + 1 - first) : line;
  }
  return out;
}

std::string render(std::string_view template_path, const mstch::data& view) {
  mstch::mustache tmpl{normalise_standalone_tags(resources().at(template_path))};
  if (!tmpl.is_valid()) throw std::logic_error(fmt::format("{}: {}", template_path, tmpl.error_message()));
  tmpl.set_custom_escape([](const std::string& s) { return s; });
  std::string text = tmpl.render(view);
  text.erase(std::remove(text.begin(), text.end(), kBlankLineMarker), text.end());
  return text;
}

}  // namespace

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
  view.set("members_init", members_init(members));
  std::vector<std::string> environments;
  for (const std::string& env : schema.environments) environments.push_back(cpp_string_literal(env));
  view.set("environments", join(environments, ", "));

  OutputSet out;
  out[header_path] = render("templates/cpp/keyspace.hpp.mustache", view);
  out[schema.name + "/keyspace.cpp"] = render("templates/cpp/keyspace.cpp.mustache", view);
  return out;
}

}  // namespace keyspace::gen
