#include "emit/cpp/kind_views.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "emit/cpp/names.hpp"

namespace keyspace::gen {
namespace {

const Param* find_param(const std::vector<Param>& params, const std::string& name) {
  const auto it = std::find_if(params.begin(), params.end(), [&](const Param& p) { return p.name == name; });
  return it == params.end() ? nullptr : &*it;
}

// The session id: the one key parameter that is not an index parameter (lint KS0411).
const Param* id_param(const Key& key) {
  for (const Param& p : key.params) {
    if (!key.index || !find_param(key.index->params, p.name)) return &p;
  }
  return nullptr;
}

// Parameters naming one session: index parameters the key template lacks come first (the index
// entry must be updated too), then the key's own, in template order. When the key holds every
// index parameter (the layout a cluster needs), these are just the key's parameters.
std::vector<const Param*> session_params(const Key& key) {
  std::vector<const Param*> out;
  if (key.index) {
    for (const Param& p : key.index->params) {
      if (!find_param(key.params, p.name)) out.push_back(&p);
    }
  }
  for (const Param& p : key.params) out.push_back(&p);
  return out;
}

// An index parameter as declared by the key when the key has it (one type for one name).
const Param& index_param(const Key& key, const Param& p) {
  const Param* own = find_param(key.params, p.name);
  return own ? *own : p;
}

void add_index_view(const Key& key, const Schema& schema, mstch::data& view) {
  std::vector<std::string> decls, args;
  for (const Param& declared : key.index->params) {
    const Param& p = index_param(key, declared);
    decls.push_back(param_decl(p, schema));
    args.push_back(cpp_identifier(p.name));
  }
  view.set("has_index", true);
  view.set("index_params", join(decls, ", "));
  view.set("index_params_comma", decls.empty() ? "" : join(decls, ", ") + ", ");
  view.set("index_args", join(args, ", "));
  view.set("index_template", key.index->key.text);
  view.set("index_key_calls", key_builder_calls(key.index->key, key.index->params, 1, schema, key.hash_tag));
  view.set("max", std::to_string(key.index->max));
  if (key.index->max > 0) view.set("max_text", std::to_string(key.index->max));
}

}  // namespace

void add_session_view(const Key& key, const Schema& schema, mstch::data& view) {
  const Param* id = id_param(key);
  if (!id) return;  // lint reported the template; nothing is emitted for a broken schema
  const std::string id_ident = cpp_identifier(id->name);
  std::vector<std::string> decls, args, layout_args;
  for (const Param* p : session_params(key)) {
    decls.push_back(param_decl(*p, schema));
    args.push_back(cpp_identifier(p->name));
    layout_args.push_back(p == id ? "::keyspace::session::new_id()" : cpp_identifier(p->name));
  }
  view.set("id_ident", id_ident);
  view.set("session_params", join(decls, ", "));
  view.set("session_args", join(args, ", "));
  view.set("layout_args", join(layout_args, ", "));
  view.set("sliding", key.sliding ? "true" : "false");
  if (key.sliding) view.set("is_sliding", true);
  if (key.index) {
    add_index_view(key, schema, view);
  } else {
    view.set("index_params_comma", std::string());  // create() takes the value only
    view.set("max", "0");
  }
  // A key without index parameters names its session by the id alone: operations by id find the
  // index in the session (a kind without index has only those).
  if (key.index && key.params.size() == 1) {
    view.set("id_only", true);
    view.set("id_decl", param_decl(*id, schema));
  }
}

}  // namespace keyspace::gen
