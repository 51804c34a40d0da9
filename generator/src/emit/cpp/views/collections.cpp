// View data of the collection kinds: hash (struct form with `fields:`, map form with
// `value: map<string,T>`), set, sorted_set, list and stream. The operations themselves are
// templates/cpp/kind_<kind>.{hpp,cpp}.mustache over runtime/include/keyspace/kinds/collections.hpp.
#include <fmt/format.h>

#include "emit/cpp/kind_views.hpp"
#include "emit/cpp/names.hpp"
#include "emit/cpp/types.hpp"

namespace keyspace::gen {
namespace {

// One entry per field of a struct-form hash: its accessors get_<name>/set_<name>(/incr_<name>)
// and its line in get_all/set_all.
mstch::data hash_field_view(const Field& f, const Key& key, const Schema& schema) {
  const std::string type = cpp_type(f.type, schema);
  mstch::data field;
  field.set("name", f.name);
  field.set("ident", cpp_identifier(f.name));
  field.set("name_literal", cpp_string_literal(f.name));
  field.set("field_type", type);
  field.set("member_type", f.optional ? "std::optional<" + type + ">" : type);
  field.set("field_codec", cpp_codec(f.type, key.encoding, schema));
  field.set("read_method", std::string(f.optional ? "optional" : "required"));
  field.set("write_method", std::string(f.optional ? "optional_field" : "field"));
  field.set("is_int64", f.type.tag == TypeRef::Tag::int64);
  field.set("doc", doc_lines(f.description));
  return field;
}

void add_hash_view(const Key& key, const Schema& schema, mstch::data& view) {
  if (!key.fields.empty()) {
    mstch::list fields;
    std::vector<std::string> comparisons;
    for (const Field& f : key.fields) {
      fields.push_back(hash_field_view(f, key, schema));
      comparisons.push_back(fmt::format("a.{0} == b.{0}", cpp_identifier(f.name)));
    }
    view.set("hash_fields", true);
    view.set("fields", fields);
    view.set("fields_equality", join(comparisons, " && "));
    return;
  }
  // Lint guarantees `value: map<string,T>` when there are no fields.
  if (!key.value || key.value->tag != TypeRef::Tag::map || key.value->args.empty()) return;
  const TypeRef& element = key.value->args.front();
  view.set("hash_map", true);
  view.set("element_type", cpp_type(element, schema));
  view.set("element_codec", cpp_codec(element, key.encoding, schema));
}

}  // namespace

void add_collection_view(const Key& key, const Schema& schema, mstch::data& view) {
  const std::int64_t max_length = key.max_length.value_or(0);
  view.set("max_length", std::to_string(max_length));
  view.set("capped", max_length > 0);
  if (key.kind == Kind::hash) add_hash_view(key, schema, view);
}

}  // namespace keyspace::gen
