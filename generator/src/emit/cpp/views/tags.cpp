// View data of tags, which every kind holding data accepts (docs/tags.md): the accessor's tag
// sets (`tag_keys`) and, outside the cache (whose write script files its entries itself), the
// private `file_tags` its writes call first; and the namespace's tag invalidation functions (one
// per distinct tag text, on the namespace's `Keys` class).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "emit/cpp/kind_views.hpp"
#include "emit/cpp/names.hpp"

namespace keyspace::gen {

namespace {

const Param* find_param(const std::vector<Param>& params, const std::string& name) {
  const auto p = std::find_if(params.begin(), params.end(), [&](const Param& x) { return x.name == name; });
  return p == params.end() ? nullptr : &*p;
}

// The key's params that its tags use, in the key's order.
std::vector<const Param*> tag_params(const Key& key) {
  std::vector<const Param*> used;
  for (const Param& p : key.params) {
    for (const KeyTemplate& tag : key.tags) {
      const bool uses = std::any_of(tag.segments.begin(), tag.segments.end(),
                                    [&](const Segment& s) { return s.is_param && s.text == p.name; });
      if (uses) {
        used.push_back(&p);
        break;
      }
    }
  }
  return used;
}


struct TagFunction {
  const KeyTemplate* tag = nullptr;
  const Key* first_key = nullptr;
  std::vector<std::string> key_names;
  const Key* read_only = nullptr;  // a key of the tag the service only reads: no function, a stub
};

// The namespace's function dropping every entry tagged `f.tag` (templates/cpp/keyspace.*:
// `tag_functions`), or its stub when the service may not write every key the tag holds.
mstch::data tag_function_view(const Namespace& ns, const TagFunction& f, const Schema& schema) {
  std::vector<std::string> decls;
  mstch::list rules;
  const std::vector<Param>& params = f.first_key->params;
  for (const Segment& seg : f.tag->segments) {
    if (!seg.is_param) continue;
    const Param* p = find_param(params, seg.text);
    if (!p) continue;
    decls.push_back(param_decl(*p, schema));
    if (p->type == Param::Type::string) rules.push_back(string_rule_view(*p));
  }
  const std::string name = tag_function_name(*f.tag);
  const KeyTemplate tag_set = tag_set_template(ns.name, *f.tag);
  mstch::data view;
  view.set("function", name);
  view.set("tag_text", f.tag->text);
  view.set("tag_keys", join(f.key_names, ", "));
  view.set("tag_template", tag_set.text);
  view.set("tag_spec_name", ns.name + "." + name);
  view.set("tag_params", join(decls, ", "));
  view.set("tag_rules", rules);
  view.set("tag_key_calls", key_builder_calls(tag_set, params, 1, schema, "", "{}_rule"));
  view.set("can_invalidate", mstch::data(f.read_only == nullptr));
  if (f.read_only) {
    view.set("read_only_key", f.read_only->namespace_name + "." + f.read_only->name);
    view.set("read_only_writer", writer_text(*f.read_only));
  }
  return view;
}

// The keys a write files under the tags: the key and, for a session whose key holds every index
// parameter, its index (so that invalidating the tag drops the index with the sessions).
std::string tag_members(const Key& key) {
  std::vector<std::string> args;
  for (const Param& p : key.params) args.push_back(cpp_identifier(p.name));
  const std::string members = "key(" + join(args, ", ") + ")";
  if (key.kind != Kind::session || !key.index || key.index->key.segments.empty()) return "{" + members + "}";
  std::vector<std::string> index_args;
  for (const Param& p : key.index->params) {
    if (!find_param(key.params, p.name)) return "{" + members + "}";
    index_args.push_back(cpp_identifier(p.name));
  }
  return "{" + members + ", index_key(" + join(index_args, ", ") + ")}";
}

}  // namespace

void add_tags_view(const Key& key, const Schema& schema, mstch::data& view) {
  const bool tagged = !key.tags.empty();
  view.set("has_tags", mstch::data(tagged));
  if (!tagged) {
    view.set("tag_keys_call", std::string("{}"));
    return;
  }
  view.set("files_tags", mstch::data(key.kind != Kind::cache));
  view.set("tag_members", tag_members(key));
  std::vector<std::string> decls, args, exprs, texts;
  for (const Param* p : tag_params(key)) {
    decls.push_back(param_decl(*p, schema));
    args.push_back(cpp_identifier(p->name));
  }
  for (const KeyTemplate& tag : key.tags) {
    exprs.push_back("::keyspace::KeyBuilder(*client_, spec)" +
                    key_builder_calls(tag_set_template(key.namespace_name, tag), key.params, 1, schema) + ".build()");
    texts.push_back("`" + tag.text + "`");
  }
  view.set("tag_params", join(decls, ", "));
  view.set("tag_keys_call", "tag_keys(" + join(args, ", ") + ")");
  view.set("tag_texts", join(texts, ", "));
  view.set("tag_key_list", "{" + join(exprs, ",\n          ") + "}");  // `  return {` of keyspace.cpp
}

// One function per distinct tag text of the namespace's tagged keys (any kind), in order of first use. The
// same tag text on two keys names one tag set, so it gets one function; its parameter types come
// from the first key that uses it. A service that only reads one of those keys gets a stub.
void add_tag_functions_view(const Namespace& ns, const std::vector<const Key*>& keys, const Schema& schema,
                            const std::optional<std::string>& service, mstch::data& view) {
  std::vector<TagFunction> functions;
  for (const Key* key : keys) {
    const bool read_only = service && access_of(*key, *service) == Access::read;
    for (const KeyTemplate& tag : key->tags) {
      auto f = std::find_if(functions.begin(), functions.end(), [&](const TagFunction& x) { return x.tag->text == tag.text; });
      if (f == functions.end()) f = functions.insert(functions.end(), TagFunction{&tag, key, {}, nullptr});
      if (std::find(f->key_names.begin(), f->key_names.end(), key->name) == f->key_names.end()) f->key_names.push_back(key->name);
      if (read_only && !f->read_only) f->read_only = key;
    }
  }
  if (functions.empty()) return;
  mstch::list list;
  bool any_function = false;
  for (const TagFunction& f : functions) {
    list.push_back(tag_function_view(ns, f, schema));
    any_function = any_function || !f.read_only;
  }
  view.set("tag_functions", list);
  view.set("namespace_client", mstch::data(any_function));
}

}  // namespace keyspace::gen
