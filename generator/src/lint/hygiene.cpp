#include "lint/hygiene.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "diag/codes.hpp"
#include "model/duration.hpp"

namespace keyspace::gen {
namespace {

void add_type_refs(const TypeRef& ref, std::vector<std::string>& out) {
  if (ref.tag == TypeRef::Tag::named) out.push_back(ref.name);
  for (const TypeRef& arg : ref.args) add_type_refs(arg, out);
}

void add_param_refs(const std::vector<Param>& params, std::vector<std::string>& out) {
  for (const Param& p : params) {
    if (p.type == Param::Type::enum_) out.push_back(p.enum_type);
  }
}

// Types reachable from some key: its value, hash fields, enum parameters, and what those use.
std::set<std::string> used_types(const Schema& schema) {
  std::vector<std::string> pending;
  for (const Namespace& ns : schema.namespaces) {
    for (const Key& key : ns.keys) {
      if (key.value) add_type_refs(*key.value, pending);
      for (const Field& f : key.fields) add_type_refs(f.type, pending);
      add_param_refs(key.params, pending);
      if (key.index) add_param_refs(key.index->params, pending);
    }
  }
  std::set<std::string> used;
  while (!pending.empty()) {
    const std::string name = pending.back();
    pending.pop_back();
    if (!used.insert(name).second) continue;
    if (const TypeDef* t = schema.find_type(name)) {
      for (const Field& f : t->fields) add_type_refs(f.type, pending);
    }
  }
  return used;
}

void check_unused_types(const Schema& schema, DiagnosticSink& sink) {
  const std::set<std::string> used = used_types(schema);
  for (const TypeDef& t : schema.types) {
    if (!used.count(t.name)) sink.warning(code::kUnusedType, t.loc, fmt::format("type '{}' is not used by any key", t.name));
  }
}

void check_services(const Schema& schema, DiagnosticSink& sink) {
  for (const Service& service : schema.services) {
    bool touches = false;
    for (const Namespace& ns : schema.namespaces) {
      for (const Key& key : ns.keys) touches = touches || access_of(key, service.name) != Access::none;
    }
    if (!touches) {
      sink.warning(code::kIdleService, service.loc,
                   fmt::format("service '{}' owns and reads no key; remove it or give it access", service.name));
    }
  }
  if (schema.services.empty()) return;  // a schema without services has no owners to name
  for (const Namespace& ns : schema.namespaces) {
    const bool unowned = std::any_of(ns.keys.begin(), ns.keys.end(), [](const Key& k) { return k.owner.empty(); });
    if (unowned) {
      sink.warning(code::kNoOwner, ns.loc,
                   fmt::format("namespace '{}' has keys without an owner: no service may write them", ns.name));
    }
  }
}

void check_keys(const Schema& schema, DiagnosticSink& sink) {
  for (const Namespace& ns : schema.namespaces) {
    for (const Key& key : ns.keys) {
      const bool shared = std::any_of(key.readers.begin(), key.readers.end(),
                                      [&](const std::string& r) { return r != key.owner; });
      if (schema.require_descriptions && shared && key.description.empty()) {
        sink.warning(code::kMissingDescription, key.loc,
                     fmt::format("key '{}.{}' is read by other services but has no description", ns.name, key.name));
      }
      if (key.kind == Kind::cache && key.ttl.value && *key.ttl.value < Millis(1000)) {
        sink.warning(code::kShortCacheTtl, key.ttl.loc,
                     fmt::format("cache '{}.{}' has TTL {}: below 1s, entries expire before they save much",
                                 ns.name, key.name, format_duration(*key.ttl.value)));
      }
    }
  }
}

}  // namespace

void check_hygiene(const Schema& schema, DiagnosticSink& sink) {
  check_unused_types(schema, sink);
  check_services(schema, sink);
  check_keys(schema, sink);
}

}  // namespace keyspace::gen
