#include "emit/cpp/emitter.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "emit/cpp/kind_views.hpp"
#include "emit/cpp/operations.hpp"
#include "emit/cpp/types.hpp"
#include "emit/render.hpp"
#include "model/duration.hpp"
#include "model/key_patterns.hpp"
#include "emit/cpp/names.hpp"

namespace keyspace::gen {
namespace {

constexpr int kRuntimeApi = 4;

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
    field.set("optional", f.optional);
    field.set("doc", doc_lines(f.description));
    fields.push_back(field);
    comparisons.push_back(fmt::format("{0} == other.{0}", ident));
  }
  mstch::list json_fields;
  const std::vector<const Field*> ordered = fields_in_json_order(t);
  std::size_t required = 0;
  std::vector<std::string> member_count;  // what a MessagePack map header counts: the members present
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    if (ordered[i]->optional) {
      member_count.push_back(fmt::format("value.{}.has_value()", cpp_identifier(ordered[i]->name)));
    } else {
      ++required;
    }
    mstch::data field;
    field.set("name", ordered[i]->name);
    field.set("ident", cpp_identifier(ordered[i]->name));
    field.set("optional", ordered[i]->optional);
    field.set("index", std::to_string(i));
    json_fields.push_back(field);
  }
  mstch::data view;
  view.set("name", t.name);
  view.set("doc", doc_lines(t.description));
  view.set("fields", fields);
  view.set("json_fields", json_fields);
  view.set("has_fields", !t.fields.empty());
  view.set("field_count", std::to_string(t.fields.size()));
  member_count.insert(member_count.begin(), member_count.empty() ? std::to_string(required)
                                                                 : fmt::format("std::size_t{{{}}}", required));
  view.set("member_count", join(member_count, " + "));
  view.set("equality", comparisons.empty() ? "true" : join(comparisons, " &&\n         "));
  return view;
}

}  // namespace

std::string writer_text(const Key& key) {
  return key.owner.empty() ? "no service (the key has no owner)" : "service " + key.owner;
}

mstch::data string_rule_view(const Param& p) {
  mstch::data rule;
  put(rule, "name", p.name);
  put(rule, "ident", cpp_identifier(p.name));
  put(rule, "pattern_literal", cpp_string_literal(p.pattern));
  put(rule, "max_length", std::to_string(p.max_length));
  return rule;
}

