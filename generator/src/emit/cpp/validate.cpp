#include "emit/cpp/validate.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "diag/codes.hpp"
#include "emit/cpp/names.hpp"
#include "emit/cpp/operations.hpp"
#include "model/names.hpp"

namespace keyspace::gen {
namespace {

std::string key_name(const Key& key) { return key.namespace_name + "." + key.name; }

std::string param_signature(const KeyTemplate& tag, const Key& key) {
  std::string out;
  for (const Segment& seg : tag.segments) {
    if (!seg.is_param) continue;
    for (const Param& p : key.params) {
      if (p.name == seg.text) out += fmt::format("{}:{}{},", p.name, static_cast<int>(p.type), p.enum_type);
    }
  }
  return out;
}

// Names the kind's generated operations use beside the key's parameters (the catalog's arguments
// and body names: `policy`, `session_ref`, ...). `client` (spelled `client_`, the accessor's own
// member) and `batch` (every kind's pipelined overloads take a `Batch& batch`) are taken in every
// kind. A key parameter of such a name would declare or shadow the same name twice.
bool taken_by_every_kind(const std::string& name) { return name == "client" || name == "batch"; }

void check_param_names(const Key& key, DiagnosticSink& sink) {
  const std::vector<std::string_view> reserved = reserved_parameter_names(key.kind);
  for (const Param& p : key.params) {
    if (!taken_by_every_kind(p.name) && std::find(reserved.begin(), reserved.end(), p.name) == reserved.end()) continue;
    sink.error(code::kReservedName, p.loc,
               fmt::format("parameter name '{}' of '{}' is taken by the generated operations of kind '{}'; rename it "
                           "(e.g. '{}_id')", p.name, key_name(key), kind_name(key.kind), p.name));
  }
}

// A hash with fields has get_<field>/set_<field> accessors beside get_all/set_all.
void check_hash_fields(const Key& key, DiagnosticSink& sink) {
  if (key.kind != Kind::hash) return;
  for (const Field& f : key.fields) {
    if (f.name != "all") continue;
    sink.error(code::kReservedName, f.loc,
               fmt::format("hash field name 'all' of '{}' is reserved: get_all/set_all read and write every field",
                           key_name(key)));
  }
}

// The schema's C++ namespace, `cpp.namespace` or by default its name; a missing or misspelt
// name is reported by the model already.
void check_cpp_namespace(const Schema& schema, DiagnosticSink& sink) {
  const bool defaulted = schema.cpp_namespace == schema.name;
  if ((defaulted && !is_lower_snake(schema.name)) || is_cpp_namespace(schema.cpp_namespace)) return;
  sink.error(code::kBadCppNamespace, schema.cpp_namespace_loc,
             fmt::format("'{}' is not a C++ namespace (identifiers separated by '::', no keywords)", schema.cpp_namespace));
}

// Each namespace is a C++ namespace and a member of `Keyspace`, beside what the schema's C++
// namespace holds of its own: `Keyspace::batch()`, `health()` and `client_`, and the functions of declared
// types (`to_string` / `from_string` of enums, the JSON `write_value` / `read_value`). Each key is
// a member of its namespace's `Keys`, beside `client_`.
void check_member_names(const Namespace& ns, DiagnosticSink& sink) {
  static const std::map<std::string, std::string> taken{
      {"batch", "Keyspace::batch()"},     {"client", "Keyspace::client_"},  {"health", "Keyspace::health()"},
      {"to_string", "to_string(Enum)"},   {"from_string", "from_string(text, Enum&)"},
      {"write_value", "write_value(Writer&, const Type&)"}, {"read_value", "read_value(Reader&, Type&)"}};
  if (const auto it = taken.find(ns.name); it != taken.end()) {
    sink.error(code::kReservedName, ns.loc,
               fmt::format("namespace name '{}' is taken by the generated code ({}); rename it", ns.name, it->second));
  }
  for (const Key& key : ns.keys) {
    if (key.name != "client") continue;
    sink.error(code::kReservedName, key.loc,
               fmt::format("key name 'client' of namespace '{}' is taken by the generated code (Keys::client_); "
                           "rename it",
                           ns.name));
  }
}

void check_tags(const Namespace& ns, DiagnosticSink& sink) {
  struct Seen {
    const KeyTemplate* tag;
    const Key* key;
    std::string signature;
  };
  std::map<std::string, Seen> functions;
  for (const Key& key : ns.keys) {
    for (const KeyTemplate& tag : key.tags) {
      const std::string name = tag_function_name(tag);
      const std::string signature = param_signature(tag, key);
      const auto clash = std::find_if(ns.keys.begin(), ns.keys.end(), [&](const Key& k) { return k.name == name; });
      if (clash != ns.keys.end()) {
        sink.error(code::kTagClash, tag.loc,
                   fmt::format("tag '{}' of '{}' gives the namespace a function '{}', which is also a key's name",
                               tag.text, key_name(key), name),
                   {{clash->loc, "key declared here"}});
        continue;
      }
      const auto [it, inserted] = functions.emplace(name, Seen{&tag, &key, signature});
      if (inserted || (it->second.tag->text == tag.text && it->second.signature == signature)) continue;
      const bool same_text = it->second.tag->text == tag.text;
      sink.error(code::kTagClash, tag.loc,
                 same_text ? fmt::format("tag '{}' of '{}' has parameters of other types than the same tag of '{}'; "
                                         "one invalidate function serves both", tag.text, key_name(key),
                                         key_name(*it->second.key))
                           : fmt::format("tags '{}' and '{}' would both be invalidated by '{}'; rename one",
                                         it->second.tag->text, tag.text, name),
                 {{it->second.tag->loc, "other tag here"}});
    }
  }
}

}  // namespace

void validate_cpp(const Schema& schema, DiagnosticSink& sink) {
  check_cpp_namespace(schema, sink);
  for (const Namespace& ns : schema.namespaces) {
    check_member_names(ns, sink);
    check_tags(ns, sink);
    for (const Key& key : ns.keys) {
      check_param_names(key, sink);
      check_hash_fields(key, sink);
    }
  }
}

}  // namespace keyspace::gen
