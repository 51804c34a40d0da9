#include "model/builder.hpp"

#include <functional>
#include <set>

#include <fmt/format.h>

#include "diag/codes.hpp"
#include "model/key_template.hpp"
#include "model/names.hpp"
#include "model/reader.hpp"
#include "model/type_expr.hpp"

namespace keyspace::gen {
namespace {

constexpr int kSupportedVersion = 1;

void read_header(const ModelReader& r, const Node& root, Schema& s) {
  if (auto version = r.integer(root, "keyspace"); version && *version != kSupportedVersion) {
    r.sink().error(code::kUnsupportedVersion, r.value_loc(r.child(root, "keyspace")),
                   fmt::format("keyspace language version {} is not supported; this generator reads version {}",
                               *version, kSupportedVersion));
  }
  s.name = r.string(root, "name").value_or("");
  if (!s.name.empty() && !is_lower_snake(s.name)) {
    r.sink().error(code::kBadName, r.value_loc(r.child(root, "name")),
                   fmt::format("schema name '{}' must be lower_snake_case", s.name));
  }
  s.description = r.string(root, "description").value_or("");
  const Node cpp = r.child(root, "cpp");
  s.cpp_namespace = r.string(cpp, "namespace").value_or(s.name);
  s.cpp_namespace_loc = r.value_loc(r.string(cpp, "namespace") ? r.child(cpp, "namespace") : r.child(root, "name"));
  for (const Node& env : r.items(r.child(root, "environments"))) {
    if (!env.json->is_string()) continue;
    const std::string name = env.json->get<std::string>();
    if (!is_literal_segment(name)) {
      r.sink().error(code::kBadName, r.value_loc(env),
                     fmt::format("environment '{}' must be a valid key segment ([a-z0-9][a-z0-9_-]*)", name));
    }
    s.environments.push_back(name);
  }
  const Node defaults = r.child(root, "defaults");
  s.default_ttl = r.duration(defaults, "ttl");
  s.default_ttl_loc = r.value_loc(r.child(defaults, "ttl"));
  s.default_encoding = read_encoding(r, defaults, Encoding::json);
}

void read_policies(const ModelReader& r, const Node& root, Schema& s) {
  const Node policies = r.child(root, "policies");
  if (auto n = r.integer(policies, "max_key_length"); n && *n > 0) {
    s.max_key_length = static_cast<std::size_t>(*n);
    s.max_key_length_loc = r.value_loc(r.child(policies, "max_key_length"));
  }
  if (const Node require = r.child(policies, "require_descriptions"); require && require.json->is_boolean()) {
    s.require_descriptions = require.json->get<bool>();
  }
  for (const auto& [name, node] : r.members(r.child(policies, "kinds"))) {
    const auto kind = parse_kind(name);
    if (!kind) {
      r.sink().error(code::kUnknownKind, r.key_loc(node), fmt::format("unknown kind '{}' in policies.kinds", name));
      continue;
    }
    s.kind_policies[*kind] = {r.duration(node, "max_ttl"), r.value_loc(r.child(node, "max_ttl"))};
  }
}

void read_services(const ModelReader& r, const Node& root, Schema& s) {
  for (const auto& [name, node] : r.members(r.child(root, "services"))) {
    r.check_name(node, name, "service");
    s.services.push_back({name, r.string(node, "description").value_or(""), r.key_loc(node)});
  }
}


void read_types(const ModelReader& r, const Node& root, Schema& s) {
  for (const auto& [name, node] : r.members(r.child(root, "types"))) {
    r.check_name(node, name, "type", /*upper=*/true);
    if (name == "Keyspace") {
      r.sink().error(code::kReservedName, r.key_loc(node), "type name 'Keyspace' is reserved for the generated keyspace class");
    }
    TypeDef t;
    t.name = name;
    t.loc = r.key_loc(node);
    t.description = r.string(node, "description").value_or("");
    if (const Node values = r.child(node, "enum")) {
      t.is_enum = true;
      std::set<std::string> seen;
      for (const Node& v : r.items(values)) {
        if (!v.json->is_string()) continue;
        const std::string value = v.json->get<std::string>();
        if (!is_lower_snake(value)) {
          r.sink().error(code::kBadName, r.value_loc(v), fmt::format("enum value '{}' must be lower_snake_case", value));
        } else if (!seen.insert(value).second) {
          r.sink().error(code::kDuplicateEnumValue, r.value_loc(v), fmt::format("enum value '{}' appears twice", value));
        }
        t.values.push_back({value, r.value_loc(v)});
      }
    }
    for (const auto& [field_name, field_node] : r.members(r.child(node, "fields"))) {
      r.check_name(field_node, field_name, "field");
      t.fields.push_back(read_field(r, field_name, field_node));
    }
    s.types.push_back(std::move(t));
  }
}

void read_namespaces(const ModelReader& r, const Node& root, Schema& s) {
  for (const auto& [name, node] : r.members(r.child(root, "namespaces"))) {
    r.check_name(node, name, "namespace");
    Namespace ns;
    ns.name = name;
    ns.loc = r.key_loc(node);
    ns.description = r.string(node, "description").value_or("");
    ns.owner = r.string(node, "owner").value_or("");
    ns.readers = r.strings(node, "readers");
    if (const Node owner = r.child(node, "owner")) check_service_ref(r, owner, s);
    for (const Node& reader : r.items(r.child(node, "readers"))) check_service_ref(r, reader, s);
    const Node ttl = r.child(node, "ttl");
    if (ttl && ttl.json->is_string()) {
      ns.ttl_default = r.duration(node, "ttl");
    } else {
      ns.ttl_default = r.duration(ttl, "default");
      ns.ttl_max = r.duration(ttl, "max");
      ns.ttl_max_loc = r.value_loc(r.child(ttl, "max"));
    }
    for (const auto& [key_name, key_node] : r.members(r.child(node, "keys"))) {
      ns.keys.push_back(read_key(r, key_node, key_name, ns, s));
    }
    s.namespaces.push_back(std::move(ns));
  }
}

// Every named type used by a field exists; a struct never contains itself except through a list
// (a C++ struct cannot hold itself by value, in std::optional or in a std::map).
void resolve_types(const ModelReader& r, Schema& s) {
  std::function<void(const TypeRef&)> check_ref = [&](const TypeRef& t) {
    if (t.tag == TypeRef::Tag::named && !s.find_type(t.name)) {
      r.sink().error(code::kUnknownType, t.loc, fmt::format("unknown type '{}'", t.name));
    }
    for (const TypeRef& a : t.args) check_ref(a);
  };
  for (const TypeDef& t : s.types) {
    for (const Field& f : t.fields) check_ref(f.type);
  }
  for (const TypeDef& t : s.types) {
    std::set<std::string> visiting;
    std::function<bool(const TypeDef&)> contains_self = [&](const TypeDef& def) {
      if (!visiting.insert(def.name).second) return def.name == t.name;
      for (const Field& f : def.fields) {
        const TypeRef* ref = &f.type;
        while (ref->tag == TypeRef::Tag::map) ref = &ref->args.at(0);
        if (ref->tag != TypeRef::Tag::named) continue;  // lists (std::vector) may hold incomplete types
        const TypeDef* inner = s.find_type(ref->name);
        if (inner && !inner->is_enum && contains_self(*inner)) return true;
      }
      return false;
    };
    if (!t.is_enum && contains_self(t)) {
      r.sink().error(code::kRecursiveType, t.loc,
                     fmt::format("type '{}' contains itself through required fields; hold it in a list instead", t.name));
    }
  }
}

}  // namespace

Field read_field(const ModelReader& r, const std::string& name, const Node& node) {
  Field f;
  f.name = name;
  f.loc = r.key_loc(node);
  Node type_node = node;
  if (node.json->is_object()) {
    type_node = r.child(node, "type");
    f.optional = r.boolean(node, "optional").value_or(false);
    f.description = r.string(node, "description").value_or("");
  }
  if (!type_node || !type_node.json->is_string()) return f;
  const std::string text = type_node.json->get<std::string>();
  if (auto t = parse_type_expr(text, r.value_loc(type_node))) {
    f.type = std::move(*t);
  } else {
    r.sink().error(code::kBadValueType, r.value_loc(type_node), fmt::format("'{}' is not a value type", text));
  }
  f.type.loc = r.value_loc(type_node);
  return f;
}

Schema build_model(const Document& doc, DiagnosticSink& sink) {
  const ModelReader r(doc, sink);
  Schema s;
  s.file = doc.file;
  const Node root = r.root();
  s.loc = r.value_loc(root);
  if (!root.json->is_object()) return s;
  read_header(r, root, s);
  read_policies(r, root, s);
  read_services(r, root, s);
  read_types(r, root, s);
  index_types(s);
  resolve_types(r, s);
  read_namespaces(r, root, s);
  return s;
}

}  // namespace keyspace::gen