namespace {

// The rules of every string parameter the accessor's KeyBuilders render: the key's own, then
// those that only its session index has.
mstch::list string_rules_view(const Key& key) {
  std::vector<const Param*> rendered;
  for (const Param& p : key.params) rendered.push_back(&p);
  if (key.index) {
    for (const Param& p : key.index->params) {
      const bool own = std::any_of(key.params.begin(), key.params.end(), [&](const Param& k) { return k.name == p.name; });
      if (!own) rendered.push_back(&p);
    }
  }
  mstch::list rules;
  for (const Param* p : rendered) {
    if (p->type == Param::Type::string) rules.push_back(string_rule_view(*p));
  }
  return rules;
}

// The page of docs/kinds/ that describes the operations of `kind`.
std::string kind_page(Kind kind) {
  switch (kind) {
    case Kind::value:
    case Kind::counter:
    case Kind::flag: return "value.md";
    case Kind::hash:
    case Kind::set:
    case Kind::sorted_set:
    case Kind::list:
    case Kind::stream:
    case Kind::hyperloglog:
    case Kind::presence:
    case Kind::geo: return "collections.md";
    default: return std::string(kind_name(kind)) + ".md";
  }
}

// The dashes that end the ruler `// ---- Namespace <name> ` at column 99, like the other rulers.
std::string ruler(const std::string& namespace_name) {
  constexpr std::size_t kWidth = 99, kTaken = sizeof("// ---- Namespace ") - 1 + 1;
  return std::string(std::max<std::size_t>(4, kWidth - std::min(kWidth, kTaken + namespace_name.size())), '-');
}

// The kinds whose accessors end with del / exists / ttl (templates/cpp/key_lifetime.*).
bool has_lifetime_operations(Kind kind) {
  const std::vector<Operation>& ops = operations_of(kind).operations;
  return std::any_of(ops.begin(), ops.end(), [](const Operation& op) { return op.name == "ttl"; });
}

// A template rendered as text to embed in another one (which ends the line itself).
std::string rendered_part(const std::string& template_path, const mstch::data& view) {
  std::string text = render(template_path, view);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// The operations of the accessor: declarations with their comments for the class in the header
// (`operations`), their definitions for keyspace.cpp (`definitions`). Templates only where they
// must be (a compile-time check, a callable argument), so that a header of many keys
// instantiates nothing per key. A service that only reads the key gets none of its writes
// (`can_write` is false) but a stub per write operation of the catalog (`write_operations`).
// Whether delete_all may SCAN the key's pattern: it matches the key's own keys alone, or for a
// cache also its entries' load locks (`<key>:_fill`, which go with their entries). Other
// companions must survive (a lock's fencing counter must never restart).
bool delete_all_is_exact(const Key& key, const ScanExactness& exactness) {
  if (key.kind == Kind::channel) return false;
  if (key.kind != Kind::cache) return exactness.is_exact(key);
  return exactness.matches_only(rendered_key_template(key), key, [](const Key&) { return false; });
}

// delete_all: one overload per number of leading parameters given (none to all but the last), each
// with the KeyBuilder calls of its SCAN pattern; where the template's pattern is not exact, a stub
// that does not compile.
void add_delete_all(const Key& key, const Schema& schema, bool exact, mstch::data& view) {
  if (key.params.empty() || key.kind == Kind::channel) return;
  put(view, "delete_all_pattern", scan_pattern(rendered_key_template(key)));
  if (!exact) {
    put(view, "delete_all_inexact", true);
    return;
  }
  put(view, "delete_all_exact", true);
  mstch::list overloads;
  std::vector<std::string> decls;
  for (std::size_t given = 0; given < key.params.size(); ++given) {
    mstch::data overload;
    put(overload, "given_params_comma", decls.empty() ? "" : join(decls, ", ") + ", ");
    put(overload, "pattern_calls", key_builder_calls(key.key, key.params, key.version, schema, key.hash_tag, "{}_rule()", given));
    overloads.push_back(std::move(overload));
    decls.push_back(param_decl(key.params[given], schema));
  }
  put(view, "delete_all_overloads", std::move(overloads));
}

void add_operations(const Key& key, const std::optional<std::string>& service, mstch::data& view) {
  const bool can_write = !service || access_of(key, *service) != Access::read;
  put(view, "can_write", can_write);
  if (!can_write) {
    put(view, "writer", writer_text(key));
    const std::vector<std::string> writes = operation_names(key, OperationAccess::write);
    put(view, "write_operations", mstch::list(writes.begin(), writes.end()));
  }
  if (has_lifetime_operations(key.kind)) {
    put(view, "lifetime_declarations", rendered_part("templates/cpp/key_lifetime.hpp.mustache", view));
    put(view, "lifetime_definitions", rendered_part("templates/cpp/key_lifetime.cpp.mustache", view));
  }
  const char* kind = kind_name(key.kind);
  std::string operations = rendered_part(fmt::format("templates/cpp/kind_{}.hpp.mustache", kind), view);
  std::string definitions = rendered_part(fmt::format("templates/cpp/kind_{}.cpp.mustache", kind), view);
  const std::string tag_declared = rendered_part("templates/cpp/tags.hpp.mustache", view);
  const std::string tag_defined = rendered_part("templates/cpp/tags.cpp.mustache", view);
  if (!tag_declared.empty()) operations += "\n" + tag_declared;
  if (!tag_defined.empty()) definitions += (definitions.empty() ? "" : "\n\n") + tag_defined;
  if (can_write) {
    const std::string declared = rendered_part("templates/cpp/delete_all.hpp.mustache", view);
    const std::string defined = rendered_part("templates/cpp/delete_all.cpp.mustache", view);
    if (!declared.empty()) operations += "\n\n" + declared;
    if (!defined.empty()) definitions += (definitions.empty() ? "" : "\n\n") + defined;
  }
  put(view, "operations", std::move(operations));
  if (!definitions.empty()) put(view, "definitions", std::move(definitions));  // an empty string is true in mustache
}

mstch::data key_view(const Key& key, const Schema& schema, const ScanExactness& exactness,
                     const std::optional<std::string>& service) {
  std::vector<std::string> decls, args;
  for (const Param& p : key.params) {
    decls.push_back(param_decl(p, schema));
    args.push_back(cpp_identifier(p.name));
  }
  mstch::data view;
  put(view, "name", key.name);
  put(view, "class_name", accessor_class_name(key));
  put(view, "member", cpp_identifier(key.name));
  put(view, "spec_name", key.namespace_name + "." + key.name);
  put(view, "template", rendered_template(key));
  put(view, "kind", kind_name(key.kind));
  put(view, "kind_page", kind_page(key.kind));
  put(view, "doc", doc_lines(key.description));
  put(view, "ttl_ms", std::to_string(key.ttl.value ? key.ttl.value->count() : 0));
  const std::string ttl_text =
      key.ttl.value ? format_duration(*key.ttl.value) : "none (" + key.ttl.persistent_reason + ")";
  put(view, "ttl_text", ttl_text);
  // Channels live outside the keyspace and never expire.
  put(view, "summary", key.kind == Kind::channel
                           ? fmt::format("Channel `{}` · channel", rendered_template(key))
                           : fmt::format("Key `{}` · {} · TTL {}", rendered_template(key), kind_name(key.kind), ttl_text));
  if (!key.owner.empty()) put(view, "owner", key.owner);
  if (!key.readers.empty()) put(view, "readers", join(key.readers, ", "));
  put(view, "params", join(decls, ", "));
  put(view, "params_comma", decls.empty() ? "" : join(decls, ", ") + ", ");
  put(view, "comma_params", decls.empty() ? "" : ", " + join(decls, ", "));
  put(view, "args", join(args, ", "));
  put(view, "args_comma", args.empty() ? "" : join(args, ", ") + ", ");
  put(view, "has_params", !key.params.empty());
  put(view, "key_calls", key_builder_calls(key.key, key.params, key.version, schema, key.hash_tag));
  put(view, "string_rules", string_rules_view(key));
  if (key.value) {
    put(view, "value_type", cpp_type(*key.value, schema));
    put(view, "codec", cpp_codec(*key.value, key.encoding, schema));
  }
  if (const std::optional<Millis> max = max_ttl(key, schema)) {
    put(view, "max_ttl_ms", std::to_string(max->count()));
    put(view, "max_ttl_text", format_duration(*max));
  }
  if (key.deprecated) put(view, "deprecated", cpp_string_literal(*key.deprecated));
  add_kind_view(key, schema, view);
  add_delete_all(key, schema, delete_all_is_exact(key, exactness), view);
  add_operations(key, service, view);
  return view;
}

mstch::list namespaces_view(const Schema& schema, const EmitOptions& options, std::vector<std::string>& members) {
  // kainjow's data has no noexcept move: a vector growing past its capacity copies its items.
  mstch::list out;
  out.reserve(schema.namespaces.size());
  const ScanExactness exactness(schema);
  for (const Namespace& ns : schema.namespaces) {
    mstch::list keys;
    keys.reserve(ns.keys.size());
    std::vector<std::string> key_members;
    std::vector<const Key*> in_view;
    bool deprecated = false;
    for (const Key& key : ns.keys) {
      if (options.service && access_of(key, *options.service) == Access::none) continue;
      keys.push_back(key_view(key, schema, exactness, options.service));
      deprecated = deprecated || key.deprecated.has_value();
      key_members.push_back(cpp_identifier(key.name));
      in_view.push_back(&key);
    }
    if (key_members.empty()) continue;
    mstch::data view;
    put(view, "name", ns.name);
    put(view, "ident", cpp_identifier(ns.name));
    put(view, "ruler", ruler(ns.name));
    put(view, "doc", doc_lines(ns.description));
    put(view, "keys", std::move(keys));
    put(view, "members_init", members_init(key_members));
    put(view, "has_deprecated", deprecated);
    put(view, "cpp_namespace", schema.cpp_namespace);
    add_namespace_view(ns, in_view, schema, options.service, view);
    out.push_back(std::move(view));
    members.push_back(cpp_identifier(ns.name));
  }
  return out;
}

}  // namespace

std::string cpp_string_literal(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\{:03o}", byte);  // octal: never runs into a following digit
      continue;
    }
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
                              const Schema& schema, const std::string& hash_tag, const char* string_rule,
                              std::size_t given_params) {
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
    const auto p = std::find_if(params.begin(), params.end(), [&](const Param& x) { return x.name == seg.text; });
    if (static_cast<std::size_t>(p - params.begin()) >= given_params) {
      literal += tagged ? "*}" : "*";
      continue;
    }
    flush();
    const std::string ident = cpp_identifier(seg.text);
    if (p->type == Param::Type::string) {
      calls += fmt::format(".param({}, {})", ident, fmt::format(fmt::runtime(string_rule), ident));
    }
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
  view.set("schema_file", comment_line(options.schema_display_path));
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
  const std::vector<std::string> codecs = codec_types(schema);
  view.set("codec_types", mstch::list(codecs.begin(), codecs.end()));
  view.set("has_codec_types", !codecs.empty());

  std::vector<std::string> members;
  put(view, "namespaces", namespaces_view(schema, options, members));
  view.set("keyspace_init", members_init(members) + (members.empty() ? ": " : ", ") + "client_(&client)");
  std::vector<std::string> environments;
  for (const std::string& env : schema.environments) environments.push_back(cpp_string_literal(env));
  view.set("environments", join(environments, ", "));
  // The keys whose eviction breaks what they promise, for Keyspace::health()'s warning.
  mstch::list eviction_sensitive;
  for (const Namespace& ns : schema.namespaces) {
    for (const Key& key : ns.keys) {
      if (key.kind == Kind::lock || key.kind == Kind::rate_limit || key.kind == Kind::queue) {
        eviction_sensitive.push_back(mstch::data("literal", cpp_string_literal(rendered_template(key))));
      }
    }
  }
  put(view, "eviction_sensitive", std::move(eviction_sensitive));

  OutputSet out;
  out[header_path] = render("templates/cpp/keyspace.hpp.mustache", view);
  out[schema.name + "/keyspace.cpp"] = render("templates/cpp/keyspace.cpp.mustache", view);
  return out;
}

}  // namespace keyspace::gen
