#include "emit/cpp/types.hpp"

#include <algorithm>
#include <functional>
#include <set>
#include <string_view>

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
  const bool msgpack = encoding == Encoding::msgpack;
  // Declared types go through the encode/decode functions generated in keyspace.cpp; composite
  // types (list<T>, map<string,T>) are instantiated where they are used.
  const char* codec = type.tag == TypeRef::Tag::named
                          ? (msgpack ? "::keyspace::SchemaMsgpackCodec<" : "::keyspace::SchemaJsonCodec<")
                          : (msgpack ? "::keyspace::MsgpackCodec<" : "::keyspace::JsonCodec<");
  return codec + cpp_type(type, schema) + ">";
}

std::vector<std::string> nlohmann_codecs(const Schema& schema) {
  std::set<std::string> codecs;
  const auto add = [&](const TypeRef& type, Encoding encoding) {
    std::string codec = cpp_codec(type, encoding, schema);
    if (codec.rfind("::keyspace::JsonCodec<", 0) == 0 || codec.rfind("::keyspace::MsgpackCodec<", 0) == 0) {
      codecs.insert(codec.substr(std::string_view("::keyspace::").size()));
    }
  };
  for (const Namespace& ns : schema.namespaces) {
    for (const Key& key : ns.keys) {
      if (key.value) add(*key.value, key.encoding);
      if (key.value && key.value->tag == TypeRef::Tag::map && !key.value->args.empty()) {
        add(key.value->args.front(), key.encoding);
      }
      for (const Field& f : key.fields) add(f.type, key.encoding);
    }
  }
  return {codecs.begin(), codecs.end()};
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
