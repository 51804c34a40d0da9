#pragma once
// How schema value types are spelled in generated C++, and how they are stored (codecs).

#include <string>
#include <vector>

#include "model/model.hpp"

namespace keyspace::gen {

// The fully qualified C++ type, e.g. "std::vector<::shop::redis::Role>".
std::string cpp_type(const TypeRef& type, const Schema& schema);
// The runtime codec storing a value of `type`, e.g. "::keyspace::SchemaJsonCodec<::shop::User>".
std::string cpp_codec(const TypeRef& type, Encoding encoding, const Schema& schema);
// The structured C++ types whose codecs (keyspace::SchemaCodecs) the generated keyspace.cpp
// instantiates, each once: every declared enum and struct (structs in dependency order), then
// the lists and maps that keys of `schema` store, sorted.
std::vector<std::string> codec_types(const Schema& schema);
// The fields of a struct in the order its JSON codec writes them: by name, byte-wise, the
// order of the nlohmann::json objects (sorted maps) that wrote stored values before, so that
// the same value is stored as the same bytes.
std::vector<const Field*> fields_in_json_order(const TypeDef& t);
// Structs ordered so that each comes after the types it holds by value (declaration order
// otherwise); lists may refer to structs declared later.
std::vector<const TypeDef*> structs_in_dependency_order(const Schema& schema);

}  // namespace keyspace::gen
