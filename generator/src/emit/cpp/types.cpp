#include "emit/cpp/types.hpp"

#include <algorithm>
#include <functional>
#include <set>

namespace keyspace::gen {

std::string cpp_type(const TypeRef& type, const Schema& schema) {
  switch (type.tag) {
    case TypeRef::Tag::string: return "std::string";
    case TypeRef::Tag::bytes: return "::keyspace::Bytes";
    case TypeRef::Tag::int64: return "std::int64_t";
    case TypeRef::Tag::uint64: return "std::uint64_t";
    case TypeRef::Tag::double_: return "double";
    case TypeRef::Tag::bool_: return "bool";
    case TypeRef::Tag::timestamp: return "::keyspace::Timestamp";
    case TypeRef::Tag::named: return "::" + schema.cpp_namespace + "::" + type.name;
    case TypeRef::Tag::list: return "std::vector<" + cpp_type(type.args.at(0), schema) + ">";
    case TypeRef::Tag::map: return "std::map<std::string, " + cpp_type(type.args.at(0), schema) + ">";
  }
  return "void";
}

std::string cpp_codec(const TypeRef& type, Encoding encoding, const Schema& schema) {
  switch (type.tag) {
    case TypeRef::Tag::string: return "::keyspace::StringCodec";
    case TypeRef::Tag::bytes: return "::keyspace::BytesCodec";
    case TypeRef::Tag::int64: return "::keyspace::Int64Codec";
    case TypeRef::Tag::double_: return "::keyspace::DoubleCodec";
    case TypeRef::Tag::bool_: return "::keyspace::BoolCodec";
    case TypeRef::Tag::timestamp: return "::keyspace::TimestampCodec";
    default: break;
  }
  // Structured types (declared ones, list<T>, map<string,T>) go through SchemaCodecs, which the
  // generated keyspace.cpp instantiates for each (codec_types).
  const char* codec = encoding == Encoding::msgpack ? "::keyspace::SchemaMsgpackCodec<" : "::keyspace::SchemaJsonCodec<";
  return codec + cpp_type(type, schema) + ">";
}

std::vector<std::string> codec_types(const Schema& schema) {
  std::vector<std::string> out;
  for (const TypeDef& t : schema.types) {
    if (t.is_enum) out.push_back("::" + schema.cpp_namespace + "::" + t.name);
  }
  for (const TypeDef* t : structs_in_dependency_order(schema)) out.push_back("::" + schema.cpp_namespace + "::" + t->name);
  std::set<std::string> containers;
  const auto add = [&](const TypeRef& type) {
    if (type.tag == TypeRef::Tag::list || type.tag == TypeRef::Tag::map) containers.insert(cpp_type(type, schema));
  };
  for (const Namespace& ns : schema.namespaces) {
    for (const Key& key : ns.keys) {
      if (key.value) add(*key.value);
      if (key.value && key.value->tag == TypeRef::Tag::map && !key.value->args.empty()) add(key.value->args.front());
      for (const Field& f : key.fields) add(f.type);
    }
  }
  out.insert(out.end(), containers.begin(), containers.end());
  return out;
}

std::vector<const Field*> fields_in_json_order(const TypeDef& t) {
  std::vector<const Field*> out;
  for (const Field& f : t.fields) out.push_back(&f);
  std::sort(out.begin(), out.end(), [](const Field* a, const Field* b) { return a->name < b->name; });
  return out;
}

std::vector<const TypeDef*> structs_in_dependency_order(const Schema& schema) {
  std::vector<const TypeDef*> out;
  std::set<std::string> placed;
  std::function<void(const TypeDef&)> place = [&](const TypeDef& t) {
    if (t.is_enum || !placed.insert(t.name).second) return;
    for (const Field& f : t.fields) {
      const TypeRef* ref = &f.type;
      while (ref->tag == TypeRef::Tag::map) ref = &ref->args.at(0);
      if (ref->tag != TypeRef::Tag::named) continue;
      if (const TypeDef* inner = schema.find_type(ref->name)) place(*inner);
    }
    out.push_back(&t);
  };
  for (const TypeDef& t : schema.types) place(t);
  return out;
}

}  // namespace keyspace::gen
